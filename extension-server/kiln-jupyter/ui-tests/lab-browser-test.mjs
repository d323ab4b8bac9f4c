// Kiln's JupyterLab extension in a real browser: Debian's Chromium, driven by playwright-core, on a
// JupyterLab that `kiln lab` started (LabExtensionBrowserTest in the kernel module starts it and runs
// this). A Kiln notebook runs %data and %env snapshot cells against a directory remote; the panel,
// the status bar and a provenance badge must show what they did; then the sidecar is stopped and the
// panel must say so. Screenshots go to KILN_SCREENSHOTS. Exits 0 when every check held, 1 with the
// failed check otherwise.
//
// Environment: KILN_LAB_URL (http://127.0.0.1:PORT/), KILN_LAB_TOKEN, KILN_REMOTE (a directory),
// KILN_SIDECAR_PID (stopped at the end), KILN_SCREENSHOTS, CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const base = need('KILN_LAB_URL');
const token = need('KILN_LAB_TOKEN');
const remote = need('KILN_REMOTE');
const sidecarPid = Number(need('KILN_SIDECAR_PID'));
const shots = need('KILN_SCREENSHOTS');
fs.mkdirSync(shots, { recursive: true });

function need(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`lab-browser-test: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

const step = (what) => console.log(`lab-browser-test: ${what}`);

/** Jupyter's REST API, with the token. */
async function api(method, p, body) {
  const r = await fetch(new URL(p, base), {
    method,
    headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  if (!r.ok) {
    throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`);
  }
  return r.status === 204 ? null : r.json();
}

/** A JupyterLab command, run in the page; its result stays there. */
async function command(id, args = {}) {
  await page.evaluate(([id, args]) => window.jupyterapp.commands.execute(id, args).then(() => null), [id, args]);
}

/** Changes one of JupyterLab's settings on the server (read by the next page load). */
async function setting(plugin, values) {
  await api('PUT', `lab/api/settings/${plugin}`, { raw: JSON.stringify(values) });
}

/** Loads JupyterLab on a path and waits until Kiln's extension is there. */
async function openLab(at) {
  await page.goto(new URL(`${at}?token=${token}`, base).href);
  await page.waitForFunction(() => !!(window.jupyterapp && window.jupyterapp.commands.hasCommand('kiln:snapshot-env')));
}

async function putFile(p, content) {
  await api('PUT', `api/contents/${p}`, { type: 'file', format: 'text', content });
}

function notebook(cells) {
  return {
    type: 'notebook',
    content: {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'kiln', display_name: 'Java 17 (Kiln)', language: 'java' } },
      cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, source, metadata: {}, outputs: [], execution_count: null }))
    }
  };
}

/** Runs code as a new cell below the active one, as a user would type it, and waits for its outputs. */
async function typeCell(code) {
  await command('notebook:insert-cell-below');
  await page.evaluate(code => window.jupyterapp.shell.currentWidget.content.activeCell.model.sharedModel.setSource(code), code);
  await command('notebook:run-cell');
  return ranCell(code);
}

/** Waits until the active cell holds `source` and has run; its outputs' text, and an error output as a failure. */
async function ranCell(source) {
  await page.waitForFunction(src => {
    const nb = window.jupyterapp.shell.currentWidget;
    const cell = nb.content.activeCell?.model;
    return cell?.sharedModel.getSource() === src && cell.executionCount !== null && cell.outputs.length > 0
      && nb.sessionContext.kernelDisplayStatus === 'idle';
  }, source);
  const outputs = await page.evaluate(() => {
    const o = window.jupyterapp.shell.currentWidget.content.activeCell.model.outputs;
    const out = [];
    for (let i = 0; i < o.length; i++) {
      const j = o.get(i).toJSON();
      out.push({ type: j.output_type, text: [].concat(j.text ?? j.data?.['text/plain'] ?? j.evalue ?? '').join('') });
    }
    return out;
  });
  assert.ok(!outputs.some(o => o.type === 'error'), `${source}: ran without error: ${JSON.stringify(outputs)}`);
  return outputs.map(o => o.text).join('\n');
}

/** A screenshot with the active cell's end (its output) in view. */
async function shotOfCell(name) {
  await page.locator('.jp-Notebook .jp-Cell.jp-mod-active .jp-Cell-outputWrapper:visible').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, name) });
}

/** Runs a command as a user does: the command palette, its label typed, Enter. */
async function fromPalette(label) {
  await page.keyboard.press('Control+Shift+C');
  const input = page.locator('.lm-CommandPalette-input:visible');
  await input.fill(label);
  await page.waitForSelector(`.lm-CommandPalette-item.lm-mod-active:has-text("${label}")`);
  await input.press('Enter');
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']
});
let page;
let failed = false;
try {
  // the project: a folder of data, a notebook that versions it and snapshots its environment
  await api('PUT', 'api/contents/project', { type: 'directory' });
  await api('PUT', 'api/contents/project/data', { type: 'directory' });
  await api('PUT', 'api/contents/project/data/trips', { type: 'directory' });
  await putFile('project/data/trips/january.csv', 'id,km\n1,3.5\n2,7.25\n3,12\n');
  await putFile('project/data/trips/february.csv', 'id,km\n4,1.5\n5,9\n');
  await api('PUT', 'api/contents/project/analysis.ipynb', notebook([
    `%data remote add origin ${remote}`,
    '%data add data/trips -m "January and February"',
    '%data push',
    '%env snapshot'
  ]));
  await api('PUT', 'api/contents/elsewhere', { type: 'directory' });
  await api('PUT', 'api/contents/elsewhere/scratch.ipynb', notebook(['1 + 1']));

  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const errors = [];
  // JupyterLab's own debugger complains of kernels without a debugger ("No active debugger session"): only Kiln's code counts
  page.on('pageerror', e => {
    if (String(e.stack).includes('kiln-jupyter')) {
      errors.push(String(e.stack));
    }
  });
  // a contents request that answers 404 is a warning in Jupyter's log: Kiln's panel must make none
  const missing = [];
  page.on('response', r => {
    if (r.status() === 404 && new URL(r.url()).pathname.includes('/api/contents/')) {
      missing.push(new URL(r.url()).pathname);
    }
  });
  await setting('@jupyterlab/apputils-extension:notification', { fetchNews: 'false' }); // no news toast in the screenshots
  await setting('kiln-jupyter:plugin', { sidecarCheckSeconds: 5 }); // Kiln's own setting: records that arrive late show sooner
  await openLab('lab/tree/project/analysis.ipynb');

  step('commands have labels in the palette and on the toolbar');
  const labels = await page.evaluate(() => ['kiln:snapshot-env', 'kiln:pull-notebook-data', 'kiln:export', 'kiln:reproduce']
    .map(c => [window.jupyterapp.commands.label(c), window.jupyterapp.commands.label(c, { toolbar: true })]));
  assert.deepEqual(labels, [
    ['Kiln: snapshot the environment', 'Snapshot'],
    ["Kiln: pull the notebook's data", 'Pull data'],
    ['Kiln: export with provenance (HTML)', 'Export'],
    ['Kiln: reproduce this notebook', 'Reproduce']
  ]);
  await page.waitForSelector('.jp-NotebookPanel-toolbar [data-jp-item-name="kiln-snapshot"]');

  step('the Kiln kernel starts; the panel opens on the notebook');
  await page.waitForFunction(() => {
    const nb = window.jupyterapp.shell.currentWidget;
    return nb && nb.sessionContext && nb.sessionContext.session?.kernel && nb.sessionContext.kernelDisplayStatus === 'idle';
  });
  await command('kiln:open-panel');
  await page.waitForSelector('#kiln-panel .kiln-sidecar[data-state="up"]');
  step('before its first %data cell the folder is no project: the panel says how to start one');
  await page.waitForSelector('#kiln-panel .kiln-no-project');
  assert.ok((await page.textContent('#kiln-panel .kiln-no-project pre')).startsWith('%data remote add origin'));

  step('run the %data and %env snapshot cells');
  await command('notebook:run-all-cells');
  await page.waitForFunction(() => {
    const nb = window.jupyterapp.shell.currentWidget;
    const cells = nb.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
      if (cells.get(i).executionCount === null) {
        return false;
      }
    }
    return nb.sessionContext.kernelDisplayStatus === 'idle';
  });
  const outputs = await page.evaluate(() => {
    const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
    const out = [];
    for (let i = 0; i < cells.length; i++) {
      const o = cells.get(i).outputs;
      const types = [];
      for (let j = 0; j < o.length; j++) {
        types.push(o.get(j).type);
      }
      out.push(types);
    }
    return out;
  });
  assert.ok(outputs.every(types => types.length > 0 && !types.includes('error')), `every cell ran without error: ${JSON.stringify(outputs)}`);
  await command('docmanager:save');
  const lock = JSON.parse((await api('GET', 'api/contents/project/kiln.lock?content=1&format=text&type=file')).content);
  const version = lock.datasets.trips.version;
  assert.match(version, /^[0-9a-f]{64}$/);

  step('the panel shows the pinned version, the workspace matching it, the history and the snapshot');
  const row = '#kiln-panel tr.kiln-dataset[data-dataset="trips"]';
  await page.waitForSelector(`${row} [data-workspace="matches"]`);
  assert.equal(await page.textContent(`${row} .kiln-pinned code`), version.slice(0, 12));
  const recorded = (await api('GET', 'kiln/api/datasets')).find(d => d.dataset === 'trips');
  assert.ok(recorded && recorded.versions >= 1, 'the kernel recorded the version in the sidecar');
  await page.waitForSelector(`${row} .kiln-version-count[data-versions="${recorded.versions}"]`);
  await page.waitForSelector('#kiln-panel .kiln-snapshots li[data-snapshot]');
  const snapshotId = await page.getAttribute('#kiln-panel .kiln-snapshots li[data-snapshot]', 'data-snapshot');
  assert.match(snapshotId, /^[0-9a-f]{64}$/);
  await page.waitForSelector('#kiln-panel .kiln-runs li[data-run]');

  step("at Lab's own side-bar width the datasets table fits the panel: no column is cut off");
  const cut = await page.evaluate(() => {
    const panel = document.querySelector('#kiln-panel').getBoundingClientRect();
    return [...document.querySelectorAll('#kiln-panel .kiln-datasets th, #kiln-panel .kiln-datasets td')]
      .filter(c => c.getBoundingClientRect().right > panel.right + 0.5 || c.scrollWidth > c.clientWidth + 1)
      .map(c => `${c.textContent.trim()} (right ${Math.round(c.getBoundingClientRect().right)} of ${Math.round(panel.right)})`);
  });
  assert.deepEqual(cut, [], 'cells beyond the panel: ' + cut.join(', '));
  await page.locator('#kiln-panel').screenshot({ path: path.join(shots, 'kiln-panel-default-width.png') });
  // a wider side bar, as a user would drag it, for the screenshots
  const handle = await page.locator('#jp-main-split-panel > .lm-SplitPanel-handle').first().boundingBox();
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x + 130, handle.y + handle.height / 2, { steps: 5 });
  await page.mouse.up();

  step("another project's records stay out of this notebook's panel, and its history opens on this project");
  const project = recorded.project;
  assert.match(project, /^file:\/\//, `the project is named by its directory remote: ${project}`);
  const serverRoot = await page.evaluate(() => JSON.parse(document.getElementById('jupyter-config-data').textContent).serverRoot);
  assert.equal((await api('GET', `kiln/api/lab/project?folder=${encodeURIComponent(`${serverRoot}/project`)}`)).project, project,
    "the sidecar names the notebook's folder as its kernel does");
  const elsewhere = 'file:///srv/another-team/remote';
  for (const [dataset, id] of [['trips', 'e1'], ['trips', 'e2'], ['only-elsewhere', 'e3']]) {
    await api('POST', 'kiln/api/versions', {
      project: elsewhere, dataset, id: id.repeat(32), size: 1, files: 1, message: 'another project', author: 'bo',
      time: new Date().toISOString()
    });
  }
  await command('kiln:refresh');
  await page.waitForSelector(`${row} .kiln-version-count[data-versions="${recorded.versions}"]`);
  assert.equal(await page.locator('#kiln-panel tr.kiln-dataset[data-dataset="only-elsewhere"]').count(), 0,
    "another project's dataset is not in this project's panel");
  await command('kiln:open-history');
  await page.waitForFunction(p => {
    const frame = document.querySelector('.kiln-history iframe');
    return frame && frame.src.endsWith(`/kiln/?project=${encodeURIComponent(p)}`);
  }, project);
  await command('docmanager:open', { path: 'project/analysis.ipynb' }); // the notebook in front again

  step('the status bar says the sidecar runs and the environment is the snapshot just taken');
  await page.waitForSelector('.kiln-status [data-sidecar="up"]');
  await page.waitForSelector('.kiln-status [data-env="identical"]');
  await page.click('.kiln-status-button');
  await page.waitForSelector('.jp-Dialog .kiln-env-level[data-level="identical"]');
  assert.ok((await page.textContent('.jp-Dialog .kiln-env-level')).includes(snapshotId.slice(0, 12)));
  await page.screenshot({ path: path.join(shots, 'kiln-status-details.png') });
  await page.click('.jp-Dialog .jp-mod-reject');

  step("a dataset's versions, with pull, check out and diff");
  await page.click(`${row} button.kiln-link`);
  await page.waitForSelector(`#kiln-panel .kiln-version[data-version="${version}"]`);
  assert.equal(await page.textContent(`#kiln-panel .kiln-version[data-version="${version}"] .kiln-message`), 'January and February');
  assert.ok((await page.textContent(`#kiln-panel .kiln-version[data-version="${version}"] .kiln-facts`)).includes('2 files'));
  assert.equal(await page.textContent('#kiln-panel .kiln-version-pinned code'), version.slice(0, 12));
  await page.screenshot({ path: path.join(shots, 'kiln-panel.png') });
  await page.locator('#kiln-panel').screenshot({ path: path.join(shots, 'kiln-panel-only.png') });

  step('a provenance badge on the %data add output opens the version it made');
  const badge = page.locator('.jp-Cell').nth(1).locator('.kiln-badge');
  await badge.click();
  await page.waitForSelector(`.jp-Dialog .kiln-provenance-datasets li[data-dataset="trips"][data-version="${version}"]`);
  await page.screenshot({ path: path.join(shots, 'kiln-provenance.png') });
  await page.click('.jp-Dialog .jp-mod-reject');
  const snapshotBadge = page.locator('.jp-Cell').nth(3).locator('.kiln-badge');
  await snapshotBadge.click();
  await page.waitForSelector(`.jp-Dialog .kiln-provenance-snapshot[data-snapshot="${snapshotId}"]`);
  await page.click('.jp-Dialog .kiln-provenance-snapshot button');
  await page.waitForFunction(id => {
    const frame = document.querySelector('.kiln-history iframe');
    return frame && frame.src.endsWith(`/kiln/snapshots/${id}`) && frame.contentDocument?.readyState === 'complete'
      && frame.contentDocument.location.pathname.endsWith(`/kiln/snapshots/${id}`);
  }, snapshotId);

  step('a changed file: the workspace no longer matches; the panel offers to pull the pinned version');
  await command('docmanager:open', { path: 'project/analysis.ipynb' });
  await putFile('project/data/trips/february.csv', 'id,km\n4,1.5\n5,9\n6,2\n');
  await command('kiln:refresh');
  await page.waitForSelector(`${row} [data-workspace="changed"]`);
  assert.ok((await page.getAttribute(`${row} [data-workspace="changed"]`, 'title')).includes('1 modified'));

  step('the dark theme');
  await setting('@jupyterlab/apputils-extension:themes', { theme: 'JupyterLab Dark' });
  await openLab('lab/tree/project/analysis.ipynb');
  await page.waitForFunction(() => document.body.dataset.jpThemeLight === 'false');
  await command('kiln:open-panel');
  await page.waitForSelector(`${row} [data-workspace="changed"]`);
  await page.click(`${row} button.kiln-link`);
  await page.waitForSelector(`#kiln-panel .kiln-version[data-version="${version}"]`);
  const panelColors = await page.evaluate(() => {
    const s = getComputedStyle(document.querySelector('#kiln-panel'));
    return { background: s.backgroundColor, color: s.color };
  });
  const light = (rgb) => rgb.match(/\d+/g).slice(0, 3).map(Number).reduce((a, b) => a + b, 0) / 3;
  assert.ok(light(panelColors.background) < 100, `a dark panel in the dark theme: ${JSON.stringify(panelColors)}`);
  assert.ok(light(panelColors.color) > 150, `light text in the dark theme: ${JSON.stringify(panelColors)}`);
  await page.screenshot({ path: path.join(shots, 'kiln-panel-dark.png') });
  await setting('@jupyterlab/apputils-extension:themes', { theme: 'JupyterLab Light' });
  await openLab('lab/tree/project/analysis.ipynb');
  await page.waitForFunction(() => document.body.dataset.jpThemeLight === 'true');
  await command('kiln:open-panel');

  step('Export on the toolbar: kiln export writes the notebook as HTML with what produced it');
  await page.click('.jp-NotebookPanel-toolbar [data-jp-item-name="kiln-export"] .jp-ToolbarButtonComponent-label');
  await page.waitForSelector('.jp-Dialog .kiln-command-output', { timeout: 300_000 });
  assert.equal((await page.textContent('.jp-Dialog .jp-Dialog-header')).trim(), 'Exported with provenance');
  await page.screenshot({ path: path.join(shots, 'kiln-export.png') });
  await page.click('.jp-Dialog .jp-mod-reject');
  const exported = (await api('GET', 'api/contents/project/analysis.html?content=1&format=text&type=file')).content;
  assert.ok(exported.includes(snapshotId.slice(0, 12)), 'the export names the snapshot');
  assert.ok(exported.includes(version.slice(0, 12)), 'the export names the dataset version');

  step('Snapshot on the toolbar: %env snapshot runs as a new cell below the active one, as if typed');
  const cellsBefore = await page.evaluate(() => window.jupyterapp.shell.currentWidget.content.model.cells.length);
  await page.click('.jp-NotebookPanel-toolbar [data-jp-item-name="kiln-snapshot"] .jp-ToolbarButtonComponent-label');
  await page.waitForFunction(n => {
    const nb = window.jupyterapp.shell.currentWidget.content;
    const cell = nb.activeCell?.model;
    return nb.model.cells.length === n + 1 && cell?.sharedModel.getSource() === '%env snapshot' && cell.outputs.length > 0
      && cell.executionCount !== null;
  }, cellsBefore);
  const snapshotAgain = await page.evaluate(() => {
    const outputs = window.jupyterapp.shell.currentWidget.content.activeCell.model.outputs;
    return outputs.get(outputs.length - 1).metadata.kiln?.snapshot?.id ?? null;
  });
  assert.equal(snapshotAgain, snapshotId, 'the same environment, the same snapshot id');

  step('the command endpoint refuses what is not an export or reproduction of a notebook it serves');
  const run = async (body, auth = true) => {
    const r = await fetch(new URL('kiln/lab/run', base), {
      method: 'POST', body: JSON.stringify(body), headers: auth ? { Authorization: `token ${token}` } : {}
    });
    return r.status;
  };
  assert.equal(await run({ command: 'sh', notebook: 'project/analysis.ipynb' }), 400);
  assert.equal(await run({ command: 'export', notebook: 'project/analysis.ipynb', format: 'pdf' }), 400);
  assert.equal(await run({ command: 'export', notebook: '../../etc/outside.ipynb' }), 403);
  assert.equal(await run({ command: 'export', notebook: 'project/nosuch.ipynb' }), 404);
  assert.equal(await run({ command: 'export', notebook: 'project/analysis.ipynb' }, false), 403, 'no login, no command');

  step('a notebook in a folder without kiln.yaml: the panel says how to start a project');
  await command('docmanager:open', { path: 'elsewhere/scratch.ipynb', kernel: { name: 'kiln' } });
  await page.waitForSelector('#kiln-panel .kiln-no-project');
  assert.ok((await page.textContent('#kiln-panel .kiln-no-project pre')).startsWith('%data remote add origin'));
  assert.equal(await page.locator('#kiln-panel .kiln-datasets').count(), 0, 'no datasets offered outside a project');
  await page.screenshot({ path: path.join(shots, 'kiln-no-project.png') });
  assert.deepEqual(missing, [], 'no contents request for a file that is not there (a 404 warning in the server log)');

  step('a dataset with many versions arrives a page at a time as the list scrolls');
  await command('docmanager:open', { path: 'project/analysis.ipynb' });
  const many = 250;
  for (let i = 0; i < many; i++) {
    await api('POST', 'kiln/api/versions', {
      project, dataset: 'sensors', id: `s${String(i).padStart(4, '0')}`, size: 1000 + i, files: 1, rows: 10 * i,
      message: `reading ${i}`, author: 'ada', time: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString()
    });
  }
  await command('kiln:refresh');
  const sensors = '#kiln-panel tr.kiln-dataset[data-dataset="sensors"]';
  await page.waitForSelector(`${sensors} .kiln-version-count[data-versions="${many}"]`);
  await page.click(`${sensors} td:first-child button`);
  const loaded = () => page.locator('#kiln-panel .kiln-versions[data-dataset="sensors"] .kiln-version').count();
  await page.waitForFunction(() => document.querySelectorAll('#kiln-panel .kiln-versions[data-dataset="sensors"] .kiln-version').length === 50);
  assert.equal(await page.textContent('#kiln-panel .kiln-versions[data-dataset="sensors"] .kiln-version .kiln-message'), `reading ${many - 1}`, 'newest first');
  for (const atLeast of [100, 150]) {
    await page.$eval('#kiln-panel .kiln-version-list', el => { el.scrollTop = el.scrollHeight; });
    await page.waitForFunction(n => document.querySelectorAll('#kiln-panel .kiln-versions[data-dataset="sensors"] .kiln-version').length >= n, atLeast);
  }
  await page.waitForTimeout(1000);
  const shown = await loaded();
  assert.ok(shown >= 150 && shown < many && shown % 50 === 0, `whole pages as the list scrolled, not all ${many}: ${shown}`);
  assert.equal((await page.textContent('#kiln-panel .kiln-versions .kiln-count')).trim(), `${shown} of ${many}`);
  const ids = await page.$$eval('#kiln-panel .kiln-versions .kiln-version', els => els.map(e => e.dataset.version));
  assert.equal(new Set(ids).size, shown, 'each version once');

  step('a second version of trips: the changed file, added and pushed');
  assert.equal(await page.evaluate(() => window.jupyterapp.shell.currentWidget.context.path), 'project/analysis.ipynb');
  // from the last cell on, as a user carries on at the end: the notebook's newest use of trips is its last in the file
  await page.evaluate(() => {
    const nb = window.jupyterapp.shell.currentWidget.content;
    nb.activeCellIndex = nb.model.cells.length - 1;
  });
  await typeCell('%data add data/trips -m "A third February trip"');
  await typeCell('%data push');
  await command('docmanager:save');
  const second = JSON.parse((await api('GET', 'api/contents/project/kiln.lock?content=1&format=text&type=file')).content).datasets.trips.version;
  assert.match(second, /^[0-9a-f]{64}$/);
  assert.notEqual(second, version, 'a changed file, a new version');
  await command('kiln:refresh');
  await page.waitForSelector(`${row} .kiln-version-count[data-versions="${recorded.versions + 1}"]`);
  await page.waitForSelector(`${row} [data-workspace="matches"]`);
  await page.click(`${row} button.kiln-link`);
  const versionLine = id => `#kiln-panel .kiln-versions[data-dataset="trips"] .kiln-version[data-version="${id}"]`;
  await page.waitForSelector(versionLine(second));
  await page.waitForSelector(versionLine(version));
  const february = async () => (await api('GET', 'api/contents/project/data/trips/february.csv?content=1&format=text&type=file')).content;
  const pinnedIs = async (id) => {
    await page.waitForFunction(([r, short]) => document.querySelector(`${r} .kiln-pinned code`)?.textContent === short, [row, id.slice(0, 12)], { timeout: 30_000 });
    await page.waitForSelector(`${row} [data-workspace="matches"]`, { timeout: 30_000 });
    await page.waitForSelector(`#kiln-panel .kiln-version-pinned[data-version="${id}"]`, { timeout: 30_000 });
  };

  step("'check out' on the older version: a %data checkout cell puts it in the workspace and pins it");
  await page.click(`${versionLine(version)} .kiln-version-actions button:has-text("check out")`);
  const checkedOut = await ranCell(`%data checkout trips@${version}`);
  assert.ok(checkedOut.includes(`Checked out trips@${version.slice(0, 12)} into data/trips: 2 files`), checkedOut);
  assert.ok(checkedOut.includes('1 written, 0 removed, 1 unchanged'), `february.csv goes back to January and February's: ${checkedOut}`);
  assert.equal(await february(), 'id,km\n4,1.5\n5,9\n', "the workspace holds the older version's file");
  assert.equal(JSON.parse((await api('GET', 'api/contents/project/kiln.lock?content=1&format=text&type=file')).content).datasets.trips.version, version);
  await pinnedIs(version); // the panel follows without a refresh
  await shotOfCell('kiln-checkout.png');

  step("'pull' on the newer version: a %data pull cell brings it back");
  await page.click(`${versionLine(second)} .kiln-version-actions button:has-text("pull")`);
  const pulled = await ranCell(`%data pull trips@${second}`);
  assert.ok(pulled.includes(`Pulled trips@${second.slice(0, 12)} into data/trips: 2 files`), pulled);
  assert.ok(pulled.includes('1 written, 0 removed, 1 unchanged'), pulled);
  assert.equal(await february(), 'id,km\n4,1.5\n5,9\n6,2\n');
  await pinnedIs(second);
  await shotOfCell('kiln-pull.png');

  step("two versions ticked, 'Diff the two ticked': a %data diff cell names the file that differs");
  assert.ok(await page.isDisabled('#kiln-panel .kiln-diff'), 'no diff before two versions are ticked');
  await page.check(`${versionLine(second)} input[type="checkbox"]`);
  await page.check(`${versionLine(version)} input[type="checkbox"]`);
  await page.click('#kiln-panel .kiln-diff');
  const diffed = await ranCell(`%data diff trips@${version} trips@${second}`);
  assert.ok(diffed.includes('0 added, 0 removed, 1 changed'), diffed);
  assert.match(diffed, /~ (data\/trips\/)?february\.csv/, diffed);
  assert.ok(!diffed.includes('january.csv'), `january.csv is the same in both: ${diffed}`);
  await shotOfCell('kiln-diff.png');

  step("the palette's \"pull the notebook's data\": %data pull --notebook pulls the versions its saved outputs used");
  assert.equal(await page.evaluate(() => {
    const nb = window.jupyterapp.shell.currentWidget.content;
    return nb.model.cells.length - 1 - nb.activeCellIndex;
  }), 0, 'the panel ran its cells at the end of the notebook');
  await fromPalette("Kiln: pull the notebook's data");
  const pulledForNotebook = await ranCell('%data pull --notebook');
  assert.ok(pulledForNotebook.includes(`Pulled trips@${second.slice(0, 12)} into data/trips: 2 files`), pulledForNotebook);
  assert.ok(pulledForNotebook.includes('0 written, 0 removed, 2 unchanged'), `the workspace held it already: ${pulledForNotebook}`);
  await shotOfCell('kiln-pull-notebook.png');

  step("the palette's \"reproduce this notebook\": a progress dialog, then kiln reproduce's verdict");
  await fromPalette('Kiln: reproduce this notebook');
  await page.waitForSelector('.jp-Dialog .jp-Dialog-header:has-text("Reproducing project/analysis.ipynb")');
  await page.screenshot({ path: path.join(shots, 'kiln-reproduce-progress.png') });
  const started = Date.now();
  await page.waitForSelector('.jp-Dialog .kiln-command-output', { timeout: 180_000 });
  const verdict = (await page.textContent('.jp-Dialog .jp-Dialog-header')).trim();
  const said = await page.textContent('.jp-Dialog .kiln-command-output');
  step(`kiln reproduce took ${Math.round((Date.now() - started) / 1000)} s: ${verdict}\n${said}`);
  await page.screenshot({ path: path.join(shots, 'kiln-reproduce.png') });
  // the first cells do not reproduce, and rightly so: the remote is already in kiln.yaml, `%data add` now finds the second
  // version's files, the re-run's environment is another kernel's; what the panel and the palette ran reproduces
  assert.equal(verdict, said.includes('Did not reproduce') ? 'Reproduction differs' : 'Reproduced: the same', said);
  assert.match(said, /project\/analysis\.ipynb: \d+ of 11 code cells match/, 'every code cell, the eleven of the notebook as saved');
  for (const [n, source] of [[8, `%data checkout trips@${version}`], [9, `%data pull trips@${second}`], [10, `%data diff trips@${version.slice(0, 20)}`],
    [11, '%data pull --notebook']]) {
    assert.ok(said.split('\n').some(l => l.trim().startsWith(`[${n}]`) && /\bsame\b/.test(l) && l.includes(source)), `cell ${n} (${source}) reproduces: ${said}`);
  }
  assert.match(said, /Executed copy: .*project\/analysis\.reproduced\.ipynb/);
  await page.click('.jp-Dialog .jp-Dialog-button:has-text("Close")');
  await page.waitForSelector('.jp-Dialog', { state: 'detached' });

  step('the sidecar stops: the panel and the status bar say so, and offer no history actions');
  await command('docmanager:open', { path: 'project/analysis.ipynb' });
  process.kill(sidecarPid, 'SIGKILL');
  await command('kiln:refresh');
  await page.waitForSelector('#kiln-panel .kiln-sidecar-down-note');
  await page.waitForSelector('.kiln-status [data-sidecar="down"]');
  assert.equal(await page.locator('#kiln-panel .kiln-version-list').count(), 0, 'no versions without the sidecar');
  assert.equal(await page.locator('#kiln-panel tr.kiln-dataset td:first-child button').count(), 0, 'no versions to open without the sidecar');
  assert.deepEqual(await api('GET', 'kiln/api/health').catch(e => e.message.slice(0, 'GET kiln/api/health: 502'.length)),
    'GET kiln/api/health: 502', 'Jupyter answers 502 for a sidecar that is gone');
  // what does not need the sidecar stays: the pinned version from kiln.lock (the second, since the panel's 'pull')
  assert.equal(await page.textContent(`${row} .kiln-pinned code`), second.slice(0, 12));
  await page.screenshot({ path: path.join(shots, 'kiln-sidecar-down.png') });

  assert.deepEqual(errors, [], "no uncaught errors from Kiln's extension in the page");
  step('every check held');
} catch (e) {
  failed = true;
  console.error(`lab-browser-test: FAILED: ${e.stack || e}`);
  if (page) {
    await page.screenshot({ path: path.join(shots, 'failure.png') }).catch(() => undefined);
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
