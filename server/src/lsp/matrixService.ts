// The support matrix in the editor: the workspace's files (open documents as edited, the others
// from disk, like workspace diagnostics) analyzed with their policies, built and rendered by
// the same matrix module as `libvirt-gate matrix`. Files on disk are analyzed once per change
// of the file, the policies or the index; a client that asked for a matrix is told when it may
// have changed.
import * as path from 'node:path';
import type { CancellationToken, Connection } from 'vscode-languageserver';
import { excludedByConfig, type PatternSet } from '../config/excludePatterns';
import type { AnalysisResult } from '../engine/api';
import type { ResolvedPolicy } from '../config/loadConfig';
import { formatMatrixHtml } from '../matrix/matrixHtml';
import { formatMatrixJson } from '../matrix/matrixJson';
import {
  buildMatrix,
  configuredDistros,
  linesOf,
  type MatrixFileInput,
  type MatrixFileNote,
} from '../matrix/matrixData';
import { formatMatrixMarkdown, formatMatrixText } from '../matrix/matrixText';
import { cancelled, type AnalysisService, type FactsRead } from './analysisService';
import type { Logger } from './log';
import { uriToPath } from './policyStore';
import { matrixChangedNotification, type MatrixParams, type MatrixResult } from './protocol';
import { readIndexable } from './workspaceScan';

const changeDebounceMs = 500;
const serverVersion = '0.1.0';

interface DiskEntry {
  readonly key: string;
  readonly read: FactsRead;
  readonly input: MatrixFileInput | undefined;
  readonly note?: MatrixFileNote;
}

/** The lines a file's paths start on, kept instead of the whole text. */
function keptLines(text: string, result: AnalysisResult): (line: number) => string {
  const all = linesOf(text);
  const kept = new Map(result.paths.map((p) => [p.range.start.line, all(p.range.start.line)]));
  return (line) => kept.get(line) ?? '';
}

export class MatrixService {
  private readonly disk = new Map<string, DiskEntry>();
  private readonly excludeMatchers = new Map<string, PatternSet>();
  private matchersGeneration = -1;
  private asked = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly service: AnalysisService,
    private readonly connection: Connection,
    private readonly log: Logger,
  ) {}

  /** Something the matrix depends on changed: tell a client that asked for one (debounced). */
  changed(): void {
    if (!this.asked) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connection.sendNotification(matrixChangedNotification, {});
    }, changeDebounceMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  async render(params: MatrixParams, token: CancellationToken): Promise<MatrixResult> {
    this.asked = true;
    const { inputs, skipped } = await this.inputs(token);
    const distros = params.distros ?? configuredDistros(new Set(inputs.map((i) => i.policy)));
    const displayUri = (uri: string): string => {
      const file = uriToPath(uri);
      return file ? this.displayPath(uri, file) : uri;
    };
    const matrix = buildMatrix(inputs, { distros, skipped, displayUri });
    const format = params.format ?? 'html';
    const content =
      format === 'json'
        ? formatMatrixJson(matrix, serverVersion)
        : format === 'markdown'
          ? formatMatrixMarkdown(matrix)
          : format === 'text'
            ? formatMatrixText(matrix, { color: false })
            : formatMatrixHtml(matrix, {
                toolVersion: serverVersion,
                ...(params.webview ? { webview: params.webview } : {}),
              });
    return { format, content, files: matrix.files, paths: matrix.summary.paths };
  }

  /** Every Python file of the workspace, sorted by URI, minus what the configs exclude. */
  private async inputs(token: CancellationToken): Promise<{ inputs: MatrixFileInput[]; skipped: MatrixFileNote[] }> {
    const service = this.service;
    const open = service.docs.all().filter((d) => d.uri.startsWith('file:') && d.uri.endsWith('.py'));
    const uris = [...new Set([...service.diskFiles.keys(), ...open.map((d) => d.uri)])].sort();
    // Configs changed: their exclude globs may have too. Files gone from the workspace go.
    if (this.matchersGeneration !== service.policies.generation) {
      this.excludeMatchers.clear();
      this.matchersGeneration = service.policies.generation;
    }
    const present = new Set(uris);
    for (const uri of this.disk.keys()) if (!present.has(uri)) this.disk.delete(uri);
    const inputs: MatrixFileInput[] = [];
    const skipped: MatrixFileNote[] = [];
    for (const [i, uri] of uris.entries()) {
      if (token.isCancellationRequested) throw cancelled();
      const file = uriToPath(uri);
      if (!file) continue;
      const display = this.displayPath(uri, file);
      if (service.docs.get(uri)) {
        const analysis = await service.analysisOf(uri, token);
        if (!analysis || this.excluded(analysis.resolved, file)) continue;
        inputs.push(this.input(display, uri, analysis.text, analysis.resolved, analysis.result));
        continue;
      }
      const entry = await this.diskEntry(uri, file, display);
      if (entry.input) inputs.push(entry.input);
      if (entry.note) skipped.push(entry.note);
      // Yield now and then: requests for open documents must not wait for the whole workspace.
      if (i % 20 === 19) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { inputs, skipped };
  }

  private async diskEntry(uri: string, file: string, display: string): Promise<DiskEntry> {
    const service = this.service;
    // Unchanged while the file, the policies and the facts it read of other files are.
    const key = `${service.diskFiles.get(uri) ?? 0}.${service.policies.generation}`;
    const cached = this.disk.get(uri);
    if (cached?.key === key && service.stillValid(cached.read)) return cached;
    let entry: DiskEntry;
    const text = await readIndexable(file);
    const unread: FactsRead = { facts: [], checkedAt: service.indexGeneration };
    if (text === undefined) {
      const note = { file: display, reason: 'not read (larger than 2 MB, or not text)' };
      entry = { key, read: unread, input: undefined, note };
    } else {
      try {
        const { result, resolved, read } = await service.analyzeDiskFile(uri, text, true);
        entry = {
          key,
          read,
          input: this.excluded(resolved, file) ? undefined : this.input(display, uri, text, resolved, result),
        };
      } catch (e) {
        this.log.exception(`matrix: analyzing ${uri}`, e);
        entry = {
          key,
          read: unread,
          input: undefined,
          note: { file: display, reason: 'internal error, file not analyzed' },
        };
      }
    }
    this.disk.set(uri, entry);
    return entry;
  }

  private input(
    display: string,
    uri: string,
    text: string,
    resolved: ResolvedPolicy,
    result: AnalysisResult,
  ): MatrixFileInput {
    return {
      file: display,
      uri,
      lineText: keptLines(text, result),
      policy: resolved.policy,
      paths: result.paths,
      findingCodes: result.findings.map((f) => f.code),
    };
  }

  private excluded(resolved: ResolvedPolicy, file: string): boolean {
    return excludedByConfig(resolved, file, this.excludeMatchers);
  }

  /** Relative to its workspace folder; with several folders, under the folder's name. */
  private displayPath(uri: string, file: string): string {
    const folder = this.service.folderOf(uri).path;
    if (!folder) return file.split(path.sep).join('/');
    const rel = path.relative(folder, file).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) return file.split(path.sep).join('/');
    return this.service.folders.length > 1 ? `${path.basename(folder)}/${rel}` : rel;
  }
}
