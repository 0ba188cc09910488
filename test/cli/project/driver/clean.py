import os


def move(src, dst, options, extra):
    os.rename(src, dst)
    options.update(extra)
