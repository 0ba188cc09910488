// The HTML report's script, run on the report itself: the page is read into a small fake DOM
// (our own markup, so a few patterns suffice) and the script is run against it as a browser
// or the VS Code webview would. Filtering, sorting, the chart's lanes, opening a row, and the
// webview state that survives a refresh.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { matrixRun } from '../../server/src/cli/matrix';
import type { CliIo } from '../../server/src/cli/io';
import { formatMatrixHtml } from '../../server/src/matrix/matrixHtml';
import { projectDir } from '../cli/harness';

type Listener = (event: FakeEvent) => void;
interface FakeEvent {
  target: FakeElement;
  key?: string;
  preventDefault(): void;
}

const decode = (s: string): string =>
  s.replace(/<[^>]*>/g, '').replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) out.set(m[1], decode(m[2] ?? ''));
  return out;
}

class FakeElement {
  textContent = '';
  hidden = false;
  value = '';
  checked = false;
  cells: FakeElement[] = [];
  row: FakeElement | undefined;
  button: FakeElement | undefined;
  private readonly listeners = new Map<string, Listener[]>();
  constructor(readonly attrs: Map<string, string> = new Map()) {}
  getAttribute(name: string): string | null {
    return this.attrs.get(name) ?? null;
  }
  setAttribute(name: string, value: string): void {
    this.attrs.set(name, String(value));
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  fire(type: string, event: Partial<FakeEvent> = {}): void {
    for (const l of this.listeners.get(type) ?? []) l({ target: this, preventDefault: () => undefined, ...event });
  }
  closest(selector: string): FakeElement | null {
    return selector === 'tr' ? (this.row ?? null) : null;
  }
  querySelector(selector: string): FakeElement | null {
    return selector === 'button' ? (this.button ?? null) : null;
  }
  scrollIntoView(): void {}
}

interface Page {
  rows: FakeElement[];
  tbody: FakeElement & { rows: FakeElement[]; appendChild(f: { children: FakeElement[] }): void };
  headers: FakeElement[];
  lanes: FakeElement[];
  byId: Map<string, FakeElement>;
  posted: unknown[];
  saved: Record<string, unknown> | undefined;
  run(): void;
  /** Visible rows, in order, as `file:line`. */
  shown(): string[];
}

/** Reads our page into fake elements and returns a function that runs its script on them. */
function page(html: string, webview: { state?: Record<string, unknown> } | undefined): Page {
  const headers = [
    ...(/<thead><tr>([\s\S]*?)<\/tr><\/thead>/.exec(html)?.[1] ?? '').matchAll(/<th([^>]*)>(.*?)<\/th>/g),
  ].map((m) => {
    const th = new FakeElement(attributes(m[1]));
    th.textContent = decode(m[2]);
    if (m[2].includes('<button')) th.button = new FakeElement();
    return th;
  });
  const rows = [...html.matchAll(/<tr (data-file[^>]*)>(.*?)<\/tr>/g)].map((m) => {
    const row = new FakeElement(attributes(m[1]));
    row.row = row;
    row.cells = [...m[2].matchAll(/<td([^>]*)>(.*?)<\/td>/g)].map((c) => {
      const td = new FakeElement(attributes(c[1]));
      td.textContent = decode(c[2]);
      td.row = row;
      return td;
    });
    row.textContent = row.cells.map((c) => c.textContent).join('');
    return row;
  });
  const lanes = [...html.matchAll(/<g class="lane" data-feature="([^"]*)">/g)].map(
    (m) => new FakeElement(new Map([['data-feature', decode(m[1])]])),
  );
  const tbody = Object.assign(new FakeElement(), {
    rows: [...rows],
    appendChild(fragment: { children: FakeElement[] }) {
      tbody.rows = fragment.children;
    },
  });
  const table = Object.assign(new FakeElement(), { tBodies: [tbody], tHead: { rows: [{ cells: headers }] } });
  const byId = new Map<string, FakeElement>([['matrix', table]]);
  for (const id of ['filter', 'class-filter', 'gated-filter', 'findings-only', 'count'])
    byId.set(id, new FakeElement());
  const script = /<script[^>]*>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  const result: Page = {
    rows,
    tbody,
    headers,
    lanes,
    byId,
    posted: [],
    saved: undefined,
    run() {
      const document = {
        getElementById: (id: string) => byId.get(id) ?? null,
        querySelectorAll: (selector: string) => (selector === '.lane' ? lanes : []),
        createDocumentFragment: () => ({
          children: [] as FakeElement[],
          appendChild(this: { children: FakeElement[] }, e: FakeElement) {
            this.children.push(e);
          },
        }),
      };
      const window = { scrollY: 0, addEventListener: () => undefined, scrollTo: () => undefined };
      const api = webview
        ? () => ({
            getState: () => webview.state,
            setState: (s: Record<string, unknown>) => {
              result.saved = s;
            },
            postMessage: (m: unknown) => result.posted.push(m),
          })
        : undefined;
      new Function('document', 'window', 'acquireVsCodeApi', script)(document, window, api);
    },
    shown: () =>
      tbody.rows.filter((r) => !r.hidden).map((r) => `${r.getAttribute('data-file')}:${r.getAttribute('data-line')}`),
  };
  return result;
}

async function projectHtml(webview: boolean): Promise<string> {
  const io: CliIo = {
    cwd: projectDir,
    env: {},
    stdout: { write: () => true },
    stderr: { write: () => true },
    now: () => 0,
  };
  const { matrix } = await matrixRun(
    { paths: ['.'], overrides: {}, exclude: [], format: 'html', failOn: 'never', stats: false },
    io,
  );
  return formatMatrixHtml(matrix, {
    toolVersion: '0.1.0',
    ...(webview ? { webview: { nonce: 'n', cspSource: 'vscode-webview://x' } } : {}),
  });
}

const allRows = [
  'driver/blockjob.py:15',
  'driver/blockjob.py:10',
  'driver/addresses.py:11',
  'driver/addresses.py:13',
  'driver/migration.py:4',
  'driver/migration.py:9',
  'driver/blockjob.py:11',
  'driver/addresses.py:8',
  'driver/addresses.py:8',
  'driver/addresses.py:12',
  'driver/migration.py:1',
  'driver/migration.py:4',
];

test('matrix page: filter by words, class, gated and findings; sort by a column; lanes filter by feature', async () => {
  const p = page(await projectHtml(false), undefined);
  p.run();
  const count = p.byId.get('count') as FakeElement;
  const filter = p.byId.get('filter') as FakeElement;
  const cls = p.byId.get('class-filter') as FakeElement;
  const findings = p.byId.get('findings-only') as FakeElement;
  assert.deepEqual(p.shown(), allRows);
  assert.equal(count.textContent, '12 of 12 paths');

  filter.value = 'lvg002  addresses';
  filter.fire('input');
  assert.deepEqual(p.shown(), ['driver/addresses.py:8', 'driver/addresses.py:8']);
  assert.equal(count.textContent, '2 of 12 paths');
  filter.value = '';
  cls.value = 'B';
  cls.fire('change');
  assert.deepEqual(p.shown(), ['driver/migration.py:4', 'driver/migration.py:9', 'driver/blockjob.py:11']);
  cls.value = 'C';
  findings.checked = true;
  findings.fire('change');
  assert.deepEqual(p.shown(), [
    'driver/addresses.py:11',
    'driver/addresses.py:8',
    'driver/addresses.py:8',
    'driver/migration.py:1',
    'driver/migration.py:4',
  ]);
  cls.value = '';
  findings.checked = false;
  findings.fire('change');

  // Location: by file then line; again: descending. libvirt: numerically by the lower bound.
  const column = (name: string): FakeElement => p.headers.find((h) => h.textContent === name) as FakeElement;
  column('Location').button?.fire('click');
  assert.deepEqual(p.shown().slice(0, 4), [
    'driver/addresses.py:8',
    'driver/addresses.py:8',
    'driver/addresses.py:11',
    'driver/addresses.py:12',
  ]);
  assert.equal(column('Location').getAttribute('aria-sort'), 'ascending');
  column('Location').button?.fire('click');
  assert.deepEqual(p.shown().slice(0, 2), ['driver/migration.py:9', 'driver/migration.py:4']);
  assert.equal(column('Location').getAttribute('aria-sort'), 'descending');
  column('libvirt').button?.fire('click');
  const lows = p.tbody.rows.map((r) => r.cells[3].textContent);
  assert.deepEqual(lows.slice(0, 3), ['≥ 1.0.0', '[1.0.0, 1.2.14)', '≥ 1.1.1']);
  assert.equal(lows.at(-1), '≥ 1.3.3');
  assert.equal(column('Location').getAttribute('aria-sort'), 'none');
  column('Feature').button?.fire('click');
  assert.deepEqual(p.shown(), allRows);

  const lane = p.lanes.find((l) => l.getAttribute('data-feature') === 'MIN_LIBVIRT_IFACE_ADDR_VERSION') as FakeElement;
  lane.fire('click');
  assert.equal(filter.value, 'MIN_LIBVIRT_IFACE_ADDR_VERSION');
  assert.deepEqual(p.shown(), ['driver/addresses.py:11', 'driver/addresses.py:13']);

  // Outside VS Code a click opens nothing (and does not throw).
  p.tbody.fire('click', { target: p.rows[0].cells[1] });
  assert.deepEqual(p.posted, []);
});

test('matrix webview: a click or Enter on a row posts its location; filter and sort survive a refresh', async () => {
  const html = await projectHtml(true);
  const p = page(html, {});
  p.run();
  const row = p.rows.find(
    (r) => r.getAttribute('data-line') === '11' && r.getAttribute('data-file') === 'driver/addresses.py',
  );
  assert.ok(row);
  p.tbody.fire('click', { target: row.cells[3] });
  p.tbody.fire('keydown', { target: row, key: 'Enter' });
  p.tbody.fire('keydown', { target: row, key: 'a' });
  const uri = row.getAttribute('data-uri');
  assert.match(uri ?? '', /^file:\/\/\/.*\/test\/cli\/project\/driver\/addresses\.py$/);
  const open = { type: 'open', uri, line: 11, column: 12, endLine: 11, endColumn: 70 };
  assert.deepEqual(p.posted, [open, open]);

  const filter = p.byId.get('filter') as FakeElement;
  filter.value = 'migration';
  filter.fire('input');
  p.headers[3].button?.fire('click');
  p.headers[3].button?.fire('click');
  assert.deepEqual(p.saved, {
    filter: 'migration',
    cls: '',
    gated: '',
    findings: false,
    sortColumn: 3,
    sortDescending: true,
    scrollY: 0,
  });
  const shown = p.shown();
  assert.deepEqual(shown, [
    'driver/migration.py:1',
    'driver/migration.py:4',
    'driver/migration.py:9',
    'driver/migration.py:4',
  ]);

  // The refreshed page starts from the saved state.
  const again = page(html, { state: p.saved });
  again.run();
  assert.equal((again.byId.get('filter') as FakeElement).value, 'migration');
  assert.deepEqual(again.shown(), shown);
  assert.equal(again.headers[3].getAttribute('aria-sort'), 'descending');
  assert.equal((again.byId.get('count') as FakeElement).textContent, '4 of 12 paths');
});
