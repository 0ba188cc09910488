"""Checkpoints and saved state. Illustrative only: never run."""

import libvirt
from libvirt import VIR_DOMAIN_SAVE_PARAM_FILE

try:
    from libvirt import VIR_DOMAIN_SAVE_PARAM_DXML
except ImportError:
    VIR_DOMAIN_SAVE_PARAM_DXML = None


class CheckpointStore:
    def __init__(self, conn, caps):
        self._conn = conn
        self.caps = caps

    def names(self, vm):
        names = []
        for checkpoint in vm.listAllCheckpoints():
            names.append(checkpoint.getName())
        return names

    def parents(self, vm):
        if self._conn.getLibVersion() < 5_006_000:
            return {}
        return {cp.getName(): cp.getParent().getName() for cp in vm.listAllCheckpoints()}

    def save(self, vm, path, xml=None):
        if not self.caps.require_libvirt("8.4.0"):
            vm.save(path)
            return
        params = {VIR_DOMAIN_SAVE_PARAM_FILE: path}
        if xml is not None and VIR_DOMAIN_SAVE_PARAM_DXML is not None:
            params[VIR_DOMAIN_SAVE_PARAM_DXML] = xml
        vm.saveParams(params, 0)
