from libvirt import VIR_MIGRATE_POSTCOPY as POSTCOPY
import libvirt as lv

flags = POSTCOPY | lv.VIR_MIGRATE_AUTO_CONVERGE
typo = lv.VIR_MIGRATE_POST_COPY


def freeze(dom):
    dom.fsFreeze()  # libvirt-gate: ignore[LVG002]
