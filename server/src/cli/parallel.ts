// Both phases of `check` on worker threads: each worker parses with its own tree-sitter, so
// indexing and analysis use every core. Work goes out in small batches to whichever worker
// is free (one huge file must not hold up the others). Everything crossing threads is plain
// data: file texts, index summaries, policies, findings.
import * as os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Policy } from '../config/policy';
import {
  analyzeDocument,
  initParser,
  recordingFacts,
  SnapshotFacts,
  WorkspaceIndex,
  type AnalysisResult,
  type FactQuery,
  type FileSummary,
  type Finding,
  type IndexSnapshot,
  type PathFacts,
  type SummaryOptions,
  type SyntaxTree,
  type WorkspaceFacts,
} from '../engine/api';

const workerTag = 'libvirt-gate-check-worker';

export interface SummarizeJob {
  readonly uri: string;
  readonly text: string;
}
export interface AnalyzeJob {
  readonly uri: string;
  readonly text: string;
  readonly policy: Policy;
  /** Record the cross-file facts the analysis reads (for the result cache). */
  readonly record: boolean;
  /** A tree of `text` already parsed (inline runs only; trees do not cross threads). */
  readonly tree?: SyntaxTree;
  /** Send the version-dependent paths back too (the support matrix). */
  readonly collectPaths: boolean;
  /** Build the findings' fixes (text and GitHub reports and the matrix show none). */
  readonly withFixes: boolean;
}
export interface AnalyzeResult {
  readonly uri: string;
  readonly findings?: readonly Finding[];
  readonly facts?: readonly FactQuery[];
  readonly paths?: readonly PathFacts[];
  /** What the report notes about the file: syntax errors, parts not analyzed, fixes not offered. */
  readonly notes?: readonly string[];
  readonly error?: string;
}

type RequestBody =
  | { readonly kind: 'summarize'; readonly jobs: readonly SummarizeJob[] }
  | { readonly kind: 'index'; readonly snapshot: IndexSnapshot }
  | { readonly kind: 'analyze'; readonly jobs: readonly AnalyzeJob[] };
type Request = RequestBody & { readonly id: number };
interface Reply {
  readonly id: number;
  readonly summaries?: readonly FileSummary[];
  readonly results?: readonly AnalyzeResult[];
  readonly error?: string;
}

/**
 * How many workers pay off: none for small runs (starting one costs ~100 ms), and none on two
 * cores: there the analysis (allocation-heavy, bound by memory) runs each of two threads at
 * about half speed (with one thread, V8's collector has the other core to itself), and workers
 * parse every file again, so one thread is faster (2 vCPUs, whole bench tree, 2026-12-05:
 * 3.9 s inline against 4.9–5.0 s with one worker or two, 280 against 370 and 420 MB).
 * LIBVIRT_GATE_WORKERS=N forces N (0: none).
 */
export function workerCount(
  files: number,
  bytes: number,
  env: Readonly<Record<string, string | undefined>>,
  cores: number = availableCores(),
): number {
  const forced = env['LIBVIRT_GATE_WORKERS'];
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), 16);
  if (cores <= 2 || files < 32 || bytes < 1_000_000) return 0;
  return Math.min(cores, 4);
}

const availableCores = (): number =>
  typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

  constructor(size: number, entry: string, indexOptions: Partial<SummaryOptions>) {
    for (let i = 0; i < size; i++) {
      // Under tsx (tests) the entry is TypeScript: the worker needs tsx's require hook first.
      const w = entry.endsWith('.ts')
        ? new Worker(
            `require(${JSON.stringify(require.resolve(['tsx', 'cjs'].join('/')))}); require(${JSON.stringify(entry)});`,
            { eval: true, workerData: { tag: workerTag, indexOptions } },
          )
        : new Worker(entry, { workerData: { tag: workerTag, indexOptions } });
      w.on('message', (r: Reply) => {
        const waiter = this.waiting.get(r.id);
        this.waiting.delete(r.id);
        if (!waiter) return;
        if (r.error !== undefined) waiter.reject(new Error(r.error));
        else waiter.resolve(r);
      });
      w.on('error', (e) => {
        for (const x of this.waiting.values()) x.reject(e);
        this.waiting.clear();
      });
      this.workers.push(w);
    }
  }

  private send(w: Worker, req: RequestBody): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.postMessage({ ...req, id });
    });
  }

  /**
   * Runs batches of jobs on whichever worker is free, largest texts first (so no big file is
   * left for last); results come back in an unspecified order.
   */
  private async map<J extends { readonly text: string }, R>(
    input: readonly J[],
    run: (w: Worker, batch: readonly J[]) => Promise<readonly R[]>,
    onProgress?: (done: number) => void,
  ): Promise<R[]> {
    const jobs = [...input].sort((a, b) => b.text.length - a.text.length);
    const batchSize = Math.max(1, Math.min(16, Math.ceil(jobs.length / (this.workers.length * 8))));
    const out: R[][] = [];
    let next = 0;
    let done = 0;
    const feed = async (w: Worker): Promise<void> => {
      while (next < jobs.length) {
        const start = next;
        next += batchSize;
        out[start] = [...(await run(w, jobs.slice(start, start + batchSize)))];
        done += Math.min(batchSize, jobs.length - start);
        onProgress?.(done);
      }
    };
    // Two batches in flight per worker: it starts the next while this thread reads its reply.
    await Promise.all(this.workers.flatMap((w) => [feed(w), feed(w)]));
    return out.flatMap((x) => x ?? []);
  }

  summarize(jobs: readonly SummarizeJob[], onProgress?: (done: number) => void): Promise<FileSummary[]> {
    return this.map(
      jobs,
      async (w, batch) => (await this.send(w, { kind: 'summarize', jobs: batch })).summaries ?? [],
      onProgress,
    );
  }

  async loadIndex(snapshot: IndexSnapshot): Promise<void> {
    await Promise.all(this.workers.map((w) => this.send(w, { kind: 'index', snapshot })));
  }

  analyze(jobs: readonly AnalyzeJob[], onProgress?: (done: number) => void): Promise<AnalyzeResult[]> {
    return this.map(
      jobs,
      async (w, batch) => (await this.send(w, { kind: 'analyze', jobs: batch })).results ?? [],
      onProgress,
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * The notes of one analysis the report shows: Python's syntax errors (the parts they break
 * are not analyzed, and no fix is offered), then the analysis' own notes (code nested too
 * deeply, lone carriage returns).
 */
function analysisNotes(result: Pick<AnalysisResult, 'syntaxErrors' | 'firstSyntaxError' | 'notes'>): string[] {
  const n = result.syntaxErrors;
  const first = result.firstSyntaxError;
  const where = first ? ` (the first on line ${first.line + 1}: ${first.message})` : '';
  const syntax = n
    ? [
        `${n} syntax error${n === 1 ? '' : 's'}${where}: the code around ${n === 1 ? 'it' : 'them'} may not be analyzed, and no fixes are offered`,
      ]
    : [];
  return [...syntax, ...result.notes];
}

/** Analyzes one file (in a worker or inline), recording the facts it reads when asked to. */
export function analyzeJob(job: AnalyzeJob, facts: WorkspaceFacts): AnalyzeResult {
  try {
    const recording = job.record ? recordingFacts(facts) : undefined;
    const result = analyzeDocument(
      { uri: job.uri, text: job.text, ...(job.tree ? { tree: job.tree } : {}) },
      recording?.facts ?? facts,
      job.policy,
      // The CLI reports findings (and for `matrix`, paths): no hovers.
      { hovers: false, paths: job.collectPaths, fixes: job.withFixes ? 'eager' : 'none' },
    );
    const notes = analysisNotes(result);
    return {
      uri: job.uri,
      findings: result.findings,
      ...(notes.length ? { notes } : {}),
      ...(recording ? { facts: recording.log } : {}),
      ...(job.collectPaths ? { paths: result.paths } : {}),
    };
  } catch (e) {
    return { uri: job.uri, error: e instanceof Error ? e.message : String(e) };
  }
}

/** True when this thread is a check worker (dist/cli.js is both the CLI and its workers). */
export function isCheckWorker(): boolean {
  return !isMainThread && (workerData as { tag?: string } | null)?.tag === workerTag;
}

export function runCheckWorker(): void {
  const port = parentPort;
  if (!port) return;
  const options = (workerData as { indexOptions: Partial<SummaryOptions> }).indexOptions;
  const index = new WorkspaceIndex(options);
  let facts: WorkspaceFacts = index;
  const ready = initParser();
  port.on('message', (req: Request) => {
    void ready.then(() => {
      try {
        if (req.kind === 'summarize') {
          port.postMessage({
            id: req.id,
            summaries: req.jobs.map((j) => index.summaryFor(j.uri, j.text)),
          } satisfies Reply);
        } else if (req.kind === 'index') {
          facts = new SnapshotFacts(req.snapshot);
          port.postMessage({ id: req.id } satisfies Reply);
        } else {
          const results = req.jobs.map((j) => analyzeJob(j, facts));
          port.postMessage({ id: req.id, results } satisfies Reply);
        }
      } catch (e) {
        port.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) } satisfies Reply);
      }
    });
  });
}
