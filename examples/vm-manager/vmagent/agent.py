"""The host agent: one libvirt connection and the VMs on it. Illustrative only: never run."""

import logging

import libvirt

from vmagent.capabilities import Capabilities

LOG = logging.getLogger(__name__)

# Versions as virConnectGetLibVersion() reports them: major * 1000000 + minor * 1000 + micro.
LIBVIRT_8_5_0 = 8 * 1000000 + 5 * 1000 + 0
LIBVIRT_11_2_0 = 11 * 1000000 + 2 * 1000 + 0
# QEMU versions, as virConnectGetVersion() reports them for the QEMU driver.
QEMU_7_2_0 = 7_002_000
QEMU_10_0_0 = 10_000_000


class HostAgent:
    def __init__(self, settings):
        self.settings = settings
        self._conn = libvirt.open(settings.uri)
        self._libver = self._conn.getLibVersion()
        self.caps = Capabilities(self._conn)
        self.pool_caps_supported = self._probe_pool_capabilities()

    # Version checks: comparisons of the runtime libvirt version.

    def abort_job(self, vm, postcopy):
        if postcopy and self._conn.getLibVersion() >= LIBVIRT_8_5_0:
            vm.abortJobFlags(libvirt.VIR_DOMAIN_ABORT_JOB_POSTCOPY)
        else:
            vm.abortJob()

    def undefine(self, vm, keep_tpm):
        flags = libvirt.VIR_DOMAIN_UNDEFINE_NVRAM
        if keep_tpm and self._libver >= 8_000_000:
            flags |= libvirt.VIR_DOMAIN_UNDEFINE_KEEP_TPM
        vm.undefineFlags(flags)

    def set_throttle_group(self, vm, group, params):
        if self.settings.allow_untested and self._libver >= LIBVIRT_11_2_0:
            vm.setThrottleGroup(group, params, 0)

    def delete_throttle_group(self, vm, group):
        if self._libver >= LIBVIRT_11_2_0:
            vm.delThrottleGroup(group, 0)

    # The QEMU version: virConnectGetVersion() on a connection.

    def migration_flags(self, peer):
        flags = libvirt.VIR_MIGRATE_LIVE | libvirt.VIR_MIGRATE_PEER2PEER
        if peer.getVersion() >= QEMU_7_2_0:
            flags |= libvirt.VIR_MIGRATE_PARALLEL
        return flags

    def migration_params(self, peer, connections):
        params = {}
        if peer.getVersion() >= QEMU_10_0_0:
            params["parallel.connections"] = connections
        if self.settings.allow_untested and self._conn.getVersion() >= QEMU_10_0_0:
            params["compression.zstd.level"] = 3
        return params

    # An availability probe: a libvirt call under try/except AttributeError.

    def _probe_pool_capabilities(self):
        try:
            self._conn.getStoragePoolCapabilities()
        except (libvirt.libvirtError, AttributeError):
            return False
        return True

    def storage_pool_capabilities(self):
        if not self.pool_caps_supported:
            return None
        return self._conn.getStoragePoolCapabilities()

    def set_client_identity(self, identity):
        if self.pool_caps_supported:
            self._conn.setIdentity(identity)

    # try/except around a newer call.

    def set_agent_timeout(self, vm, seconds):
        try:
            vm.agentSetResponseTimeout(seconds, 0)
        except AttributeError:
            LOG.info("this libvirt cannot set the guest agent timeout")

    def start_dirty_rate(self, vm, seconds):
        try:
            vm.startDirtyRateCalc(seconds, 0)
        except AttributeError:
            LOG.error("dirty rate calculation needs a newer libvirt")
            raise

    # Feature checks (feature-checks = ["has_flag"]) and the configured probe.

    def discard_tpm_state(self, vm, keep):
        if keep and self.caps.has_flag("VIR_DOMAIN_UNDEFINE_KEEP_TPM"):
            vm.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_KEEP_TPM)
        elif self.caps.has_flag("VIR_DOMAIN_UNDEFINE_KEEP_TPM"):
            vm.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_TPM)

    def set_default_throttle_group(self, vm, params):
        if self.caps.supports_throttle_groups():
            vm.setThrottleGroup("default", params, 0)

    # The configured version check: require_libvirt("x.y.z").

    def reset_launch_secret(self, vm, params):
        if self.caps.require_libvirt("8.0.0"):
            vm.setLaunchSecurityState(params, 0)

    def reload_vnc_certificates(self, vm):
        if self.caps.require_libvirt("10.0.0"):
            vm.graphicsReload(0, 0)  # 0: every graphics type

    def all_domain_stats(self):
        if self.caps.require_libvirt("1.2.8"):
            return self._conn.getAllDomainStats()
        return []
