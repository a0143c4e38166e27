// End-to-end tests of the map, the feature card and the layer list, on the built site (dist/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from './server.mjs';
import { DIST, OUT, setup, teardown } from './helpers.mjs';
import { Atlas } from './pages/atlas.mjs';

/** How many features of a shipped layer have a location (a geometry that is not null). */
async function locatedCount(layer) {
  const fc = JSON.parse(await readFile(join(DIST, 'data/layers', `${layer}.geojson`), 'utf8'));
  return fc.features.filter((f) => f.geometry !== null).length;
}

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

test('the map draws the 16 districts and the eco-barrier layer under a strict CSP', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  const districts = await a.layerShapes('districts').count();
  assert.equal(districts, 16);
  // Every eco-barrier feature with a location is drawn; those with none are not.
  const eco = await a.layerShapes('eco-barrier').count();
  const located = await locatedCount('eco-barrier');
  assert.ok(located >= 10, `located eco-barrier features: ${located}`);
  assert.equal(eco, located, `eco-barrier features drawn: ${eco} of ${located}`);
  // The drawn shapes have real size on screen (not a collapsed view box).
  const box = await a.shape('district-120112').boundingBox();
  assert.ok(box && box.width > 40 && box.height > 30, `Jinnan's box ${JSON.stringify(box)}`);
  // Schematic shapes look schematic: hatched fill and dashed outline.
  const band = a.shape('eco-barrier-736');
  assert.match(await band.getAttribute('fill'), /url\(#hatch-/);
  assert.ok(await band.getAttribute('stroke-dasharray'));
  assert.deepEqual(a.problems, []);
  await a.screenshot(join(OUT, 'map-1280.png'));
  await a.close();
});

test('clicking an eco-barrier feature shows its quoted clause, highlighted in the full plan text', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  await a.shape('eco-barrier-bay-xiaozhan').click();
  const card = a.card();
  await card.waitFor();
  assert.match(await a.cardTitle().innerText(), /绿屏·小站湾/);
  assert.match(await card.innerText(), /推进绿屏·小站湾的建设/);
  const mark = a.clause('eco-barrier-bay-xiaozhan');
  await mark.waitFor();
  assert.match(await mark.innerText(), /推进绿屏·小站湾的建设/);
  assert.ok(await mark.isVisible());
  // The reader scrolled the clause into its own view.
  const [m, r] = [await mark.boundingBox(), await a.reader().boundingBox()];
  assert.ok(m.y >= r.y && m.y + m.height <= r.y + r.height, `mark ${JSON.stringify(m)} reader ${JSON.stringify(r)}`);
  // The full text is there, not just the clause: the reader holds the whole plan (931 lines).
  assert.ok((await a.planParagraphs().count()) > 300);
  assert.match(await a.readerFile().innerText(), /^004_807393adc7e55925\.txt/);
  await a.screenshot(join(OUT, 'feature-1280.png'));

  // A polygon: the 736 km² barrier cites the traditional-character file 000 first.
  await a.selectOnMap('eco-barrier-736');
  await a.cardTitle().filter({ hasText: '736' }).waitFor();
  const m736 = a.clause('eco-barrier-736');
  await m736.waitFor();
  assert.match(await m736.innerText(), /736平方公里綠色生態屏障建設/);
  assert.match(a.url(), /[#&]f=eco-barrier-736(&|$)/);
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('clicking a highlighted clause in the reader selects its feature; the excerpt list switches documents', async () => {
  const a = await Atlas.open(`${base}#f=eco-barrier-bay-xianshuigu`);
  await a.ready();
  await a.cardTitle().filter({ hasText: '咸水沽湾' }).waitFor();
  // Another feature's clause in the same plan; it lies inside a longer clause cited by the
  // Xiaozhan zone, and the click selects the feature whose clause it is.
  const other = a.citingMark('eco-barrier-bay-xiaozhan');
  await other.scrollIntoViewIfNeeded();
  await other.click();
  await a.cardTitle().filter({ hasText: '小站湾' }).waitFor();
  assert.match(a.url(), /f=eco-barrier-bay-xiaozhan/);
  assert.equal(await a.page.locator('.map [data-layer-id="eco-barrier"] .selected').getAttribute('data-feature-id'), 'eco-barrier-bay-xiaozhan');
  // Excerpt 2 of the 736 km² barrier is in the municipal outline (file 001).
  await a.page.goto(`${base}#f=eco-barrier-736`);
  await a.page.reload();
  await a.ready();
  await a.excerpt(1).click();
  await a.readerFile().filter({ hasText: '001_0368f08b0a40a1f2.txt' }).waitFor();
  await a.planText().locator('mark.current', { hasText: '建设双城间绿色生态屏障' }).first().waitFor();
  await a.close();
});

test('while a plan text loads, the selected clause is shown at once; then the full text takes its place', async () => {
  const a = await Atlas.open(base);
  let release;
  const held = new Promise((ok) => { release = ok; });
  await a.page.route('**/texts/004_*', async (route) => { await held; await route.continue(); });
  await a.ready();
  await a.selectOnMap('eco-barrier-bay-xiaozhan');
  const pending = a.pendingExcerpts().locator('mark.current[data-feature-id="eco-barrier-bay-xiaozhan"]');
  await pending.waitFor();
  assert.match(await pending.innerText(), /推进绿屏·小站湾的建设/);
  assert.match(await a.reader().locator('[role="status"]').innerText(), /正在加载规划原文/);
  assert.equal(await a.planText().count(), 0);
  release();
  await a.clause('eco-barrier-bay-xiaozhan').waitFor();
  assert.equal(await a.pendingExcerpts().count(), 0);
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('a highlighted clause in the reader is reached from the chosen one and chosen with Enter', async () => {
  const a = await Atlas.open(`${base}#f=eco-barrier-bay-xianshuigu`);
  await a.ready();
  await a.clause('eco-barrier-bay-xianshuigu').waitFor();
  // The chosen clause is the text's one tab stop; the others are reached from it.
  const stop = a.page.locator('.plan-text mark[tabindex="0"]');
  assert.equal(await stop.count(), 1);
  assert.match(await stop.getAttribute('data-feature-ids'), /eco-barrier-bay-xianshuigu/);
  const other = a.citingMark('eco-barrier-bay-xiaozhan');
  assert.equal(await other.getAttribute('tabindex'), '-1');
  await stop.focus();
  // The arrows step from clause to clause, so many steps reach the other feature's clause.
  const steps = await a.page.evaluate(() => {
    const all = [...document.querySelectorAll('.plan-text mark[tabindex]')];
    const there = all.findIndex((m) => m.dataset.featureIds?.includes('eco-barrier-bay-xiaozhan'));
    return there - all.indexOf(document.activeElement);
  });
  for (let i = 0; i < Math.abs(steps); i++) await a.page.keyboard.press(steps > 0 ? 'ArrowDown' : 'ArrowUp');
  assert.equal(await a.page.evaluate(() => document.activeElement?.dataset.featureIds?.includes('eco-barrier-bay-xiaozhan')), true);
  await a.page.keyboard.press('Enter');
  await a.cardTitle().filter({ hasText: '小站湾' }).waitFor();
  assert.match(a.url(), /f=eco-barrier-bay-xiaozhan/);
  // Only the chosen feature's clauses are current.
  await a.clause('eco-barrier-bay-xiaozhan').waitFor();
  assert.equal(await a.planText().locator('mark.current[data-feature-ids="eco-barrier-bay-xianshuigu"]').count(), 0);
  await a.close();
});

test('switching language sets the page language and, on a phone, leaves the map where it is', async () => {
  const a = await Atlas.open(base, { width: 360, height: 740 });
  await a.ready();
  assert.equal(await a.htmlLang(), 'zh-CN');
  const before = await a.mapPane().boundingBox();
  await a.langToggle().click();
  await a.page.locator('.subtitle', { hasText: 'Spatial layouts' }).waitFor();
  assert.equal(await a.htmlLang(), 'en');
  const after = await a.mapPane().boundingBox();
  assert.equal(after.y, before.y, `map pane moved from ${before.y} to ${after.y}`);
  assert.equal(after.height, before.height);
  await a.close();
});

test('layer checkboxes show and hide layers', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  const box = a.layerCheckbox('eco-barrier');
  assert.equal(await box.isChecked(), true);
  await box.uncheck();
  assert.equal(await a.layerShapes('eco-barrier').count(), 0);
  await box.check();
  assert.equal(await a.layerShapes('eco-barrier').count(), await locatedCount('eco-barrier'));
  await a.close();
});

test('a layer that fails to load shows its error while the rest of the map works', async () => {
  const failing = await startServer(DIST, 0, { failPaths: ['eco-barrier.geojson'] });
  const a = await Atlas.open(`http://127.0.0.1:${failing.address().port}/`);
  await a.layerShapes('districts').first().waitFor();
  await a.page.waitForSelector('.map[data-view-ready="true"]');
  const state = a.layerError('eco-barrier');
  await state.waitFor();
  assert.match(await state.innerText(), /eco-barrier\.geojson: HTTP 500/);
  assert.equal(await a.layerShapes('districts').count(), 16);
  await a.selectOnMap('district-120119');
  await a.cardTitle().filter({ hasText: '蓟州区' }).waitFor();
  await a.close();
  failing.close();
});

test('when the layer list or every default layer fails to load, the error is on screen, not under the first-view picture', async () => {
  // The first element of `locator`, as it is now (no waiting), is on top at its centre.
  const uncovered = (locator) => locator.evaluateAll(([el]) => {
    const r = el.getBoundingClientRect();
    return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)) && !document.getElementById('boot');
  });
  const noManifest = await startServer(DIST, 0, { failPaths: ['manifest.json'] });
  let a = await Atlas.open(`http://127.0.0.1:${noManifest.address().port}/`);
  const statusError = a.page.locator('.status.error');
  await statusError.filter({ hasText: '无法加载图层目录' }).waitFor();
  await a.page.waitForFunction(() => !document.getElementById('boot'));
  assert.ok(await uncovered(statusError));
  await a.close();
  noManifest.close();

  const defaults = ['city-outline', 'districts', 'rivers', 'coastline', 'eco-barrier', 'metro'].map((l) => `${l}.geojson`);
  const noLayers = await startServer(DIST, 0, { failPaths: defaults });
  a = await Atlas.open(`http://127.0.0.1:${noLayers.address().port}/`);
  await a.layerError('metro').waitFor();
  await a.page.waitForFunction(() => !document.getElementById('boot'));
  assert.ok(await uncovered(a.layerError('districts')));
  await a.close();
  noLayers.close();
});

test('a hostile URL hash is reported, never injected, and the app keeps working', async () => {
  const a = await Atlas.open(`${base}#f=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&lang=xx&zoom=3`);
  let dialog = false;
  a.page.on('dialog', (d) => { dialog = true; d.dismiss(); });
  await a.ready();
  const notice = a.notice();
  await notice.waitFor();
  // The browser prefers Chinese and the link's lang=xx is refused: the messages are Chinese.
  assert.match(await notice.innerText(), /已忽略“f”/);
  assert.match(await notice.innerText(), /已忽略未知字段“zoom”/);
  assert.equal(await a.page.locator('img').count(), 0);
  assert.equal(dialog, false);
  // An unknown but well-formed id says so in the card.
  await a.page.goto(`${base}#f=no-such-feature`);
  await a.page.reload();
  await a.ready();
  await a.page.locator('.card-pane', { hasText: 'no-such-feature' }).waitFor();
  await a.close();
});

test('the personal data in file 001 is not shipped in dist/ nor shown', async () => {
  const seed = await readFile('seeds/001_0368f08b0a40a1f2.txt', 'utf8');
  const line = seed.split('\n').find((l) => l.startsWith('投稿与新闻线索'));
  assert.ok(line, 'the footer line is in the seed');
  const secrets = line.split(/[^0-9A-Za-z#.]+/).filter((t) => t.length >= 7 && /[0-9#]/.test(t));
  const name = line.match(/:(\S+?)\s/)?.[1];
  assert.ok(secrets.length >= 2 && name, JSON.stringify({ secrets, name }));
  const files = await listFiles(DIST);
  assert.ok(files.some((f) => f.endsWith('001_0368f08b0a40a1f2.txt')), 'plan 001 is shipped');
  for (const f of files) {
    const text = (await readFile(f)).toString('latin1');
    const utf8 = (await readFile(f)).toString('utf8');
    for (const s of [...secrets, name]) {
      assert.ok(!text.includes(s) && !utf8.includes(s), `${f} contains personal data`);
    }
  }
  const a = await Atlas.open(`${base}#f=eco-barrier-736`);
  await a.ready();
  await a.excerpt(1).click();
  await a.readerFile().filter({ hasText: '001' }).waitFor();
  await a.planText().waitFor();
  const shown = await a.page.locator('body').innerText();
  for (const s of [...secrets, name]) assert.ok(!shown.includes(s));
  await a.close();
});

test('a 360 px phone shows the map and the card', async () => {
  const a = await Atlas.open(`${base}#f=eco-barrier-bay-xiaozhan`, { width: 360, height: 740 });
  await a.ready();
  await a.cardTitle().filter({ hasText: '小站湾' }).waitFor();
  // The map above, the card in the bottom sheet below it.
  const map = await a.mapPane().boundingBox();
  assert.ok(map.width >= 350 && map.height > 200, JSON.stringify(map));
  const card = await a.cardTitle().boundingBox();
  assert.ok(card && card.y >= map.y + map.height && card.y + card.height <= 740, JSON.stringify(card));
  const overflow = await a.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
  await a.screenshot(join(OUT, 'phone-360.png'), { fullPage: false });
  await a.close();
});

async function listFiles(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}

test('skip links come first in the tab order and move the focus; the language button is named by what it shows', async () => {
  const a = await Atlas.open(`${base}#lang=en`);
  await a.ready();
  await a.page.keyboard.press('Tab');
  assert.equal(await a.page.evaluate(() => document.activeElement.textContent), 'Skip to the map');
  assert.ok(await a.page.locator('.skip-link').first().isVisible());
  await a.page.keyboard.press('Tab');
  assert.equal(await a.page.evaluate(() => document.activeElement.textContent), 'Skip to the plan text');
  await a.page.keyboard.press('Shift+Tab');
  await a.page.keyboard.press('Enter');
  assert.equal(await a.page.evaluate(() => document.activeElement.matches('.map-pane > .map')), true);
  await a.page.locator('.skip-link').nth(1).focus();
  await a.page.keyboard.press('Enter');
  assert.equal(await a.page.evaluate(() => document.activeElement.matches('.reader')), true);
  // The name starts with the visible text (WCAG 2.5.3), and no plain shape carries a name.
  assert.match(await a.langToggle().getAttribute('aria-label'), /^中文/);
  assert.equal(await a.page.locator('.map g.layer:not(.interactive) [aria-label]').count(), 0);
  assert.deepEqual(a.problems, []);
  await a.close();
});
