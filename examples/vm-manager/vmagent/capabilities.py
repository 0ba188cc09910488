"""What the connected libvirt can do. Illustrative only: never run."""

import libvirt


def _version_number(text):
    major, minor, micro = (int(part) for part in text.split("."))
    return major * 1000000 + minor * 1000 + micro


class Capabilities:
    def __init__(self, conn):
        self._libver = conn.getLibVersion()

    def require_libvirt(self, version):
        """True when the connected libvirt is at least `version` ("8.4.0")."""
        return self._libver >= _version_number(version)

    def has_flag(self, name):
        """True when the libvirt binding defines the constant `name`."""
        return hasattr(libvirt, name)

    def supports_throttle_groups(self):
        return hasattr(libvirt.virDomain, "setThrottleGroup")
