import libvirt

MIN_LIBVIRT_BLOCKJOB_VERSION = (1, 2, 7)


class BlockJobs(object):
    def rebase_flags(self):
        flags = 0
        if self._host.has_min_version(MIN_LIBVIRT_BLOCKJOB_VERSION):
            flags = libvirt.VIR_DOMAIN_BLOCK_REBASE_RELATIVE
        return flags

    def set_block_size(self, conf, size):
        conf.logical_block_size = size
