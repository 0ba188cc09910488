// Route (b): drive the real workbench as a user would: open driver/guest.py with Quick Open,
// see the squiggle and the Problems entry, hover the finding, apply the quick fix with the
// keyboard (Ctrl+. then Enter), and take screenshots along the way.
'use strict';
const fs = require('fs');
const path = require('path');

const FILE = 'guest.py';
const LINE = 20; // 1-based: "flags |= libvirt.VIR_MIGRATE_POSTCOPY", an LVG001 finding (warning)
const LINE_TEXT = 'flags |= libvirt.VIR_MIGRATE_POSTCOPY';
const PROBLEM = 'Untested code path: libvirt.VIR_MIGRATE_POSTCOPY';
const FIX_TITLE = "Wrap in 'if CONF.libvirt.enable_untested_features:'";
const FIXED_TEXT = 'if CONF.libvirt.enable_untested_features:';

async function run(page, url, { log, shots, prefix, readmeShot }) {
  fs.mkdirSync(shots, { recursive: true });
  for (const old of fs.readdirSync(shots).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.png'))) {
    fs.rmSync(path.join(shots, old)); // this run's screenshots only
  }
  const shot = async (name) => {
    const file = path.join(shots, `${prefix}-${name}.png`);
    await page.screenshot({ path: file, animations: 'disabled' });
    log('screenshot', file);
    return file;
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
  const editorText = async () =>
    (await page.locator('.editor-instance .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
  const targetLine = () => page.locator('.editor-instance .view-line', { hasText: LINE_TEXT }).first();
  /** The warning squiggle drawn over the finding on LINE (there are several in the file). */
  const squiggleOnLine = async () => {
    const line = await targetLine().boundingBox();
    if (!line) return undefined;
    for (const s of await page.locator('.editor-instance .squiggly-warning').all()) {
      const b = await s.boundingBox();
      if (b && Math.abs(b.y + b.height / 2 - (line.y + line.height / 2)) < line.height / 2) return b;
    }
    return undefined;
  };
  const poll = async (fn, what, timeoutMs = 20000) => {
    const t0 = Date.now();
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await page.waitForTimeout(100);
    }
  };

  log('opening workbench (ui mode)');
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });
  log('workbench + explorer ready');

  await check(
    'Quick Open opens driver/guest.py',
    async () => {
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type(FILE);
      await page
        .locator(`.quick-input-list .monaco-list-row[aria-label*="${FILE}"]`)
        .first()
        .waitFor({ timeout: 20000 });
      await page.keyboard.press('Enter');
      await targetLine().waitFor({ timeout: 20000 });
    },
    { gate: true },
  );

  await check(
    'the LVG001 squiggle appears on the finding',
    async () => {
      await poll(squiggleOnLine, `a warning squiggle on line ${LINE}`, 60000);
      await page.locator('.editor-instance .squiggly-error').first().waitFor({ timeout: 20000 }); // LVG002/LVG003
    },
    { gate: true },
  );

  await check('the Problems panel lists the findings', async () => {
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    await panel.locator('.monaco-tl-contents', { hasText: PROBLEM }).first().waitFor({ timeout: 20000 });
    for (const code of ['LVG001', 'LVG002', 'LVG003']) {
      await panel.locator('.monaco-tl-contents', { hasText: code }).first().waitFor({ timeout: 5000 });
    }
    await shot('problems');
  });

  await check('hovering the finding shows the since-version and the support class', async () => {
    const box = await squiggleOnLine();
    await page.mouse.move(box.x + 2, box.y - 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 3, { steps: 5 });
    const hover = page.locator('.monaco-hover', { hasText: 'since libvirt 1.3.3' }).first();
    await hover.waitFor({ state: 'visible', timeout: 20000 });
    const text = await hover.innerText();
    for (const want of ['Support class C', 'no CI job runs libvirt ≥ 1.3.3', PROBLEM]) {
      if (!text.includes(want)) throw new Error(`hover lacks "${want}": ${text}`);
    }
    const file = await shot('hover');
    if (readmeShot) {
      fs.mkdirSync(path.dirname(path.resolve(readmeShot)), { recursive: true });
      fs.copyFileSync(file, path.resolve(readmeShot));
      log('README screenshot', path.resolve(readmeShot));
    }
  });

  await check('Ctrl+. then Enter applies the gate quick fix', async () => {
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');
    // Put the cursor on the finding with the keyboard: Ctrl+G, line:column.
    await page.locator('.editor-instance .monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type(`${LINE}:35`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+.');
    const widget = page.locator('.action-widget');
    await widget.locator('.monaco-list-row', { hasText: FIX_TITLE }).first().waitFor({ timeout: 20000 });
    // The preferred fix comes first; move the focus to it if the list starts elsewhere.
    for (let i = 0; i < 10; i++) {
      const focused = await widget
        .locator('.monaco-list-row.focused')
        .first()
        .innerText()
        .catch(() => '');
      if (focused.includes(FIX_TITLE)) break;
      await page.keyboard.press('ArrowDown');
    }
    await shot('quickfix');
    await page.keyboard.press('Enter');
    await poll(async () => (await editorText()).includes(FIXED_TEXT), 'the edit to be applied');
    await poll(
      async () => (await page.locator('.markers-panel .monaco-tl-contents', { hasText: PROBLEM }).count()) === 0,
      'the finding to leave the Problems panel',
    );
    await page.keyboard.press('Escape');
    await shot('fixed');
  });

  await check('the Problems panel lists a file that is not open (workspace diagnostics)', async () => {
    await page
      .locator('.markers-panel .monaco-tl-contents', { hasText: 'unopened.py' })
      .first()
      .waitFor({ timeout: 30000 });
    await page.locator('.markers-panel .monaco-tl-contents', { hasText: 'host.py' }).first().waitFor({ timeout: 5000 });
  });

  const failed = results.filter(([, ok]) => !ok).length;
  return { passed: results.length - failed, failed };
}

module.exports = { run };
