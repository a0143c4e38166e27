// End-to-end test of the figures computed in the browser: metro coverage of the six central
// districts at 600 m and 800 m for three station sets, with the plan's claim and the method.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIST, OUT, setup, teardown } from './helpers.mjs';
import { Atlas } from './pages/atlas.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

test('the figures panel computes metro coverage of the central districts, with its method and the plan’s claim', async () => {
  const a = await Atlas.open(`${base}#lang=en`);
  await a.ready();
  await a.page.locator('details.figures summary').click();
  // Wait for the coverage rows themselves: the eco-barrier table needs no metro reference and
  // can be drawn first.
  await a.page.locator('.figures-table[data-radius="600"] tbody tr').first().waitFor({ timeout: 20000 });
  // One table per radius; each row: a district and its shares for 2020, 2025 and with planned stations.
  const read = (radius) => a.page.locator(`.figures-table[data-radius="${radius}"] tbody tr`).evaluateAll((trs) => trs.map((tr) => ({
    district: tr.dataset.district,
    cells: [...tr.querySelectorAll('td')].map((td) => Number(td.textContent.replace('%', ''))),
  })));
  const r600 = await read(600);
  const r800 = await read(800);
  assert.deepEqual(r600.map((r) => r.district), ['和平区', '河东区', '河西区', '南开区', '河北区', '红桥区']);
  const rows = r600.map((r, i) => ({ district: r.district, cells: [...r.cells, ...r800[i].cells] }));
  // Heping, small and dense, is mostly within 800 m of a station.
  assert.ok(rows[0].cells[3] > 80, JSON.stringify(rows[0]));
  // Table 1-1 against the drawn band, for the five districts of the table.
  await a.page.locator('.barrier-table tbody tr').nth(4).waitFor({ timeout: 20000 });
  const barrier = await a.page.locator('.barrier-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    district: tr.dataset.district, table: Number(tr.cells[1].textContent), drawn: Number(tr.cells[2].textContent),
  })));
  assert.deepEqual(barrier.map((r) => r.district).sort(), ['东丽区', '宁河区', '津南区', '滨海新区', '西青区'].sort());
  assert.equal(barrier.find((r) => r.district === '津南区').table, 204.7);
  assert.ok(barrier.every((r) => r.drawn > 0), JSON.stringify(barrier));
  // Counts per layer and status in view: the metro layer is on by default.
  const counts = await a.page.locator('.counts-table tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.cells[0].textContent, ...[...tr.cells].slice(1).map((c) => Number(c.textContent))]));
  const metro = counts.find((r) => /Metro/.test(r[0]));
  assert.ok(metro && metro[1] > 50, JSON.stringify(counts));
  // Catchments drawn on the map: merged circles clipped to the districts, and off again.
  await a.page.locator('.catchment-toggle button', { hasText: '600 m' }).click();
  const drawn = a.page.locator('.map .catchments[data-radius="600"] path[clip-path]');
  await drawn.waitFor({ state: 'attached' });
  assert.ok((await drawn.getAttribute('d')).split('M').length > 200, 'one circle per station open in 2025');
  assert.equal(await a.page.locator('.map #catchment-clip path').count(), 16);
  await a.page.locator('.catchment-toggle button', { hasText: 'none' }).click();
  await a.page.waitForFunction(() => !document.querySelector('.map .catchments'));
  const text = await a.page.locator('details.figures').innerText();
  assert.match(text, /more than 90%/);
  assert.match(text, /Method: straight-line circles/);
  await a.page.locator('details.figures').scrollIntoViewIfNeeded();
  await a.screenshot(join(OUT, 'figures-coverage.png'));
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('a selected shape shows its measured size; a layer downloads as GeoJSON as shown', async () => {
  const a = await Atlas.open(`${base}#f=eco-barrier-736&lang=en`);
  await a.ready();
  const measured = a.page.locator('[data-testid="measured"]');
  await measured.waitFor();
  const km2 = Number((await measured.innerText()).match(/([\d.]+) km²/)[1]);
  assert.ok(km2 > 736 * 0.5 && km2 < 736 * 1.5, `${km2} km²`);
  // Download the eco-barrier layer with "existing" filtered out.
  await a.statusCheckbox('existing').uncheck();
  const [download] = await Promise.all([
    a.page.waitForEvent('download'),
    a.layerItem('eco-barrier').locator('button.download').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'plan-atlas-eco-barrier.geojson');
  const fc = JSON.parse(await readFile(await download.path(), 'utf8'));
  const shipped = JSON.parse(await readFile(join(DIST, 'data/layers/eco-barrier.geojson'), 'utf8'));
  const expected = shipped.features.filter((f) => f.properties.status !== 'existing').map((f) => f.id);
  assert.equal(fc.type, 'FeatureCollection');
  assert.deepEqual(fc.features.map((f) => f.id), expected);
  assert.ok(fc.features.every((f) => f.properties.excerpts.length > 0 && f.properties.precision));
  assert.match(fc.attribution, /\S/);
  assert.match(fc.note, /not an official map/);
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('the map exports as a PNG of the view’s size, with its legend, scale bar and notice', async () => {
  const a = await Atlas.open(`${base}#lang=en`);
  await a.ready();
  const size = await a.map().evaluate((m) => ({ w: m.clientWidth, h: m.clientHeight }));
  const [download] = await Promise.all([a.page.waitForEvent('download'), a.page.locator('.map-controls .export-png').click()]);
  assert.equal(download.suggestedFilename(), 'plan-atlas-map.png');
  const png = await readFile(await download.path());
  // A PNG: its signature, then the IHDR chunk with width and height (2× the view, plus the footer).
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  const w = png.readUInt32BE(16), h = png.readUInt32BE(20);
  assert.equal(w, Math.round(size.w * 2));
  assert.equal(h, Math.round((size.h + 46) * 2));
  assert.ok(png.length > 20000, `${png.length} bytes`);
  // Look at it: drawn into the page, the legend's corner is light and the map is not blank.
  const stats = await a.page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const cx = c.getContext('2d');
    cx.drawImage(img, 0, 0);
    const legend = cx.getImageData(30, 30, 40, 10).data;
    const all = cx.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set();
    for (let i = 0; i < all.length; i += 4 * 997) colours.add(`${all[i]},${all[i + 1]},${all[i + 2]}`);
    return { legendLight: legend[0] > 200 && legend[1] > 200, colours: colours.size };
  }, png.toString('base64'));
  assert.ok(stats.legendLight, JSON.stringify(stats));
  assert.ok(stats.colours > 10, JSON.stringify(stats));
  await a.close();
});
