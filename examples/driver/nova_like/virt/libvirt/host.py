"""Connection to the local libvirt daemon and version checks."""

from oslo_utils import importutils

libvirt = None


class Host(object):
    def __init__(self, uri):
        global libvirt
        if libvirt is None:
            libvirt = importutils.import_module('libvirt')
        self._uri = uri
        self._conn = None

    def get_connection(self):
        if self._conn is None:
            self._conn = libvirt.open(self._uri)
        return self._conn

    @staticmethod
    def _version_number(version):
        major, minor, micro = version
        return major * 1000000 + minor * 1000 + micro

    def has_min_version(self, lv_ver=None, hv_ver=None):
        conn = self.get_connection()
        if lv_ver is not None and conn.getLibVersion() < self._version_number(lv_ver):
            return False
        if hv_ver is not None and conn.getVersion() < self._version_number(hv_ver):
            return False
        return True

    def has_version(self, lv_ver):
        return self.get_connection().getLibVersion() == self._version_number(lv_ver)

    def get_guest(self, name):
        from nova_like.virt.libvirt import guest
        return guest.Guest(self.get_connection().lookupByName(name))
