"""Configuration options of the example driver, declared with oslo.config as Nova does."""

from oslo_config import cfg

CONF = cfg.CONF

libvirt_group = cfg.OptGroup('libvirt', title='Libvirt options')

libvirt_opts = [
    cfg.BoolOpt('enable_untested_features',
                default=False,
                help='Enable libvirt features that upstream CI does not test '
                     '(support class C: no CI job runs them). Use at your own '
                     'risk.'),
    cfg.BoolOpt('live_migration_permit_post_copy',
                default=False,
                help='Allow post-copy live migration.'),
]

CONF.register_group(libvirt_group)
CONF.register_opts(libvirt_opts, group=libvirt_group)
