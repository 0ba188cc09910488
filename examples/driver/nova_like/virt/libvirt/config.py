"""Guest configuration objects that write domain XML, in the style of Nova's config module.

Driver code sets attributes; format_dom() writes the XML. libvirt-gate reads which XML each
attribute writes, and checks it where the driver sets the attribute (LVG010).
"""

from lxml import etree


class LibvirtConfigObject(object):
    def __init__(self, **kwargs):
        super(LibvirtConfigObject, self).__init__()
        self.root_name = kwargs.get('root_name')

    @staticmethod
    def _new_node(node_name, **kwargs):
        return etree.Element(node_name, **kwargs)

    def format_dom(self):
        return self._new_node(self.root_name)

    def to_xml(self):
        return etree.tostring(self.format_dom(), pretty_print=True)


class LibvirtConfigGuestOS(LibvirtConfigObject):
    def __init__(self, **kwargs):
        super(LibvirtConfigGuestOS, self).__init__(root_name='os', **kwargs)
        self.os_type = 'hvm'
        self.loader_path = None
        self.loader_stateless = False

    def format_dom(self):
        os_el = super(LibvirtConfigGuestOS, self).format_dom()
        etree.SubElement(os_el, 'type').text = self.os_type
        if self.loader_path is not None:
            loader = etree.SubElement(os_el, 'loader', readonly='yes', type='pflash')
            loader.text = self.loader_path
            if self.loader_stateless:
                loader.set('stateless', 'yes')
        return os_el


class LibvirtConfigGuestCPU(LibvirtConfigObject):
    def __init__(self, **kwargs):
        super(LibvirtConfigGuestCPU, self).__init__(root_name='cpu', **kwargs)
        self.mode = None
        self.maxphysaddr_mode = None
        self.maxphysaddr_bits = None

    def format_dom(self):
        cpu = super(LibvirtConfigGuestCPU, self).format_dom()
        if self.mode is not None:
            cpu.set('mode', self.mode)
        if self.maxphysaddr_mode is not None:
            addr = etree.SubElement(cpu, 'maxphysaddr', mode=self.maxphysaddr_mode)
            if self.maxphysaddr_bits is not None:
                addr.set('bits', str(self.maxphysaddr_bits))
        return cpu


class LibvirtConfigGuestIOMMU(LibvirtConfigObject):
    def __init__(self, **kwargs):
        super(LibvirtConfigGuestIOMMU, self).__init__(root_name='iommu', **kwargs)
        self.model = 'intel'
        self.aw_bits = None

    def format_dom(self):
        iommu = super(LibvirtConfigGuestIOMMU, self).format_dom()
        iommu.set('model', self.model)
        if self.aw_bits is not None:
            driver = etree.SubElement(iommu, 'driver')
            driver.set('aw_bits', str(self.aw_bits))
        return iommu
