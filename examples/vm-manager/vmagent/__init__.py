"""vm-agent: a small host agent that drives libvirt directly (an example for libvirt-gate)."""
