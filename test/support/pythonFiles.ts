// The project's own Python sources for tests that run over all of them: fixtures and examples.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function pythonFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) pythonFiles(p, out);
    else if (e.name.endsWith('.py')) out.push(p);
  }
  return out;
}

/** Every fixture and example `.py` file (paths relative to the project's root, where tests run). */
export const fixtureAndExampleFiles = (): string[] => [...pythonFiles('test/fixtures'), ...pythonFiles('examples')];
