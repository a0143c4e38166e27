// End-to-end tests of honest geometry in the app: a structure the plan gives no location is
// listed and linked but never drawn, and the map says so instead of flying; structures and
// their parts link both ways; a station opened since the plan says so; table 1-1's figures are
// shown as parts of their districts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, setup, teardown } from './helpers.mjs';
import { Atlas } from './pages/atlas.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

test('a feature with no fixed location opens from a link, the layer list, the feature list and search, and is never drawn', async () => {
  const a = await Atlas.open(`${base}#f=metro-four-network-fusion`);
  await a.ready();
  await a.cardTitle().waitFor();
  assert.equal(await a.cardFeatureId(), 'metro-four-network-fusion');
  // The card and the map say there is no location; there is nothing to zoom to or draw.
  await a.unlocatedNote().waitFor();
  await a.mapUnlocated().waitFor();
  assert.match(await a.mapUnlocated().innerText(), /没有给出位置/);
  assert.equal(await a.zoomToButton().count(), 0);
  assert.equal(await a.shape('metro-four-network-fusion').count(), 0);
  // Its clause is in the reader.
  assert.ok(await a.clauseSettlesInView('metro-four-network-fusion'), 'the clause is in view');
  // The map stayed on the whole city: no flight to a made-up place.
  const before = await a.liveView();
  await a.page.waitForTimeout(600);
  const after = await a.liveView();
  assert.ok(Math.abs(before.w - after.w) < 1 && Math.abs(before.x - after.x) < 1, `${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  await a.screenshot(join(OUT, 'unlocated-card.png'));

  // The layer list lists the metro layer's features with no fixed location; one opens its card.
  const list = await a.unlocatedList('metro');
  const entries = await list.locator('button[data-feature-id]').evaluateAll((bs) => bs.map((b) => b.dataset.featureId));
  assert.ok(entries.includes('metro-shuanghu-link-study') && entries.includes('metro-four-network-fusion'), entries.join());
  await list.locator('button[data-feature-id="metro-shuanghu-link-study"]').click();
  await a.page.waitForFunction(() => document.querySelector('.card')?.dataset.featureId === 'metro-shuanghu-link-study');
  assert.match(await a.cardTitle().innerText(), /双湖联络线/);
  assert.ok(await a.clauseSettlesInView('metro-shuanghu-link-study'));

  // The accessible feature list includes it, whatever the view, marked as having no location.
  const listed = a.listedFeature('metro-four-network-fusion');
  assert.match(await listed.textContent(), /无固定位置/);

  // Search finds it, and choosing the result opens it.
  await a.searchBox().fill('四网融合');
  const hit = a.page.locator('.search-results li', { hasText: '四网融合' }).first();
  await hit.waitFor();
  await hit.click();
  await a.page.waitForFunction(() => document.querySelector('.card')?.dataset.featureId === 'metro-four-network-fusion');
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('a structure lists its parts and each part links back; a station opened since the plan says so', async () => {
  const a = await Atlas.open(`${base}#f=metro-nankai-operating&lang=en`);
  await a.ready();
  await a.cardTitle().waitFor();
  const parts = a.cardLinks('Made up of');
  await parts.first().waitFor();
  const n = await parts.count();
  assert.ok(n >= 20, `${n} parts`);
  assert.match(await a.page.locator('.card .relations h3', { hasText: 'Made up of' }).innerText(), new RegExp(`\\(${n}\\)`));
  const part = await parts.first().getAttribute('data-feature-id');
  await parts.first().click();
  await a.page.waitForFunction((id) => document.querySelector('.card')?.dataset.featureId === id, part);
  // The part is drawn and links back to the structure.
  assert.equal(await a.shape(part).count(), 1);
  const back = a.cardLinks('Part of');
  await back.first().waitFor();
  assert.ok((await back.evaluateAll((bs) => bs.map((b) => b.dataset.featureId))).includes('metro-nankai-operating'));
  await back.locator('xpath=self::*[@data-feature-id="metro-nankai-operating"]').click();
  await a.page.waitForFunction(() => document.querySelector('.card')?.dataset.featureId === 'metro-nankai-operating');
  // The drawing and the plan's own count are told apart in the card.
  assert.match(await a.card().innerText(), /counts 28 operating stations[\s\S]*draws 22/);

  // A station the plan calls planned that operates in the reference (2025-09).
  await a.page.evaluate(() => { location.hash = 'f=metro-station-balitai&lang=en'; });
  await a.page.waitForFunction(() => document.querySelector('.card')?.dataset.featureId === 'metro-station-balitai');
  const opened = a.page.locator('.card .status-2025');
  await opened.waitFor();
  assert.match(await opened.innerText(), /In service by 2025/);
  assert.match(await a.page.locator('.card .meta .badge.status').innerText(), /planned|construction/i, 'the plan\'s own status is kept');
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('table 1-1 shows each figure as a part of its district, in the card and the legend', async () => {
  const a = await Atlas.open(`${base}#f=eco-barrier-control-120112&lang=en`);
  await a.ready();
  await a.cardTitle().waitFor();
  const share = a.page.locator('.card .numbers .num-drawn').first();
  await share.waitFor();
  const text = await share.innerText();
  const m = text.match(/(\d+)% of the district's (\d+) km²/);
  assert.ok(m, text);
  // 204.7 km² of Jinnan's drawn area: a share strictly between 0 and 100%.
  assert.ok(Number(m[1]) > 20 && Number(m[1]) < 100, text);
  assert.match(await a.layerItem('eco-barrier-control').locator('.choropleth-legend').innerText(), /not the district/);
  await a.screenshot(join(OUT, 'table-1-1-card.png'));
  assert.deepEqual(a.problems, []);
  await a.close();
});
