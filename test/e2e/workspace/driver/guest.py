"""A small libvirt guest wrapper, in the style of Nova's libvirt driver."""
import libvirt

import nova.conf

CONF = nova.conf.CONF

MIN_LIBVIRT_BLOCKCOPY_VERSION = (1, 2, 8)
MIN_LIBVIRT_BLOCKJOB_VERSION = (1, 1, 1)


class Guest(object):
    def __init__(self, host, domain):
        self._host = host
        self._domain = domain

    def migration_flags(self):
        flags = 0
        if hasattr(libvirt, 'VIR_MIGRATE_POSTCOPY'):
            flags |= libvirt.VIR_MIGRATE_POSTCOPY
        return flags

    def addresses(self, dom):
        return dom.interfaceAddresses(0)

    def copy(self, dom, disk, xml, params):
        if self._host.has_min_version(MIN_LIBVIRT_BLOCKCOPY_VERSION):
            dom.blockCopy(disk, xml, params, 0)

    def rebase_flags(self):
        flags = 0
        if self._host.has_min_version(MIN_LIBVIRT_BLOCKJOB_VERSION):
            flags = libvirt.VIR_DOMAIN_BLOCK_REBASE_RELATIVE
        return flags
