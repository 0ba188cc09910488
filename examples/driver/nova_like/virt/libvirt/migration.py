"""Live-migration flags."""

import libvirt

from nova_like.conf import CONF

MIN_LIBVIRT_ZEROCOPY_VERSION = (8, 5, 0)


def migration_flags(host, zerocopy=False):
    flags = libvirt.VIR_MIGRATE_LIVE | libvirt.VIR_MIGRATE_PEER2PEER
    if CONF.libvirt.live_migration_permit_post_copy:
        flags |= libvirt.VIR_MIGRATE_POSTCOPY
        # Expected LVG002: VIR_MIGRATE_POSTCOPY_RESUME needs libvirt 8.5.0 and nothing checks it.
        flags |= libvirt.VIR_MIGRATE_POSTCOPY_RESUME
    if zerocopy and host.has_min_version(MIN_LIBVIRT_ZEROCOPY_VERSION):
        flags |= libvirt.VIR_MIGRATE_ZEROCOPY
    return flags
