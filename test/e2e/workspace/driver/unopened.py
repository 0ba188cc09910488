import libvirt


def postcopy_flags():
    flags = 0
    if hasattr(libvirt, 'VIR_MIGRATE_POSTCOPY'):
        flags |= libvirt.VIR_MIGRATE_POSTCOPY
    return flags
