#!/usr/bin/env node
// Builds server/src/data/libvirtDb.json, the libvirt feature database bundled
// into the extension, from scripts/libvirt-api/{symbols,python-binding}.tsv.
//
// Usage:
//   node scripts/build-db.mjs              regenerate server/src/data/libvirtDb.json
//   node scripts/build-db.mjs --check      exit 1 if the committed file is stale
//   node scripts/build-db.mjs --from DIR   read the TSV files from DIR instead
//   node scripts/build-db.mjs --out FILE   write (or check) FILE instead
//
// Output format (all lists sorted, so the output is deterministic):
//   {
//     "format": 1,
//     "dataVersion": 12003000,                 // versions: major*1e6 + minor*1e3 + micro
//     "pages": ["libvirt-libvirt-domain", ...], // docs page names, referenced by index
//     "enumTypes": ["virDomainBlockCopyFlags", ...],
//     "classes": { "virDomain": [[name, cName, since, page, returns?], ...], ... },
//     "functions": { "libvirt": [[name, cName, since, page, returns?], ...], ... },
//     "constants": { "libvirt": [[name, since, kind, enumType, value, page], ...], ... }
//   }
// `returns` is a python class name, with a "[]" suffix when the call returns a
// list of them ("virDomain[]"). `kind` is 0 for an enum value, 1 for a macro;
// `enumType` is an index into enumTypes, or -1.
//
// Docs URL of an entry: https://libvirt.org/html/<page>.html#<cName or constant name>

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SCRIPT_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(SCRIPT_DIR, '..');
const DEFAULT_FROM = join(SCRIPT_DIR, 'libvirt-api');
const DEFAULT_OUT = join(REPO_ROOT, 'server', 'src', 'data', 'libvirtDb.json');

const PY_MODULE_OF_SYMBOLS_MODULE = { libvirt: 'libvirt', qemu: 'libvirt_qemu', lxc: 'libvirt_lxc' };
const MODULE_PAGE = { libvirt_qemu: 'libvirt-libvirt-qemu', libvirt_lxc: 'libvirt-libvirt-lxc' };

// ---------------------------------------------------------------------------
// TSV reading

/** Parses a TSV file with a header line into objects keyed by column name. */
export function parseTsv(text, fileName) {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length === 0) throw new Error(`${fileName}: empty file`);
  const header = lines[0].split('\t');
  return lines.slice(1).map((line, i) => {
    const cells = line.split('\t');
    if (cells.length > header.length) {
      throw new Error(`${fileName}:${i + 2}: ${cells.length} columns, header has ${header.length}`);
    }
    const row = {};
    header.forEach((h, j) => {
      row[h] = cells[j] ?? '';
    });
    return row;
  });
}

/** "1.2.14" -> 1002014 */
export function encodeVersion(text, where) {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (!m) throw new Error(`${where}: bad version '${text}'`);
  const [maj, min, mic] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (min > 999 || mic > 999) throw new Error(`${where}: version component too large '${text}'`);
  return maj * 1_000_000 + min * 1_000 + mic;
}

// ---------------------------------------------------------------------------
// Which libvirt header (docs page) a symbol belongs to. The TSVs carry no
// header column, so this is derived from the name (best effort; checked
// against libvirt 9.0.0's libvirt-api.xml where every symbol of the python
// binding and every enum/macro lands on its real page).

const P = {
  common: 'libvirt-libvirt-common',
  domain: 'libvirt-libvirt-domain',
  snapshot: 'libvirt-libvirt-domain-snapshot',
  checkpoint: 'libvirt-libvirt-domain-checkpoint',
  event: 'libvirt-libvirt-event',
  host: 'libvirt-libvirt-host',
  iface: 'libvirt-libvirt-interface',
  network: 'libvirt-libvirt-network',
  nodedev: 'libvirt-libvirt-nodedev',
  nwfilter: 'libvirt-libvirt-nwfilter',
  secret: 'libvirt-libvirt-secret',
  storage: 'libvirt-libvirt-storage',
  stream: 'libvirt-libvirt-stream',
  virterror: 'libvirt-virterror',
};

/** Page of a C function, typedef or enum type name of the libvirt module (camel case, vir*). */
export function pageOfCName(name) {
  const n = name.replace(/^_/, '');
  // virConnect* functions/types that belong to an object's header.
  if (/^virConnect(ListAll|List|ListDefined|NumOf|NumOfDefined)?Domain/.test(n)) return P.domain;
  if (/^virConnectDomain/.test(n)) return P.domain;
  if (/^virConnect(GetAll)?DomainStats|^virConnectGetAllDomainStats|^virConnectGetDomainCapabilities/.test(n))
    return P.domain;
  if (/^virConnect(ListAll|List|ListDefined|NumOf|NumOfDefined)?Networks?|^virConnectNetwork/.test(n)) return P.network;
  if (
    /^virConnect(ListAll|List|ListDefined|NumOf|NumOfDefined)?StoragePools?|^virConnectStoragePool|^virConnectFindStoragePoolSources|^virConnectGetStoragePoolCapabilities/.test(
      n,
    )
  )
    return P.storage;
  if (/^virConnect(ListAll|List|ListDefined|NumOf|NumOfDefined)?Interfaces?/.test(n)) return P.iface;
  if (
    /^virConnect(ListAll|List|ListDefined|NumOf|NumOfDefined)?NodeDevices?|^virConnectListAllNodeDevice|^virConnectNodeDevice/.test(
      n,
    )
  )
    return P.nodedev;
  if (/^virConnect(ListAll|List|NumOf)?NWFilter/.test(n)) return P.nwfilter;
  if (/^virConnect(ListAll|List|NumOf)?Secrets?|^virConnectSecret/.test(n)) return P.secret;
  if (/^virConnectCloseReason/.test(n)) return P.common;
  if (/^virConnect/.test(n)) return P.host;
  // Object prefixes.
  if (/^virDomainSnapshot|^virDomain(ListAll|HasCurrent|RevertTo)Snapshots?/.test(n)) return P.snapshot;
  if (/^virDomainCheckpoint|^virDomainListAllCheckpoints/.test(n)) return P.checkpoint;
  if (/^virDomain/.test(n)) return P.domain;
  if (/^virNetwork/.test(n)) return P.network;
  if (/^virStorage/.test(n)) return P.storage;
  if (/^virInterface/.test(n)) return P.iface;
  if (/^virNodeDevice|^virNode(ListDevices|NumOfDevices)/.test(n)) return P.nodedev;
  if (/^virNWFilter/.test(n)) return P.nwfilter;
  if (/^virSecret/.test(n)) return P.secret;
  if (/^virStream/.test(n)) return P.stream;
  if (/^virEvent/.test(n)) return P.event;
  if (/^virTypedParameter(Type|Flags|Ptr)?$|^virTypedParams/.test(n)) return P.common;
  if (/^virIPAddrType/.test(n)) return P.network;
  // Error handling.
  if (
    /^vir(Error|Conn(Copy|Get|Reset)LastError|ConnSetErrorFunc|(Get|Reset|Copy|Save)LastError|SetErrorFunc|DefaultErrorFunc|FreeError|ResetError)/.test(
      n,
    )
  )
    return P.virterror;
  // Domain-related types that do not start with virDomain.
  if (/^vir(Vcpu|KeycodeSet|SchedParameter|BlkioParameter|MemoryParameter)/.test(n)) return P.domain;
  // virNode*, virGetVersion, virInitialize, CPU comparison, credentials...
  return P.host;
}

/** Page of a VIR_* constant; `group` is its enum type (may be empty). */
export function pageOfConstant(name, group) {
  if (group) return pageOfCName(group);
  // Macros (typed parameter field names, buffer lengths, ...).
  if (/^VIR_DOMAIN_SNAPSHOT_/.test(name)) return P.snapshot;
  if (/^VIR_DOMAIN_CHECKPOINT_/.test(name)) return P.checkpoint;
  if (/^VIR_(DOMAIN|MIGRATE|KEYCODE_SET|VCPU|PERF|MEMORY|CPU_|COPY_CPUMAP|GET_CPUMAP|UNUSE_CPU|USE_CPU)/.test(name))
    return P.domain;
  if (/^VIR_CONNECT_LIST_DOMAINS_|^VIR_CONNECT_GET_ALL_DOMAINS_STATS_|^VIR_CONNECT_DOMAIN_/.test(name)) return P.domain;
  if (/^VIR_CONNECT_LIST_NETWORKS_|^VIR_NETWORK_/.test(name)) return P.network;
  if (/^VIR_CONNECT_LIST_STORAGE_POOLS_|^VIR_STORAGE_/.test(name)) return P.storage;
  if (/^VIR_CONNECT_LIST_INTERFACES_|^VIR_INTERFACE_/.test(name)) return P.iface;
  if (/^VIR_CONNECT_LIST_NODE_DEVICES_|^VIR_NODE_DEVICE_/.test(name)) return P.nodedev;
  if (/^VIR_NWFILTER_/.test(name)) return P.nwfilter;
  if (/^VIR_CONNECT_LIST_SECRETS_|^VIR_SECRET_/.test(name)) return P.secret;
  if (/^VIR_STREAM_/.test(name)) return P.stream;
  if (/^VIR_EVENT_/.test(name)) return P.event;
  if (/^VIR_(ERR|FROM|WAR)_/.test(name)) return P.virterror;
  if (/^VIR_TYPED_PARAM_|^VIR_CONNECT_CLOSE_REASON_/.test(name)) return P.common;
  return P.host;
}

// ---------------------------------------------------------------------------
// Building

/** Builds the database object from the two TSV texts. */
export function buildDb(symbolsText, bindingText) {
  const symbols = parseTsv(symbolsText, 'symbols.tsv');
  const binding = parseTsv(bindingText, 'python-binding.tsv');

  let dataVersion = 0;
  const functions = new Map(); // C name -> row
  symbols.forEach((s, i) => {
    const v = encodeVersion(s.since, `symbols.tsv:${i + 2}`);
    if (v > dataVersion) dataVersion = v;
    if (s.kind === 'function') functions.set(s.name, s);
  });

  const classNames = new Set(binding.map((b) => b.pyclass).filter((c) => c !== '' && c !== 'libvirtError'));

  const pages = new Set();
  const enumTypes = new Set();

  /** Python class returned by a C function, with "[]" for lists, or undefined. */
  const returnsOf = (pyModule, pyClass, name, cName) => {
    if (pyModule === 'libvirt' && pyClass === '' && ['open', 'openReadOnly', 'openAuth'].includes(name)) {
      return 'virConnect';
    }
    const fn = functions.get(cName);
    if (!fn) return undefined;
    const ptr = /^(vir\w+)Ptr$/;
    const list = ptr.exec(fn.lists ?? '');
    if (list) return classNames.has(list[1]) ? `${list[1]}[]` : undefined;
    const ret = ptr.exec((fn.returns ?? '').trim());
    if (ret && classNames.has(ret[1])) return ret[1];
    return undefined;
  };

  const pageOfFunction = (pyModule, cName) => MODULE_PAGE[pyModule] ?? pageOfCName(cName);

  const classes = {};
  const moduleFunctions = {};
  const warnings = [];
  binding.forEach((b, i) => {
    const where = `python-binding.tsv:${i + 2}`;
    if (b.pyclass === 'libvirtError' || b.pymethod === '__init__' || b.pymethod === '__del__') return;
    if (!['libvirt', 'libvirt_qemu', 'libvirt_lxc'].includes(b.pymodule)) {
      throw new Error(`${where}: unknown python module '${b.pymodule}'`);
    }
    const since = encodeVersion(b.since, where);
    if (!functions.has(b.cfunction)) warnings.push(`${where}: C function ${b.cfunction} not in symbols.tsv`);
    const page = pageOfFunction(b.pymodule, b.cfunction);
    pages.add(page);
    const entry = [b.pymethod, b.cfunction, since, page];
    const ret = returnsOf(b.pymodule, b.pyclass, b.pymethod, b.cfunction);
    if (ret) entry.push(ret);
    const table = b.pyclass === '' ? moduleFunctions : classes;
    const key = b.pyclass === '' ? b.pymodule : b.pyclass;
    (table[key] ??= []).push(entry);
  });

  const constants = {};
  symbols.forEach((s) => {
    if (s.kind !== 'enum' && s.kind !== 'macro') return;
    if (!s.name.startsWith('VIR_')) return;
    const pyModule = PY_MODULE_OF_SYMBOLS_MODULE[s.module];
    if (!pyModule) return; // admin: no python module
    const page = MODULE_PAGE[pyModule] ?? pageOfConstant(s.name, s.group);
    pages.add(page);
    if (s.group) enumTypes.add(s.group);
    (constants[pyModule] ??= []).push({
      name: s.name,
      since: encodeVersion(s.since, s.name),
      kind: s.kind === 'enum' ? 0 : 1,
      group: s.group,
      value: s.value,
      page,
    });
  });

  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const pageList = [...pages].sort(cmp);
  const enumTypeList = [...enumTypes].sort(cmp);
  const pageIndex = new Map(pageList.map((p, i) => [p, i]));
  const enumIndex = new Map(enumTypeList.map((g, i) => [g, i]));

  const sortedObject = (obj, mapRows) =>
    Object.fromEntries(
      Object.keys(obj)
        .sort(cmp)
        .map((k) => [k, mapRows(obj[k])]),
    );
  const methodRows = (rows) =>
    rows
      .slice()
      .sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]))
      .map(([name, cName, since, page, ret]) =>
        ret === undefined ? [name, cName, since, pageIndex.get(page)] : [name, cName, since, pageIndex.get(page), ret],
      );

  // Duplicate checks: one (class, name) and one (module, constant) each.
  for (const [key, rows] of [...Object.entries(classes), ...Object.entries(moduleFunctions)]) {
    const seen = new Set();
    for (const r of rows) {
      if (seen.has(r[0])) throw new Error(`duplicate python name ${key}.${r[0]}`);
      seen.add(r[0]);
    }
  }
  for (const [mod, rows] of Object.entries(constants)) {
    const seen = new Set();
    for (const r of rows) {
      if (seen.has(r.name)) throw new Error(`duplicate constant ${mod}.${r.name}`);
      seen.add(r.name);
    }
  }

  const db = {
    format: 1,
    dataVersion,
    pages: pageList,
    enumTypes: enumTypeList,
    classes: sortedObject(classes, methodRows),
    functions: sortedObject(moduleFunctions, methodRows),
    constants: sortedObject(constants, (rows) =>
      rows
        .slice()
        .sort((a, b) => cmp(a.name, b.name))
        .map((c) => [c.name, c.since, c.kind, c.group ? enumIndex.get(c.group) : -1, c.value, pageIndex.get(c.page)]),
    ),
  };
  return { db, warnings };
}

/** Serializes with one table row per line: compact, yet diffs stay readable. */
export function serialize(db) {
  const out = ['{'];
  const keys = Object.keys(db);
  keys.forEach((key, i) => {
    const comma = i < keys.length - 1 ? ',' : '';
    const value = db[key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const sub = Object.keys(value);
      out.push(`${JSON.stringify(key)}:{`);
      sub.forEach((s, j) => {
        const rows = value[s];
        out.push(`${JSON.stringify(s)}:[`);
        rows.forEach((r, k) => out.push(JSON.stringify(r) + (k < rows.length - 1 ? ',' : '')));
        out.push(']' + (j < sub.length - 1 ? ',' : ''));
      });
      out.push('}' + comma);
    } else {
      out.push(`${JSON.stringify(key)}:${JSON.stringify(value)}${comma}`);
    }
  });
  out.push('}');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------
// CLI

function parseArgs(argv) {
  const opts = { from: DEFAULT_FROM, out: DEFAULT_OUT, check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') opts.check = true;
    else if (a === '--from' || a === '--out') {
      const v = argv[++i];
      if (!v) throw new Error(`${a} needs a value`);
      opts[a.slice(2)] = resolve(v);
    } else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/build-db.mjs [--check] [--from DIR] [--out FILE]');
      process.exit(0);
    } else throw new Error(`unknown argument '${a}'`);
  }
  return opts;
}

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`build-db: ${e.message}`);
    process.exit(2);
  }
  const symbolsText = readFileSync(join(opts.from, 'symbols.tsv'), 'utf8');
  const bindingText = readFileSync(join(opts.from, 'python-binding.tsv'), 'utf8');
  const { db, warnings } = buildDb(symbolsText, bindingText);
  for (const w of warnings) console.error(`build-db: warning: ${w}`);
  const text = serialize(db);
  const rel = opts.out.startsWith(REPO_ROOT) ? opts.out.slice(REPO_ROOT.length + 1) : opts.out;

  if (opts.check) {
    let current;
    try {
      current = readFileSync(opts.out, 'utf8');
    } catch {
      console.error(`build-db --check: ${rel} does not exist; run 'node scripts/build-db.mjs'`);
      process.exit(1);
    }
    if (current !== text) {
      console.error(
        `build-db --check: ${rel} is out of date with ${opts.from}; run 'node scripts/build-db.mjs' and commit the result`,
      );
      process.exit(1);
    }
    console.log(`build-db --check: ${rel} is up to date`);
    return;
  }
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, text);
  const count = (o) => Object.values(o).reduce((n, rows) => n + rows.length, 0);
  console.log(
    `build-db: wrote ${rel} (${text.length} bytes; ${count(db.classes)} methods, ` +
      `${count(db.functions)} module functions, ${count(db.constants)} constants; data up to ${db.dataVersion})`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main();
}
