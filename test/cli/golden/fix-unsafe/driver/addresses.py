import libvirt

MIN_LIBVIRT_IFACE_ADDR_VERSION = (1, 2, 14)
MIN_LIBVIRT_INTERFACE_ADDRESSES_VERSION = (1, 2, 14)


class Driver(object):
    def addresses(self, dom):
        if CONF.libvirt.enable_untested_features:
            if self._host.has_min_version(MIN_LIBVIRT_INTERFACE_ADDRESSES_VERSION):
                return dom.interfaceAddresses(libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE)

    def checked_addresses(self, dom):
        if CONF.libvirt.enable_untested_features and self._host.has_min_version(MIN_LIBVIRT_IFACE_ADDR_VERSION):
            return dom.interfaceAddresses(0)
        return []
