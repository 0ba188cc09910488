// Where this machine keeps Python sources for the differential tests: the standard library of
// every installed Python 3 (/usr/lib/python3*, dist-packages included; CI may add the test
// suite). Sorted, so a sample is the same on every run on one machine.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function stdlibRoots(): string[] {
  if (!fs.existsSync('/usr/lib')) return [];
  return fs
    .readdirSync('/usr/lib')
    .filter((d) => /^python3(\.\d+)?$/.test(d))
    .sort()
    .map((d) => path.join('/usr/lib', d));
}

/** Every .py file under these folders (symbolic links not followed), sorted. */
export function pythonFiles(roots: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.py')) out.push(p);
    }
  };
  for (const root of roots) walk(root);
  return out.sort();
}
