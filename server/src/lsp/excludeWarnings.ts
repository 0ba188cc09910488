// Exclude patterns of config files that match nothing, for warning diagnostics on the
// patterns. The walk is the CLI's (config/excludePatterns.ts), so both warn alike; it runs in
// the background per config file, and again (debounced) when files are created or deleted.
import { excludeWarnings, type ConfigWarning } from '../config/excludePatterns';
import type { ExcludePattern } from '../config/loadConfig';

interface Entry {
  patterns: readonly ExcludePattern[];
  /** What `warnings` was computed for (generation and patterns); a walk running for another key replaces it. */
  computedFor?: string;
  running?: string;
  warnings: readonly ConfigWarning[];
}

const recheckDebounceMs = 300;

export class ExcludeWarningStore {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Called when a config file's warnings changed. */
    private readonly changed: (configFile: string) => void,
    private readonly failed: (configFile: string, e: unknown) => void,
  ) {}

  /** The warnings last found for a config file (none until its first walk ends). */
  current(configFile: string): readonly ConfigWarning[] {
    return this.entries.get(configFile)?.warnings ?? [];
  }

  /** Notes a config file's patterns; walks its folder when they, or the files, changed since the last walk. */
  track(configFile: string, patterns: readonly ExcludePattern[]): void {
    let entry = this.entries.get(configFile);
    if (!entry) this.entries.set(configFile, (entry = { patterns, warnings: [] }));
    entry.patterns = patterns;
    this.start(configFile, entry);
  }

  /** Files were created or deleted: walk again (after a quiet moment: a checkout sends many events). */
  filesChanged(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const [file, entry] of this.entries) this.start(file, entry);
    }, recheckDebounceMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private start(configFile: string, entry: Entry): void {
    const key = JSON.stringify([this.generation, entry.patterns]);
    if (entry.computedFor === key || entry.running === key) return;
    if (entry.patterns.length === 0) {
      entry.running = undefined;
      this.settle(configFile, entry, key, []);
      return;
    }
    entry.running = key;
    excludeWarnings(entry.patterns).then(
      (warnings) => {
        if (entry.running === key) this.settle(configFile, entry, key, warnings);
      },
      (e: unknown) => {
        if (entry.running === key) entry.running = undefined;
        this.failed(configFile, e);
      },
    );
  }

  private settle(configFile: string, entry: Entry, key: string, warnings: readonly ConfigWarning[]): void {
    entry.running = undefined;
    entry.computedFor = key;
    const before = JSON.stringify(entry.warnings);
    entry.warnings = warnings;
    if (JSON.stringify(warnings) !== before) this.changed(configFile);
  }
}
