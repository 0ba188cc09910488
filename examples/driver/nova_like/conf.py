"""Configuration options of the example driver (a stand-in for oslo.config)."""


class _LibvirtOptions(object):
    # help: "Enable libvirt features that upstream CI does not test. Use at your own risk."
    enable_untested_features = False
    live_migration_permit_post_copy = False


class _Conf(object):
    libvirt = _LibvirtOptions()


CONF = _Conf()
