// The result cache for repeated `check` runs (opt-in: --cache, --cache-dir DIR or
// LIBVIRT_GATE_CACHE_DIR; the CLI writes nothing the user did not ask for). Per file it keeps
// the index summary, keyed by the text's hash, and the analysis, keyed by the text's hash and
// the policy, with the cross-file facts the analysis read: a cached analysis is used only when
// replaying those questions against today's index gives the same answers, so it is never wrong
// after an edit anywhere. Everything is salted with the tool's own code, so a new version never
// reads an old cache. A broken or unreadable entry is a miss; a cache that cannot be written is
// skipped (and --stats says so).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FactQuery, FileSummary, Finding } from '../engine/api';

export const defaultCacheDir = '.libvirt-gate-cache';

/** JSON with Maps, Sets and infinite numbers (summaries and intervals have them). */
function encode(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Map) return { $map: [...v] };
    if (v instanceof Set) return { $set: [...v] };
    if (v === Infinity) return { $inf: 1 };
    if (v === -Infinity) return { $inf: -1 };
    return v;
  });
}

function decode<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.$map)) return new Map(o.$map as [unknown, unknown][]);
      if (Array.isArray(o.$set)) return new Set(o.$set as unknown[]);
      if (o.$inf === 1) return Infinity;
      if (o.$inf === -1) return -Infinity;
    }
    return v;
  }) as T;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface SummaryEntry {
  readonly salt: string;
  readonly textHash: string;
  readonly optionsKey: string;
  readonly summary: FileSummary;
}

interface AnalysisEntry {
  readonly salt: string;
  readonly textHash: string;
  readonly policyKey: string;
  readonly facts: readonly FactQuery[];
  readonly findings: readonly Finding[];
  readonly notes?: readonly string[];
}

export interface CacheStats {
  summaryHits: number;
  analysisHits: number;
  writes: number;
  /** Why the cache is not in use, when it is not. */
  disabled?: string;
}

export class ResultCache {
  readonly stats: CacheStats = { summaryHits: 0, analysisHits: 0, writes: 0 };
  private writable: boolean;

  constructor(
    readonly dir: string,
    private readonly salt: string,
  ) {
    this.writable = this.prepare();
  }

  /** Creates the folder, marked as a cache (CACHEDIR.TAG) and ignored by git. */
  private prepare(): boolean {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const tag = path.join(this.dir, 'CACHEDIR.TAG');
      if (!fs.existsSync(tag)) {
        fs.writeFileSync(
          tag,
          'Signature: 8a477f597d28d172789f06886806bc55\n# libvirt-gate result cache: safe to delete.\n',
        );
        fs.writeFileSync(path.join(this.dir, '.gitignore'), '*\n');
      }
      return true;
    } catch (e) {
      this.stats.disabled = `cannot use ${this.dir}: ${(e as Error).message}`;
      return false;
    }
  }

  private file(kind: 's' | 'a', uri: string): string {
    return path.join(this.dir, `${kind}-${sha256(uri).slice(0, 32)}.json`);
  }

  private read<T>(file: string): T | undefined {
    if (!this.writable) return undefined;
    try {
      return decode<T>(fs.readFileSync(file, 'utf8'));
    } catch {
      return undefined;
    }
  }

  private write(file: string, entry: unknown): void {
    if (!this.writable) return;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, encode(entry));
      fs.renameSync(tmp, file);
      this.stats.writes++;
    } catch (e) {
      this.writable = false;
      this.stats.disabled = `cannot write to ${this.dir}: ${(e as Error).message}`;
      fs.rmSync(tmp, { force: true });
    }
  }

  summary(uri: string, textHash: string, optionsKey: string): FileSummary | undefined {
    const e = this.read<SummaryEntry>(this.file('s', uri));
    if (!e || e.salt !== this.salt || e.textHash !== textHash || e.optionsKey !== optionsKey || e.summary?.uri !== uri)
      return undefined;
    this.stats.summaryHits++;
    return e.summary;
  }

  storeSummary(uri: string, textHash: string, optionsKey: string, summary: FileSummary): void {
    this.write(this.file('s', uri), { salt: this.salt, textHash, optionsKey, summary } satisfies SummaryEntry);
  }

  /** A cached analysis whose facts still hold (`holds` replays them), else undefined. */
  analysis(
    uri: string,
    textHash: string,
    policyKey: string,
    holds: (facts: readonly FactQuery[]) => boolean,
  ): { findings: readonly Finding[]; notes: readonly string[] } | undefined {
    const e = this.read<AnalysisEntry>(this.file('a', uri));
    if (
      !e ||
      e.salt !== this.salt ||
      e.textHash !== textHash ||
      e.policyKey !== policyKey ||
      !Array.isArray(e.findings)
    )
      return undefined;
    if (!Array.isArray(e.facts) || !holds(e.facts)) return undefined;
    if (e.notes !== undefined && !(Array.isArray(e.notes) && e.notes.every((n) => typeof n === 'string')))
      return undefined;
    this.stats.analysisHits++;
    return { findings: e.findings, notes: e.notes ?? [] };
  }

  storeAnalysis(
    uri: string,
    textHash: string,
    policyKey: string,
    facts: readonly FactQuery[],
    findings: readonly Finding[],
    notes: readonly string[] = [],
  ): void {
    this.write(this.file('a', uri), {
      salt: this.salt,
      textHash,
      policyKey,
      facts,
      findings,
      ...(notes.length ? { notes } : {}),
    } satisfies AnalysisEntry);
  }
}

/**
 * The salt: the tool's version and the code that runs (the bundle, or the entry file under a
 * TypeScript loader), so a rebuilt tool never trusts entries an older build wrote.
 */
export function cacheSalt(toolVersion: string, entry: string | undefined): string {
  let code = '';
  try {
    if (entry) code = sha256(fs.readFileSync(entry, 'utf8'));
  } catch {
    code = 'unknown';
  }
  return sha256(`${toolVersion}\n${code}`);
}
