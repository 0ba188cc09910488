// `libvirt-gate config [PATH]`: the policy a file at PATH gets, and where each value came from.
// "auto" minimums need the workspace index: the Python files under the config file's folder
// (without a config: under PATH) are read as `check` would read them, and those that can
// define MIN_LIBVIRT_VERSION / MIN_QEMU_VERSION are indexed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { excludeWarnings, formatConfigWarning } from '../config/excludePatterns';
import { PolicyResolver, type ExcludePattern, type ResolvedPolicy } from '../config/loadConfig';
import { initParser, WorkspaceIndex } from '../engine/api';
import type { ConfigOptions } from './args';
import { ConfigFailure } from './check';
import { discoverFiles, PathError } from './discover';
import { jsonWarning } from './formatJson';
import type { CliIo } from './io';
import { formatPolicyJson, formatPolicyText } from './policyView';
import { displayRel } from './report';
import { readSource } from './source';
import { toolVersion } from './version';

/**
 * The file whose policy is shown: PATH, a file in PATH when it is a folder, or one in the
 * working folder; `folder` names that folder for the text header.
 */
function targetFile(given: string | undefined, cwd: string): { file: string; shown: string; folder?: string } {
  const probe = '__probe__.py';
  if (given === undefined) return { file: path.join(cwd, probe), shown: probe, folder: 'the working folder' };
  const abs = path.resolve(cwd, given);
  let isDir = false;
  try {
    isDir = fs.statSync(abs).isDirectory();
  } catch {
    // A file that does not exist yet gets the policy it would have.
  }
  if (!isDir) return { file: abs, shown: displayRel(cwd, abs) };
  const file = path.join(abs, probe);
  return { file, shown: displayRel(cwd, file), folder: abs === cwd ? 'the working folder' : displayRel(cwd, abs) };
}

/** Whether either minimum is still the built-in default, so MIN_* constants in the workspace could set it. */
function needsAuto(resolved: ResolvedPolicy): boolean {
  return resolved.origins.minLibvirt.kind === 'default' || resolved.origins.minQemu.kind === 'default';
}

async function indexFor(root: string, options: ConfigOptions, io: CliIo): Promise<WorkspaceIndex> {
  const base = { cwd: io.cwd, ...(options.configFile === undefined ? {} : { configFile: options.configFile }) };
  let files: string[] = [];
  try {
    files = discoverFiles([root], { cwd: io.cwd, exclude: options.exclude, resolver: new PolicyResolver(base) });
  } catch (e) {
    if (!(e instanceof PathError)) throw e;
  }
  const index = new WorkspaceIndex();
  await initParser();
  for (const file of files) {
    const source = readSource(file);
    // Only a file that names a constant can define it: the others need no parse.
    if (source.kind === 'skip' || !/MIN_(LIBVIRT|QEMU)_VERSION/.test(source.text)) continue;
    index.setFile(pathToFileURL(file).href, source.text);
  }
  return index;
}

export async function runConfigCommand(options: ConfigOptions, io: CliIo): Promise<number> {
  const { file, shown, folder } = targetFile(options.path, io.cwd);
  const base = {
    overrides: options.overrides,
    cwd: io.cwd,
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
  };
  let resolved = new PolicyResolver(base).resolve(file);
  const firstError = resolved.errors[0];
  if (firstError) throw new ConfigFailure(firstError);
  if (needsAuto(resolved)) {
    const root = resolved.configFile
      ? path.dirname(resolved.configFile)
      : options.path === undefined
        ? io.cwd
        : path.resolve(io.cwd, options.path);
    const index = await indexFor(root, options, io);
    resolved = new PolicyResolver({ ...base, index }).resolve(file);
  }
  const cliExclude: ExcludePattern[] = [...new Set(options.exclude)].map((pattern) => ({
    pattern,
    base: io.cwd,
    origin: { kind: 'flag', flag: '--exclude' },
  }));
  const warnings = await excludeWarnings([...resolved.excludePatterns, ...cliExclude]);
  for (const w of warnings) io.stderr.write(`libvirt-gate: warning: ${formatConfigWarning(w, io.cwd)}\n`);
  const view = { file: shown, ...(folder ? { folder } : {}), resolved, cliExclude, cwd: io.cwd };
  io.stdout.write(
    options.format === 'json'
      ? formatPolicyJson(
          view,
          toolVersion,
          warnings.map((w) => jsonWarning(io.cwd, w)),
        )
      : formatPolicyText(view),
  );
  return 0;
}
