// Policies per document: config/'s PolicyResolver (nearest config file over the editor
// settings, the file winning) with one resolver per workspace folder, since settings are
// per folder. Everything is dropped when settings, a config file or the "auto" minimum change.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PolicyResolver, clearConfigCache, type ResolvedPolicy } from '../config/loadConfig';
import { formatConfigError, type ConfigError } from '../config/configError';
import type { WorkspaceIndex } from '../engine/api';
import { formatVersion } from '../data/version';
import type { Policy } from '../config/policy';
import { settingsAsConfigTable, type EditorSettings } from './settings';
import type { StatusParams } from './protocol';

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class PolicyStore {
  private readonly resolvers = new Map<string, PolicyResolver>();
  /** Bumped on every invalidation; part of every diagnostics resultId. */
  private gen = 0;

  constructor(private readonly index: WorkspaceIndex) {}

  get generation(): number {
    return this.gen;
  }

  /**
   * `folderPath` is the document's workspace folder (its settings scope); untitled documents
   * resolve as if they sat at its root.
   */
  resolve(uri: string, folderPath: string | undefined, folderKey: string, settings: EditorSettings): ResolvedPolicy {
    let resolver = this.resolvers.get(folderKey);
    if (!resolver) {
      resolver = new PolicyResolver({
        settings: settingsAsConfigTable(settings),
        index: this.index,
        cwd: folderPath ?? process.cwd(),
      });
      this.resolvers.set(folderKey, resolver);
    }
    const file = uriToPath(uri) ?? path.join(folderPath ?? process.cwd(), 'untitled.py');
    return resolver.resolve(file);
  }

  /** Settings changed, a config file changed, or the index's "auto" minimum moved. */
  invalidate(configFilesChanged: boolean): void {
    if (configFilesChanged) clearConfigCache();
    this.resolvers.clear();
    this.gen++;
  }
}

/** Config errors grouped by the file to put their diagnostics on (settings errors have no file). */
export function configErrorsByFile(errors: readonly ConfigError[]): {
  files: Map<string, ConfigError[]>;
  other: ConfigError[];
} {
  const files = new Map<string, ConfigError[]>();
  const other: ConfigError[] = [];
  for (const e of errors) {
    if (e.origin === 'file' && path.isAbsolute(e.file)) {
      const uri = pathToFileURL(e.file).toString();
      files.set(uri, [...(files.get(uri) ?? []), e]);
    } else {
      other.push(e);
    }
  }
  return { files, other };
}

export function describeConfigError(e: ConfigError): string {
  return formatConfigError(e);
}

/** "libvirt ≥ 8.0.0 · CI 10.0.0": the minimum, and the libvirt of each upstream CI job. */
export function statusFor(uri: string, resolved: ResolvedPolicy): StatusParams {
  const p: Policy = resolved.policy;
  const upstream = p.ci.filter((j) => j.kind === 'upstream').map((j) => formatVersion(j.libvirt));
  const text = `libvirt ≥ ${formatVersion(p.minLibvirt)} · CI ${upstream.length ? upstream.join(', ') : 'none'}`;
  const jobs = p.ci.map(
    (j) =>
      `${j.name} (${j.kind}): libvirt ${formatVersion(j.libvirt)}${j.qemu === undefined ? '' : `, QEMU ${formatVersion(j.qemu)}`}`,
  );
  const detail = [
    `Minimum libvirt ${formatVersion(p.minLibvirt)} (${p.minLibvirtSource}), QEMU ${formatVersion(p.minQemu)} (${p.minQemuSource})`,
    `CI: ${jobs.length ? jobs.join('; ') : 'none'}`,
    `Gate: ${p.gates.length ? p.gates.join(', ') : 'none'}`,
    resolved.configFile ? `Config: ${resolved.configFile}` : 'Config: none (defaults and settings)',
  ].join('\n');
  return {
    uri,
    text,
    detail,
    ...(resolved.configFile ? { configFile: pathToFileURL(resolved.configFile).toString() } : {}),
    configErrors: resolved.errors.length > 0,
  };
}
