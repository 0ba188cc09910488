#!/usr/bin/env node
// Builds server/src/data/libvirtXmlDb.json, the database of libvirt XML features (domain,
// secret and snapshot XML elements, attributes and values, with the libvirt version that
// introduced each) bundled into the extension, from scripts/libvirt-xml/domain-xml-since.tsv.
// The sibling of scripts/build-db.mjs (the API database); it shares that script's TSV reader.
//
// Usage:
//   node scripts/build-xml-db.mjs              regenerate server/src/data/libvirtXmlDb.json
//   node scripts/build-xml-db.mjs --check      exit 1 if the committed file is stale
//   node scripts/build-xml-db.mjs --from FILE  read this TSV instead
//   node scripts/build-xml-db.mjs --out FILE   write (or check) FILE instead
//
// Output format (rows sorted by format, path, attribute, value, so the output is deterministic):
//   {
//     "format": 1,
//     "docs": ["formatdomain", ...],   // docs pages (https://libvirt.org/<page>.html), by index
//     "rows": [[format, path, attribute, value, since, qemuSince, scope, doc, line, phrase, note], ...]
//   }
// `path` is the table's own (`domain/devices/interface[type=vhostuser]/driver`); `attribute`
// and `value` are "" when the row is about an element or an attribute. `since` and
// `qemuSince` are encoded versions (major*1e6 + minor*1e3 + micro), or null: an undated row.
// `doc` indexes `docs`; `line` and `phrase` are the evidence in that page's 11.3.0 source.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodeVersion, parseTsv } from './build-db.mjs';

const SCRIPT_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(SCRIPT_DIR, '..');
const DEFAULT_FROM = join(SCRIPT_DIR, 'libvirt-xml', 'domain-xml-since.tsv');
const DEFAULT_OUT = join(REPO_ROOT, 'server', 'src', 'data', 'libvirtXmlDb.json');

const FORMATS = new Set(['domain', 'secret', 'domainsnapshot']);
const COLUMNS = ['format', 'path', 'attribute', 'value', 'since', 'qemu_since', 'scope', 'evidence', 'note', 'groups'];
const NAME = /^[A-Za-z_][\w.-]*$/;
const STEP = /^([A-Za-z_][\w.-]*)(?:\[([A-Za-z_][\w.-]*)=([^\]/]+)\])?$/;

/** QEMU versions are written "2.0" or "7.1.0" in the docs. */
function encodeQemu(text, where) {
  return encodeVersion(/^\d+\.\d+$/.test(text) ? `${text}.0` : text, where);
}

/** Builds the database object from the TSV text. */
export function buildXmlDb(text) {
  const rows = parseTsv(text, 'domain-xml-since.tsv');
  const header = Object.keys(rows[0] ?? {});
  if (header.join('\t') !== COLUMNS.join('\t')) throw new Error(`domain-xml-since.tsv: columns ${header.join(', ')}`);
  const docs = new Set();
  const seen = new Set();
  const out = rows.map((r, i) => {
    const where = `domain-xml-since.tsv:${i + 2}`;
    if (!FORMATS.has(r.format)) throw new Error(`${where}: unknown format '${r.format}'`);
    const steps = r.path.split('/');
    if (steps[0] !== r.format || !steps.every((s) => STEP.test(s))) throw new Error(`${where}: bad path '${r.path}'`);
    if (r.attribute !== '' && !NAME.test(r.attribute)) throw new Error(`${where}: bad attribute '${r.attribute}'`);
    if (r.value !== '' && r.attribute === '') throw new Error(`${where}: a value without an attribute`);
    const key = `${r.format}|${r.path}|${r.attribute}|${r.value}`;
    if (seen.has(key)) throw new Error(`${where}: duplicate row ${key}`);
    seen.add(key);
    const evidence = /^(\w+)\.rst:(\d+) "(.*)"$/.exec(r.evidence);
    if (!evidence) throw new Error(`${where}: bad evidence '${r.evidence}'`);
    docs.add(evidence[1]);
    const since = r.since === '' ? null : encodeVersion(r.since, where);
    const qemuSince = r.qemu_since === '' ? null : encodeQemu(r.qemu_since, where);
    return {
      row: [r.format, r.path, r.attribute, r.value, since, qemuSince, r.scope, evidence[1], Number(evidence[2])],
      phrase: evidence[3],
      note: r.note,
    };
  });
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const docList = [...docs].sort(cmp);
  const docIndex = new Map(docList.map((d, i) => [d, i]));
  const sorted = out
    .slice()
    .sort(
      (a, b) =>
        cmp(a.row[0], b.row[0]) || cmp(a.row[1], b.row[1]) || cmp(a.row[2], b.row[2]) || cmp(a.row[3], b.row[3]),
    )
    .map(({ row, phrase, note }) => [...row.slice(0, 7), docIndex.get(row[7]), row[8], phrase, note]);
  return { format: 1, docs: docList, rows: sorted };
}

/** One row per line: compact, yet diffs stay readable. */
export function serializeXmlDb(db) {
  const rows = db.rows.map((r, i) => JSON.stringify(r) + (i < db.rows.length - 1 ? ',' : ''));
  return (
    ['{', `"format":${db.format},`, `"docs":${JSON.stringify(db.docs)},`, '"rows":[', ...rows, ']', '}'].join('\n') +
    '\n'
  );
}

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
      console.log('usage: node scripts/build-xml-db.mjs [--check] [--from FILE] [--out FILE]');
      process.exit(0);
    } else throw new Error(`unknown argument '${a}'`);
  }
  return opts;
}

function main() {
  let opts;
  let text;
  try {
    opts = parseArgs(process.argv.slice(2));
    text = serializeXmlDb(buildXmlDb(readFileSync(opts.from, 'utf8')));
  } catch (e) {
    console.error(`build-xml-db: ${e.message}`);
    process.exit(2);
  }
  const rel = opts.out.startsWith(REPO_ROOT) ? opts.out.slice(REPO_ROOT.length + 1) : opts.out;
  if (opts.check) {
    let current;
    try {
      current = readFileSync(opts.out, 'utf8');
    } catch {
      console.error(`build-xml-db --check: ${rel} does not exist; run 'node scripts/build-xml-db.mjs'`);
      process.exit(1);
    }
    if (current !== text) {
      console.error(
        `build-xml-db --check: ${rel} is out of date with ${opts.from}; run 'node scripts/build-xml-db.mjs' and commit the result`,
      );
      process.exit(1);
    }
    console.log(`build-xml-db --check: ${rel} is up to date`);
    return;
  }
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, text);
  const rows = JSON.parse(text).rows;
  const dated = rows.filter((r) => r[4] !== null).length;
  console.log(`build-xml-db: wrote ${rel} (${text.length} bytes; ${rows.length} rows, ${dated} dated)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main();
}
