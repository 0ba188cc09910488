// Records file-system and network use of the code under test: every path-taking fs function
// (sync, callback and promise forms) and every way to open a connection is wrapped while the
// recorder is installed. Reads and writes run as usual; connections are refused (and recorded).
// In-process: `const rec = installRecorder(); ... rec.restore()`. In a child process (the
// language server): `node --import tsx --import ./test/support/fsRecorder.ts ...` with
// LVG_FS_RECORD=1 in its environment prints one `LVGFS {json}` line on stderr per access.
// The modules themselves (not namespace copies): the wrappers must be what every `require` sees.
import fs = require('node:fs');
import http = require('node:http');
import https = require('node:https');
import net = require('node:net');
import tls = require('node:tls');
import dns = require('node:dns');
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Access = 'read' | 'probe' | 'write' | 'network';

export interface FsRecord {
  readonly access: Access;
  readonly op: string;
  /** Absolute path (relative ones resolved against the process's cwd); for network, the target. */
  readonly target: string;
}

type Fn = (this: unknown, ...args: unknown[]) => unknown;

const reads = [
  'readFileSync',
  'readFile',
  'readdirSync',
  'readdir',
  'opendirSync',
  'opendir',
  'createReadStream',
  'readlinkSync',
  'readlink',
];
const probes = [
  'statSync',
  'stat',
  'lstatSync',
  'lstat',
  'existsSync',
  'exists',
  'accessSync',
  'access',
  'realpathSync',
  'realpath',
];
const writes = [
  'writeFileSync',
  'writeFile',
  'appendFileSync',
  'appendFile',
  'renameSync',
  'rename',
  'mkdirSync',
  'mkdir',
  'mkdtempSync',
  'mkdtemp',
  'unlinkSync',
  'unlink',
  'rmSync',
  'rm',
  'rmdirSync',
  'rmdir',
  'copyFileSync',
  'copyFile',
  'cpSync',
  'cp',
  'symlinkSync',
  'symlink',
  'linkSync',
  'link',
  'chmodSync',
  'chmod',
  'chownSync',
  'chown',
  'utimesSync',
  'utimes',
  'truncateSync',
  'truncate',
  'createWriteStream',
];
const promiseReads = ['readFile', 'readdir', 'opendir', 'readlink'];
const promiseProbes = ['stat', 'lstat', 'access', 'realpath'];
const promiseWrites = [
  'writeFile',
  'appendFile',
  'rename',
  'mkdir',
  'mkdtemp',
  'unlink',
  'rm',
  'rmdir',
  'copyFile',
  'cp',
  'symlink',
  'link',
  'chmod',
  'chown',
  'utimes',
  'truncate',
];

function pathOf(value: unknown): string | undefined {
  let p: string | undefined;
  if (typeof value === 'string') p = value;
  else if (value instanceof URL) p = value.protocol === 'file:' ? fileURLToPath(value) : undefined;
  else if (Buffer.isBuffer(value)) p = value.toString();
  return p === undefined ? undefined : path.resolve(p);
}

/** open(path, flags): a write when the flags ask for one. */
function openAccess(flags: unknown): Access {
  if (flags === undefined || flags === null) return 'read';
  if (typeof flags === 'number')
    return flags &
      (fs.constants.O_WRONLY |
        fs.constants.O_RDWR |
        fs.constants.O_CREAT |
        fs.constants.O_TRUNC |
        fs.constants.O_APPEND)
      ? 'write'
      : 'read';
  return typeof flags === 'string' && /[wa+]/.test(flags) ? 'write' : 'read';
}

function describeConnect(args: unknown[]): string {
  const first = args[0];
  if (typeof first === 'string') return first;
  if (typeof first === 'number') return `port ${first}`;
  if (first instanceof URL) return first.href;
  if (first && typeof first === 'object') {
    const o = first as { host?: unknown; hostname?: unknown; port?: unknown; path?: unknown; href?: unknown };
    return [o.href, o.hostname ?? o.host, o.port, o.path]
      .filter((x) => x !== undefined)
      .map(String)
      .join(' ');
  }
  return String(first);
}

export interface Recorder {
  readonly records: FsRecord[];
  restore(): void;
}

/** Wraps fs, net, http(s), tls, dns and fetch; `onRecord` sees each access as it happens. */
export function installRecorder(onRecord?: (r: FsRecord) => void): Recorder {
  const records: FsRecord[] = [];
  const restores: (() => void)[] = [];
  let active = true;
  let depth = 0;
  const note = (r: FsRecord): void => {
    if (!active) return;
    records.push(r);
    onRecord?.(r);
  };
  const wrap = (owner: object, name: string, before: (args: unknown[]) => void, block = false): void => {
    const slots = owner as Record<string, unknown>;
    const original = slots[name];
    if (typeof original !== 'function') return;
    const fn = original as Fn;
    const wrapped: Fn = function (this: unknown, ...args: unknown[]): unknown {
      // Only the outermost call is the code's own (writeFileSync opens and writes inside).
      if (depth === 0) before(args);
      if (block && active) throw new Error(`network access refused by the test recorder: ${name}`);
      depth++;
      try {
        return fn.apply(this, args);
      } finally {
        depth--;
      }
    };
    for (const key of Object.keys(fn))
      (wrapped as unknown as Record<string, unknown>)[key] = (fn as unknown as Record<string, unknown>)[key];
    slots[name] = wrapped;
    restores.push(() => {
      slots[name] = original;
    });
  };
  const byPath =
    (access: Access, op: string) =>
    (args: unknown[]): void => {
      const target = pathOf(args[0]);
      if (target !== undefined) note({ access, op, target });
      if (
        access === 'write' &&
        (op.startsWith('rename') ||
          op.startsWith('copyFile') ||
          op.startsWith('cp') ||
          op.startsWith('link') ||
          op.startsWith('symlink'))
      ) {
        const second = pathOf(args[1]);
        if (second !== undefined) note({ access, op: `${op} (to)`, target: second });
      }
    };
  // realpathSync.native / realpath.native first: the wrappers of their owners copy them.
  wrap(fs.realpathSync, 'native', byPath('probe', 'realpathSync.native'));
  wrap(fs.realpath, 'native', byPath('probe', 'realpath.native'));
  for (const name of reads) wrap(fs, name, byPath('read', name));
  for (const name of probes) wrap(fs, name, byPath('probe', name));
  for (const name of writes) wrap(fs, name, byPath('write', name));
  for (const name of ['openSync', 'open']) {
    wrap(fs, name, (args) => {
      const target = pathOf(args[0]);
      if (target !== undefined)
        note({ access: openAccess(typeof args[1] === 'function' ? undefined : args[1]), op: name, target });
    });
  }
  wrap(fs, 'writeSync', (args) => {
    if (args[0] !== 1 && args[0] !== 2) note({ access: 'write', op: 'writeSync', target: `fd ${String(args[0])}` });
  });
  for (const name of promiseReads) wrap(fs.promises, name, byPath('read', `promises.${name}`));
  for (const name of promiseProbes) wrap(fs.promises, name, byPath('probe', `promises.${name}`));
  for (const name of promiseWrites) wrap(fs.promises, name, byPath('write', `promises.${name}`));
  wrap(fs.promises, 'open', (args) => {
    const target = pathOf(args[0]);
    if (target !== undefined) note({ access: openAccess(args[1]), op: 'promises.open', target });
  });
  const connect =
    (op: string) =>
    (args: unknown[]): void =>
      note({ access: 'network', op, target: describeConnect(args) });
  wrap(net.Socket.prototype, 'connect', connect('net.Socket.connect'), true);
  for (const name of ['connect', 'createConnection']) wrap(net, name, connect(`net.${name}`), true);
  wrap(tls, 'connect', connect('tls.connect'), true);
  for (const name of ['request', 'get']) {
    wrap(http, name, connect(`http.${name}`), true);
    wrap(https, name, connect(`https.${name}`), true);
  }
  for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6']) wrap(dns, name, connect(`dns.${name}`), true);
  wrap(dns.promises, 'lookup', connect('dns.promises.lookup'), true);
  wrap(globalThis, 'fetch', connect('fetch'), true);
  return {
    records,
    restore(): void {
      active = false;
      for (const r of restores.reverse()) r();
    },
  };
}

/** Parses the `LVGFS` lines a recorded child process printed on stderr. */
export function recordsFromStderr(stderr: string): FsRecord[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('LVGFS '))
    .map((l) => JSON.parse(l.slice(6)) as FsRecord);
}

/** Accesses outside every allowed root (a path equal to a root counts as inside). */
export function outside(records: readonly FsRecord[], roots: readonly string[]): FsRecord[] {
  return records.filter(
    (r) =>
      r.access !== 'network' && !roots.some((root) => r.target === root || r.target.startsWith(`${root}${path.sep}`)),
  );
}

// Preload mode, for a child process: report every access on stderr, without touching fs.
if (process.env['LVG_FS_RECORD'] === '1') {
  const writeSync = fs.writeSync;
  installRecorder((r) => {
    writeSync(2, `LVGFS ${JSON.stringify(r)}\n`);
  });
}
