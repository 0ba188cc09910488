import libvirt

MIN_LIBVIRT_BLOCKIO_VERSION = (0, 10, 2)


class BlockConfig(object):
    def set_block_size(self, conf, size):
        if self._host.has_min_version(MIN_LIBVIRT_BLOCKIO_VERSION):
            conf.logical_block_size = size
        else:
            LOG.warning("block size not supported")
