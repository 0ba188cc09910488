// Route (b): drive the real workbench as a user would: open driver/guest.py with Quick Open,
// see the squiggle and the Problems entries, hover the finding, apply the quick fix with the
// keyboard (Ctrl+. then Enter), open the support matrix from the command palette and click a
// row of it, and take screenshots along the way.
//
// Every wait names a file and a line: driver/unopened.py has a finding with the same message
// as guest.py's line 20, and its workspace diagnostics arrive whenever the machine lets them,
// so no wait may match on a message alone. Deadlines: test/e2e/deadlines.js.
'use strict';
/* global document -- the functions given to page.evaluate run in the browser */
const fs = require('fs');
const path = require('path');
const deadlines = require('../../test/e2e/deadlines');
const expected = require('../../test/e2e/suite/expected');

const FILE = 'guest.py';
const FOLDER = 'driver';
const LINE = expected.guest.postcopyLine + 1; // 1-based, as the editor numbers lines: the LVG001 finding (warning)
const LINE_TEXT = 'flags |= libvirt.VIR_MIGRATE_POSTCOPY';
const ERROR_LINE = 24; // 1-based: dom.interfaceAddresses(0), LVG002 (error)
const PROBLEM = 'Untested code path: libvirt.VIR_MIGRATE_POSTCOPY';
const FIX_TITLE = expected.wrapTitle;
const FIXED_TEXT = 'if CONF.libvirt.enable_untested_features:';
const POLL_MS = 100;

/** A finding as the Problems panel shows it: severity word, rule, 1-based line and column. */
const asProblem = (d) => ({
  severity: { error: 'Error', warning: 'Warning', info: 'Info' }[d.severity],
  code: d.code,
  line: d.range[0] + 1,
  column: d.range[1] + 1,
});
const byPosition = (a, b) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
const wantGuest = expected.diagnostics['driver/guest.py'].map(asProblem).sort(byPosition);
// After the fix: the wrapped finding is gone, the others one line further down.
const wantGuestFixed = wantGuest.filter((p) => p.line !== LINE).map((p) => ({ ...p, line: p.line + 1 }));
const wantOf = (file) => expected.diagnostics[`driver/${file}`].map(asProblem).sort(byPosition);

// The matrix row clicked: the version check of host.py (no other file has a path on its line).
const MATRIX_ROW = expected.matrix.row;
const MATRIX_ROW_TEXT = 'if self._host.has_min_version(MIN_LIBVIRT_IFACE_ADDR_VERSION):';
const MATRIX_COMMAND = 'libvirt-gate: Show Support Matrix';

/**
 * `readmeShots`: a folder (docs/images) that gets copies of the screenshots the README and
 * docs/editor.md show: editor-hover.png and editor-support-matrix.png.
 */
async function run(page, url, { log, shots, prefix, readmeShots }) {
  fs.mkdirSync(shots, { recursive: true });
  for (const old of fs.readdirSync(shots).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.png'))) {
    fs.rmSync(path.join(shots, old)); // this run's screenshots only
  }
  // Playwright's own waits (clicks, key presses, locators) get the same bound as ours.
  page.setDefaultTimeout(deadlines.conditionMs);
  page.setDefaultNavigationTimeout(deadlines.startupMs);
  const shot = async (name) => {
    const file = path.join(shots, `${prefix}-${name}.png`);
    await page.screenshot({ path: file, animations: 'disabled' });
    log('screenshot', file);
    return file;
  };
  const readmeShot = (file, name) => {
    if (!readmeShots) return;
    const to = path.join(path.resolve(readmeShots), name);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(file, to);
    log('README screenshot', to);
  };
  const results = [];
  let blocked = false; // once the diagnostic is missing the later checks cannot pass: fail them fast
  const check = async (name, fn, { gate = false } = {}) => {
    if (blocked) {
      results.push([name, false]);
      log('FAIL', name, '- skipped (no diagnostic)');
      return;
    }
    try {
      await fn();
      results.push([name, true]);
      log('PASS', name);
    } catch (e) {
      results.push([name, false]);
      log('FAIL', name, '-', String(e.message).split('\n')[0]);
      await shot(`failed-${results.length}`).catch(() => {});
      if (gate) blocked = true;
    }
  };

  /** Polls `fn` until it returns a truthy value; fails after `timeoutMs` with the last value seen. */
  const poll = async (fn, what, timeoutMs = deadlines.conditionMs) => {
    const t0 = Date.now();
    let last;
    for (;;) {
      last = await fn();
      if (last && last.ok !== false) return last;
      if (Date.now() - t0 > timeoutMs) {
        const seen = last && last.seen !== undefined ? `; last seen: ${JSON.stringify(last.seen)}` : '';
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}`);
      }
      await page.waitForTimeout(POLL_MS); // the poll interval, not a synchronisation
    }
  };

  /** Whether the active editor shows `folder/file` (its tab and its breadcrumbs). */
  const isActive = (file, folder) =>
    page.evaluate(
      ({ file, folder }) => {
        const group = document.querySelector('.part.editor .editor-group-container.active');
        const tab = group && group.querySelector('.tab.active .label-name');
        const crumbs = group && group.querySelector('.breadcrumbs-control');
        return !!tab && tab.textContent.trim() === file && !!crumbs && crumbs.textContent.includes(folder);
      },
      { file, folder },
    );
  const guestIsActive = () => isActive(FILE, FOLDER);

  /** Line `n` (1-based) of the active editor, found by its line number: text and box, or undefined when not drawn. */
  const editorLine = (n) =>
    page.evaluate((n) => {
      const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor');
      if (!editor) return undefined;
      const number = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].find(
        (e) => e.textContent.trim() === String(n),
      );
      if (!number) return undefined;
      const y = number.getBoundingClientRect().top;
      const line = [...editor.querySelectorAll('.view-lines .view-line')].find(
        (e) => Math.abs(e.getBoundingClientRect().top - y) < 1,
      );
      if (!line) return undefined;
      const r = line.getBoundingClientRect();
      return { text: line.textContent.replace(/\u00a0/g, ' '), x: r.x, y: r.y, width: r.width, height: r.height };
    }, n);

  /** The box of a squiggle of `kind` (warning, error) drawn on line `n` of guest.py, or undefined. */
  const squiggleOn = async (n, kind) => {
    if (!(await guestIsActive())) return undefined;
    const line = await editorLine(n);
    if (!line) return undefined;
    for (const s of await page.locator(`.part.editor .editor-instance .squiggly-${kind}`).all()) {
      const b = await s.boundingBox().catch(() => null);
      if (b && Math.abs(b.y + b.height / 2 - (line.y + line.height / 2)) < line.height / 2) return b;
    }
    return undefined;
  };

  /**
   * The Problems panel's entries for one file: the panel is filtered to the file (so no other
   * file's entries can match, and the file's rows all fit), the file's row is found by name and
   * folder, and its problems are read from the rows under it. Undefined while the file has no row.
   */
  const problemsOf = async (file) => {
    const panel = page.locator('.markers-panel');
    if (!(await panel.isVisible())) await page.keyboard.press('Control+Shift+M');
    const filter = page.locator('input[aria-label="Filter Problems"]');
    if ((await filter.inputValue()) !== file) await filter.fill(file);
    const rows = await panel.locator('.monaco-list-row').evaluateAll((els) =>
      els
        .map((e) => ({
          index: Number(e.getAttribute('data-index')),
          level: Number(e.getAttribute('aria-level')),
          label: e.getAttribute('aria-label') || '',
          text: e.textContent,
        }))
        .sort((a, b) => a.index - b.index),
    );
    const head = rows.findIndex(
      (r) => r.level === 1 && r.label.endsWith(` problems in file ${file} of folder ${FOLDER}`),
    );
    if (head < 0) return undefined;
    const problems = [];
    for (let i = head + 1; i < rows.length && rows[i].level !== 1; i++) {
      if (rows[i].index !== rows[i - 1].index + 1) return undefined; // a row not drawn: read again
      if (rows[i].level !== 2) continue; // related information
      // The label has severity, message and position; the row's text ends in "<source><code>[Ln n, Col n]".
      const m = /^(Error|Warning|Info): (.*) at line (\d+) and character (\d+)\./s.exec(rows[i].label);
      const shown = /(LVG\d{3})\[Ln (\d+), Col (\d+)\]\s*$/.exec(rows[i].text);
      if (!m || !shown || shown[2] !== m[3] || shown[3] !== m[4]) return undefined; // being redrawn
      problems.push({ severity: m[1], code: shown[1], line: Number(m[3]), column: Number(m[4]), message: m[2] });
    }
    return problems.sort(byPosition);
  };
  const clearProblemsFilter = () => page.locator('input[aria-label="Filter Problems"]').fill('');
  /** Waits until the Problems panel lists exactly `want` for `file` (severity, rule, line, column). */
  const expectProblems = async (file, want, what) => {
    const strip = (ps) => ps && ps.map(({ severity, code, line, column }) => ({ severity, code, line, column }));
    const got = await poll(async () => {
      const ps = await problemsOf(file);
      return { ok: JSON.stringify(strip(ps)) === JSON.stringify(want), seen: strip(ps), problems: ps };
    }, what);
    return got.problems;
  };

  log('opening workbench (ui mode)');
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: deadlines.startupMs });
  await page
    .locator(`.explorer-folders-view .monaco-list-row[aria-label="${FOLDER}"]`)
    .first()
    .waitFor({ timeout: deadlines.startupMs });
  log('workbench + explorer ready');

  await check(
    'Quick Open opens driver/guest.py',
    async () => {
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type(FILE);
      // Enter opens the focused row: wait until that is guest.py, not a row of an earlier result list.
      await page.locator(`.quick-input-list .monaco-list-row.focused[aria-label*="${FILE}"]`).first().waitFor();
      await page.keyboard.press('Enter');
      await poll(
        async () => (await guestIsActive()) && ((await editorLine(LINE)) || {}).text?.trim() === LINE_TEXT,
        `${FOLDER}/${FILE} to be the active editor, showing line ${LINE}`,
      );
    },
    { gate: true },
  );

  await check(
    'the LVG001 squiggle appears on the finding',
    async () => {
      await poll(() => squiggleOn(LINE, 'warning'), `a warning squiggle on line ${LINE}`, deadlines.firstDiagnosticsMs);
      await poll(() => squiggleOn(ERROR_LINE, 'error'), `an error squiggle (LVG002) on line ${ERROR_LINE}`);
    },
    { gate: true },
  );

  await check('the Problems panel lists the findings of guest.py, at their lines', async () => {
    const problems = await expectProblems(FILE, wantGuest, `the Problems panel to list ${FILE}'s findings`);
    const postcopy = problems.find((p) => p.line === LINE && p.code === 'LVG001');
    if (postcopy.message !== expected.messages.postcopy) throw new Error(`line ${LINE} says: ${postcopy.message}`);
    await shot('problems');
    await clearProblemsFilter();
  });

  await check('hovering the finding shows the since-version and the support class', async () => {
    // The finding's own message comes first and the server's facts after it: wait for all of them.
    const wants = [
      'libvirt.VIR_MIGRATE_POSTCOPY → C VIR_MIGRATE_POSTCOPY, since libvirt 1.3.3',
      'Support class C',
      'no CI job runs libvirt ≥ 1.3.3',
      PROBLEM,
    ];
    const hover = page.locator('.monaco-hover:visible');
    // A hover is shown for a mouse move; if none is visible a while after one (the editor redrew
    // under the pointer, say), move again. Each new move is logged.
    const retriggerMs = Math.round(deadlines.conditionMs / 4);
    let moved = 0;
    let movedAt = 0;
    const text = await poll(
      async () => {
        const visible = (await hover.count()) > 0;
        if (!moved || (!visible && Date.now() - movedAt > retriggerMs)) {
          const box = await squiggleOn(LINE, 'warning');
          if (!box) throw new Error(`the squiggle on line ${LINE} is gone`);
          if (moved) log(`no hover ${retriggerMs} ms after moving onto line ${LINE}: moving again (#${moved + 1})`);
          await page.mouse.move(box.x + 2, box.y - 2);
          await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 3, { steps: 5 });
          moved++;
          movedAt = Date.now();
          return { ok: false };
        }
        const t = visible ? (await hover.first().innerText()).replace(/\u00a0/g, ' ') : '';
        return { ok: wants.every((w) => t.includes(w)), seen: t, text: t };
      },
      `the hover on line ${LINE} to show ${JSON.stringify(wants)}`,
    );
    if (!text.text) throw new Error('empty hover');
    readmeShot(await shot('hover'), 'editor-hover.png');
  });

  await check('Ctrl+. then Enter applies the gate quick fix', async () => {
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');
    // Put the cursor on the finding with the keyboard: Ctrl+G, line:column.
    await page.locator('.part.editor .editor-instance .monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type(`${LINE}:35`);
    await page.keyboard.press('Enter');
    await page
      .locator('.statusbar-item', { hasText: `Ln ${LINE}, Col 35` })
      .first()
      .waitFor();
    await page.keyboard.press('Control+.');
    const widget = page.locator('.action-widget');
    await widget.locator('.monaco-list-row', { hasText: FIX_TITLE }).first().waitFor();
    // The preferred fix comes first; move the focus to it if the list starts elsewhere.
    const rowCount = await widget.locator('.monaco-list-row').count();
    for (let i = 0; ; i++) {
      const focused = await widget.locator('.monaco-list-row.focused').first().innerText();
      if (focused.includes(FIX_TITLE)) break;
      if (i >= rowCount) throw new Error(`"${FIX_TITLE}" never got the focus`);
      await page.keyboard.press('ArrowDown');
    }
    await shot('quickfix');
    await page.keyboard.press('Enter');
    await poll(
      async () => {
        const [gate, body] = [await editorLine(LINE), await editorLine(LINE + 1)];
        return !!gate && gate.text.trim() === FIXED_TEXT && !!body && body.text.trim() === LINE_TEXT;
      },
      `line ${LINE} of ${FILE} to read "${FIXED_TEXT}" and line ${LINE + 1} the wrapped statement`,
    );
    await expectProblems(FILE, wantGuestFixed, `${FILE}'s line ${LINE} finding to leave the Problems panel`);
    await clearProblemsFilter();
    await page.keyboard.press('Escape');
    await shot('fixed');
  });

  await check('the Problems panel lists a file that is not open (workspace diagnostics)', async () => {
    await expectProblems('unopened.py', wantOf('unopened.py'), 'the Problems panel to list unopened.py');
    await expectProblems('host.py', wantOf('host.py'), 'the Problems panel to list host.py');
    await clearProblemsFilter();
  });

  await check('the command palette opens the support matrix; a click on a row opens its line', async () => {
    // The Problems panel and the explorer away: the matrix gets the window (and the screenshot).
    await page.keyboard.press('Escape');
    for (const [part, key] of [
      ['.part.panel', 'Control+J'],
      ['.part.sidebar', 'Control+B'],
    ]) {
      if (await page.locator(part).isVisible()) await page.keyboard.press(key);
      await poll(async () => !(await page.locator(part).isVisible()), `${part} to be hidden`);
    }
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type(MATRIX_COMMAND);
    await page.locator(`.quick-input-list .monaco-list-row.focused[aria-label*="${MATRIX_COMMAND}"]`).first().waitFor();
    await page.keyboard.press('Enter');
    await page
      .locator('.part.editor .editor-group-container.active .tab.active .label-name', {
        hasText: expected.matrix.title,
      })
      .waitFor();
    // The webview: an outer frame (laid over the editor, outside its DOM), the page in its inner
    // frame. The row is found by its file and line (the page starts as "Analyzing the workspace…").
    const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const { file, line, column, endLine, endColumn } = MATRIX_ROW;
    const row = view.locator(`#matrix tbody tr[data-file="${file}"][data-line="${line}"]`);
    await row.waitFor({ timeout: deadlines.firstDiagnosticsMs }).catch((e) => {
      const frames = page.frames().map((f) => f.url().replace(/\?.*/, ''));
      throw new Error(`${String(e.message).split('\n')[0]}: the row of ${file}:${line}; frames: ${frames.join(', ')}`, {
        cause: e,
      });
    });
    // (No path count here: the quick fix above added the gate's path to guest.py; the suite checks the counts.)
    const cells = (await row.locator('td').allInnerTexts()).map((t) => t.trim());
    if (!cells.includes(`${file}:${line}`) || !cells.includes('MIN_LIBVIRT_IFACE_ADDR_VERSION'))
      throw new Error(`the row of ${file}:${line} reads ${JSON.stringify(cells)}`);
    await shot('matrix');

    await row.click();
    // host.py opens beside the matrix with the row's range selected (the cursor at its end).
    const [rowFolder, rowFile] = file.split('/');
    const position = `Ln ${endLine}, Col ${endColumn} (${endColumn - column} selected)`;
    await poll(async () => {
      const active = await isActive(rowFile, rowFolder);
      const text = active ? ((await editorLine(line)) || {}).text : undefined;
      const status = active
        ? await page.locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).allInnerTexts()
        : [];
      return {
        ok: text?.trim() === MATRIX_ROW_TEXT && status.some((s) => s.trim() === position),
        seen: { active, text, status },
      };
    }, `${file} to be the active editor, line ${line} reading "${MATRIX_ROW_TEXT}", the status bar "${position}"`);
    readmeShot(await shot('matrix-opened'), 'editor-support-matrix.png');
  });

  const failed = results.filter(([, ok]) => !ok).length;
  return { passed: results.length - failed, failed };
}

module.exports = { run };
