import libvirt

MIN_LIBVIRT_IFACE_ADDR_VERSION = (1, 2, 14)


class Host(object):
    def addresses(self, dom):
        if self._host.has_min_version(MIN_LIBVIRT_IFACE_ADDR_VERSION):
            return dom.interfaceAddresses(0)
        return []
