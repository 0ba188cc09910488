"""A thin wrapper around a libvirt domain."""

import libvirt


class Guest(object):
    def __init__(self, domain):
        self._domain = domain

    @property
    def name(self):
        return self._domain.name()

    def freeze_filesystems(self):
        self._domain.fsFreeze()

    def thaw_filesystems(self):
        self._domain.fsThaw()

    def abort_job(self, postcopy=False):
        if not postcopy:
            self._domain.abortJob()
            return
        # abortJobFlags and its flag (libvirt 8.5.0) are newer than the minimum: the
        # AttributeError handler protects both. Class B (only third-party CI runs 8.5.0 or
        # newer): clean by default.
        try:
            self._domain.abortJobFlags(libvirt.VIR_DOMAIN_ABORT_JOB_POSTCOPY)
        except AttributeError:
            self._domain.abortJob()

    def delete_configuration(self, keep_tpm=False):
        flags = libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
        if keep_tpm and hasattr(libvirt, 'VIR_DOMAIN_UNDEFINE_KEEP_TPM'):
            flags |= libvirt.VIR_DOMAIN_UNDEFINE_KEEP_TPM
        self._domain.undefineFlags(flags)
