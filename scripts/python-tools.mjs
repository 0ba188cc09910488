// Finds the Python that holds the packaging tools the Python distribution needs. Debian's
// python3-build, twine, ... install into /usr/bin/python3, which need not be the first
// python3 on PATH (pyenv, a venv), so each candidate is asked to import the modules.
import { spawnSync } from 'node:child_process';

export const debianPackages = 'python3-build python3-hatchling python3-venv twine';

/** The first of $PYTHON (if set, the only candidate), /usr/bin/python3, python3 that imports every module. */
export function findPython(modules) {
  const candidates = process.env.PYTHON ? [process.env.PYTHON] : ['/usr/bin/python3', 'python3'];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
    if (r.status === 0) return python;
  }
  throw new Error(
    `no Python with ${modules.join(', ')} among ${candidates.join(', ')} (set PYTHON, or on Debian: apt-get install ${debianPackages})`,
  );
}

/** Runs a command with inherited streams; a failure is an Error naming it. */
export function runOrThrow(command, args, options = {}) {
  const r = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (r.error) throw new Error(`${command}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${[command, ...args].join(' ')} exited ${r.status ?? r.signal}`);
}
