// End-to-end tests of comparing two maps: the swipe divider (mouse and keyboard), side by side
// (shared view, mirrored cursor), each side's state (as found, as planned by 2025, the metro as
// open in 2025 from the reference data), the right side's layers, and all of it in the URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OUT, setup, teardown } from './helpers.mjs';
import { Atlas } from './pages/atlas.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

const START = '#lang=en&layers=districts,eco-barrier,metro';

/** A point of a feature's shape on one side that no other shape of that side covers. */
async function freePoint(a, side, id) {
  return a.page.evaluate(([side, id]) => {
    const pane = document.querySelector(side === 'right' ? '.map-pane.right' : '.map-pane:not(.right)');
    const el = pane.querySelector(`[data-feature-id="${id}"]`);
    const b = el.getBoundingClientRect();
    for (let fy = 0.2; fy < 0.95; fy += 0.04) for (let fx = 0.2; fx < 0.9; fx += 0.04) {
      // Whole pixels: a click's coordinates are whole numbers.
      const x = Math.round(b.left + b.width * fx), y = Math.round(b.top + b.height * fy);
      if (!pane.contains(document.elementFromPoint(x, y))) continue;
      const hits = document.elementsFromPoint(x, y).filter((e) => pane.contains(e)).map((e) => e.closest('[data-feature-id]')).filter(Boolean);
      if (hits[0] === el && new Set(hits).size === 1 + hits.filter((h) => h.closest('[data-layer-id="districts"]')).length) return { x, y };
    }
    throw new Error(`no free point of ${id}`);
  }, [side, id]);
}

/** Tap at `p` and, where the tap offers a choice, choose `id`. */
async function tap(a, p, id) {
  await a.page.mouse.click(p.x, p.y);
  await a.page.waitForFunction(() => document.querySelector('.chooser, .card'));
  if (await a.chooser().count()) await a.page.locator(`.chooser button[data-feature-id="${id}"]`).click();
}

test('swipe: the divider moves with the mouse and the keyboard, each side draws its own state, taps reach the side under them, and the URL keeps it', async () => {
  const a = await Atlas.open(`${base}${START}`);
  await a.ready();
  await a.compareToggle().click();
  await a.rightMap().waitFor();
  await a.page.waitForSelector('.maps[data-compare="swipe"]');
  // Opening a comparison compares the plan's starting point with what it plans by 2025.
  assert.deepEqual(await a.sideBadges().allTextContents(), ['Left · As the plan found it (existing)', 'Right · As planned by 2025']);
  // The 736 km² eco-barrier is planned: drawn on the right only.
  await a.sideShape('right', 'eco-barrier-736').waitFor();
  assert.equal(await a.sideShape('left', 'eco-barrier-736').count(), 0);
  await a.page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('cmp') === 'swipe');
  assert.equal(await a.hashParam('status'), 'existing');
  assert.equal(await a.hashParam('rstatus'), 'existing,under_construction,planned');

  // Drag the divider to 30% of the map's width.
  const box = await a.maps().boundingBox();
  const d = await a.divider().boundingBox();
  await a.page.mouse.move(d.x + d.width / 2, d.y + d.height / 2);
  await a.page.mouse.down();
  await a.page.mouse.move(box.x + box.width * 0.3, d.y + d.height / 2, { steps: 6 });
  await a.page.mouse.up();
  assert.equal(await a.divider().getAttribute('aria-valuenow'), '30');
  const clip = await a.rightMap().evaluate((p) => getComputedStyle(p).clipPath);
  assert.match(clip, /inset\(0(px)? 0(px)? 0(px)? 30%\)/);
  await a.page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('split') === '30');
  // The keyboard: arrows by 1, Shift+arrow by 10, Home and End.
  await a.divider().focus();
  for (let i = 0; i < 5; i++) await a.page.keyboard.press('ArrowRight');
  assert.equal(await a.divider().getAttribute('aria-valuenow'), '35');
  await a.page.keyboard.press('Shift+ArrowLeft');
  assert.equal(await a.divider().getAttribute('aria-valuenow'), '25');
  await a.screenshot(join(OUT, 'compare-swipe-1280.png'));

  // All of the map right of the divider: a tap on the eco-barrier selects it and opens its clause.
  await a.page.keyboard.press('Home');
  assert.equal(await a.divider().getAttribute('aria-valuenow'), '0');
  const p = await freePoint(a, 'right', 'eco-barrier-736');
  await tap(a, p, 'eco-barrier-736');
  await a.cardTitle().waitFor();
  assert.equal(await a.cardFeatureId(), 'eco-barrier-736');
  await a.clause('eco-barrier-736').waitFor();
  await a.closeCard();
  assert.deepEqual(await a.sideBadges().allTextContents(), ['Left · As the plan found it (existing)', 'Right · As planned by 2025'], 'selecting on the right leaves the left side as it was');
  // All of it left of the divider: the same tap reaches the left map, which has no eco-barrier.
  await a.divider().focus();
  await a.page.keyboard.press('End');
  assert.equal(await a.divider().getAttribute('aria-valuenow'), '100');
  await a.page.mouse.click(p.x, p.y);
  await a.page.waitForFunction(() => document.querySelector('.chooser, .card'));
  assert.equal(await a.page.locator('.chooser [data-feature-id="eco-barrier-736"]').count(), 0, 'the left map drew no eco-barrier there');
  assert.notEqual(await a.cardFeatureId(), 'eco-barrier-736');

  // Reloading the link restores the comparison.
  const url = a.url();
  const b = await Atlas.open(url);
  await b.rightMap().waitFor();
  await b.page.waitForSelector('.maps[data-compare="swipe"]');
  assert.equal(await b.divider().getAttribute('aria-valuenow'), '100');
  assert.deepEqual(await b.sideBadges().allTextContents(), ['Left · As the plan found it (existing)', 'Right · As planned by 2025']);
  assert.deepEqual([...a.problems, ...b.problems], []);
  await b.close();
  await a.close();
});

test('side by side: one view on both maps, a mirrored cursor, the metro as open in 2025, the right side\'s own layers', async () => {
  const a = await Atlas.open(`${base}${START}&cmp=side`);
  await a.ready();
  await a.rightMap().waitFor();
  await a.page.waitForSelector('.map-pane.right .map[data-view-ready="true"]');
  const [l, r] = [await a.map().boundingBox(), await a.rightMap().boundingBox()];
  assert.ok(Math.abs(l.width - r.width) <= 2 && r.x >= l.x + l.width - 1, `${JSON.stringify(l)} ${JSON.stringify(r)}`);
  const views = () => a.page.evaluate(() => [...document.querySelectorAll('.map')].map((m) => m.getAttribute('data-view')));
  // Dragging the left map pans both.
  const before = (await views())[0];
  await a.page.mouse.move(l.x + l.width / 2, l.y + l.height / 2);
  await a.page.mouse.down();
  await a.page.mouse.move(l.x + l.width / 2 + 60, l.y + l.height / 2 + 40, { steps: 5 });
  await a.page.mouse.up();
  let [vl, vr] = await views();
  assert.notEqual(vl, before);
  assert.equal(vl, vr);
  // The keyboard on the right map zooms both.
  await a.rightMap().focus();
  await a.page.keyboard.press('+');
  [vl, vr] = await views();
  assert.equal(vl, vr);
  assert.ok(Number(vl.split(' ')[2]) < Number(before.split(' ')[2]), 'zoomed in');
  // The pointer over the left map shows on the right at the same place.
  await a.page.mouse.move(l.x + l.width * 0.25, l.y + l.height * 0.6);
  const cursor = a.mirrorCursor('right');
  await cursor.waitFor();
  const c = await cursor.boundingBox();
  assert.ok(Math.abs(c.x + c.width / 2 - (r.x + r.width * 0.25)) < 3 && Math.abs(c.y + c.height / 2 - (r.y + r.height * 0.6)) < 3, JSON.stringify(c));
  assert.equal(await a.mirrorCursor('left').isVisible(), false);

  // The right side as open in 2025: metro features by their 2025 state, and the reference stations.
  const metro = JSON.parse(await readFile('public/data/layers/metro.geojson', 'utf8')).features.filter((f) => f.geometry);
  await a.sideState('left').selectOption('found');
  const opened = metro.filter((f) => f.properties.status !== 'existing' && f.properties.status_2025 === 'existing').map((f) => f.id);
  const notOpen = metro.filter((f) => f.properties.status === 'under_construction' && !f.properties.status_2025).map((f) => f.id);
  assert.ok(opened.length > 0 && notOpen.length > 0);
  await a.sideState('right').selectOption('open2025');
  const reference = a.page.locator('.map-pane.right .reference-stations');
  await reference.waitFor();
  assert.ok(Number(await reference.getAttribute('data-count')) > 200);
  for (const id of opened) assert.equal(await a.sideShape('right', id).count(), 1, `${id} opened by 2025`);
  for (const id of notOpen) assert.equal(await a.sideShape('right', id).count(), 0, `${id} not open in 2025`);
  for (const id of opened) assert.equal(await a.sideShape('left', id).count(), 0, `${id} was not open when the plan was written`);
  await a.page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('rmetro') === '2025');

  // Selecting on the right map opens the card and the clause, and marks the feature on both.
  await a.sideState('left').selectOption('planned');
  await a.sideShape('left', 'eco-barrier-736').waitFor();
  await tap(a, await freePoint(a, 'right', 'eco-barrier-736'), 'eco-barrier-736');
  await a.cardTitle().waitFor();
  await a.clause('eco-barrier-736').waitFor();
  assert.equal(await a.page.locator('.map [data-feature-id="eco-barrier-736"].selected').count(), 2);
  await a.screenshot(join(OUT, 'compare-side-1280.png'));

  // The right side's own layers: the tab switches the layer list to it.
  await a.sideTab(true).click();
  await a.layerCheckbox('eco-barrier').uncheck();
  await a.page.waitForFunction(() => !document.querySelector('.map-pane.right [data-layer-id="eco-barrier"]'));
  assert.equal(await a.sideShape('left', 'eco-barrier-736').count(), 1);
  await a.page.waitForFunction(() => !new URLSearchParams(location.hash.slice(1)).get('rlayers').includes('eco-barrier'));
  assert.ok((await a.hashParam('layers')).includes('eco-barrier'));
  await a.sideTab(false).click();
  await a.page.waitForFunction(() => document.querySelector('.layer-item[data-layer-id="eco-barrier"] input[type=checkbox]').checked);

  // Closing leaves one map, and the URL says nothing of a comparison.
  await a.compareClose().click();
  await a.page.waitForFunction(() => document.querySelectorAll('.map').length === 1);
  await a.page.waitForFunction(() => !new URLSearchParams(location.hash.slice(1)).has('cmp') && !new URLSearchParams(location.hash.slice(1)).has('rlayers'));
  assert.equal(await a.page.locator('.side-tabs').count(), 0);
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('on a phone, side by side stacks the two maps and the compare bar fits', async () => {
  const a = await Atlas.open(`${base}${START}&cmp=side&rstatus=existing,under_construction,planned&status=existing`, { width: 360, height: 740 });
  await a.ready();
  await a.rightMap().waitFor();
  const [l, r] = [await a.map().boundingBox(), await a.rightMap().boundingBox()];
  assert.ok(r.y >= l.y + l.height - 1 && Math.abs(l.width - r.width) <= 2, `${JSON.stringify(l)} ${JSON.stringify(r)}`);
  const bar = await a.page.locator('.compare-bar').boundingBox();
  assert.ok(bar.x >= 0 && bar.x + bar.width <= 360, JSON.stringify(bar));
  await a.screenshot(join(OUT, 'compare-side-360.png'));
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('a bad comparison in the link is reported and the rest of the link applies', async () => {
  const a = await Atlas.open(`${base}${START}&cmp=triple&split=140&rlayers=nope&f=eco-barrier-736`);
  await a.ready();
  await a.cardTitle().waitFor();
  await a.notice().waitFor();
  const text = await a.notice().textContent();
  assert.match(text, /cmp/);
  assert.match(text, /split/);
  assert.equal(await a.page.locator('.map').count(), 1);
  assert.deepEqual(a.problems, []);
  await a.close();
});
