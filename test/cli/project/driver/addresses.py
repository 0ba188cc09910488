import libvirt

MIN_LIBVIRT_IFACE_ADDR_VERSION = (1, 2, 14)


class Driver(object):
    def addresses(self, dom):
        return dom.interfaceAddresses(libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE)

    def checked_addresses(self, dom):
        if self._host.has_min_version(MIN_LIBVIRT_IFACE_ADDR_VERSION):
            return dom.interfaceAddresses(0)
        return []
