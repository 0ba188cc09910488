import libvirt

flags = libvirt.VIR_MIGRATE_POSTCOPY
