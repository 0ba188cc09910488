"""`python -m libvirt_gate ...`: the same as the `libvirt-gate` console script."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
