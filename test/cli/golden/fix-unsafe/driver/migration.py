try:
    from libvirt import VIR_MIGRATE_POSTCOPY as POSTCOPY
except ImportError:
    POSTCOPY = None
import libvirt as lv

if CONF.libvirt.enable_untested_features:
    flags = POSTCOPY | lv.VIR_MIGRATE_AUTO_CONVERGE
if CONF.libvirt.enable_untested_features:
    typo = lv.VIR_MIGRATE_POSTCOPY


def freeze(dom):
    dom.fsFreeze()  # libvirt-gate: ignore[LVG002]
