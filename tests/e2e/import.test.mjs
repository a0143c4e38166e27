// End-to-end tests of a visitor's own layer: a GeoJSON file picked or dropped on the page is
// drawn, listed, searchable, usable in a comparison and removable; its bad features are named
// with their reasons, broken or hostile files get their message, and none of it reaches a link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, setup, teardown } from './helpers.mjs';
import { Atlas } from './pages/atlas.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

const point = (id, name, lon, lat, extra = {}) => ({ type: 'Feature', id, properties: { name, ...extra }, geometry: { type: 'Point', coordinates: [lon, lat] } });
const square = (id, name, lon, lat, d = 0.02) => ({
  type: 'Feature', id, properties: { 名称: name, 用途: '公园' },
  geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] },
});

/** Five good features and three bad ones (an open ring, positions in metres, a geometry collection). */
function mixedFile() {
  return {
    type: 'FeatureCollection',
    features: [
      point('school-1', '我的测试学校甲', 117.20, 39.12, { 学生: 1200 }),
      square('park-1', '我的测试公园乙', 117.25, 39.08),
      { type: 'Feature', id: 'open-ring', properties: { name: 'Open ring' }, geometry: { type: 'Polygon', coordinates: [[[117.1, 39.0], [117.2, 39.0], [117.2, 39.1], [117.1, 39.1]]] } },
      point('school-2', '<img src=x onerror="window.__hit=1">', 117.30, 39.15),
      { type: 'Feature', id: 'in-metres', properties: { name: 'Metres' }, geometry: { type: 'Point', coordinates: [500123.5, 4334567.2] } },
      { type: 'Feature', id: 'line-1', properties: { title: 'My test walk' }, geometry: { type: 'LineString', coordinates: [[117.15, 39.10], [117.22, 39.14]] } },
      { type: 'Feature', id: 'collection', properties: {}, geometry: { type: 'GeometryCollection', geometries: [] } },
      square('park-2', 'My test park', 117.10, 39.20),
    ],
  };
}

/** Pick `text` as a file named `name` with the layer list's button (its hidden file input). */
async function pick(a, name, text) {
  await a.page.locator('.import input[type=file]').setInputFiles({ name, mimeType: 'application/geo+json', buffer: Buffer.from(text) });
}

/** Drop `text` as a file on the page, as a drag from the desktop does. */
async function drop(a, name, text) {
  await a.page.evaluate(async ([name, text]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'application/json' }));
    const at = document.querySelector('.map');
    at.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    await new Promise((r) => setTimeout(r, 50));
    window.__dropNotice = document.querySelector('.drop-notice')?.textContent ?? null;
    at.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [name, text]);
}

const userLayer = (a) => a.page.locator('.layers .layer-item[data-layer-id^="mine-"]');

test('a dropped file with three bad features among good ones: the good ones drawn, listed, searchable; the three named with why', async () => {
  const a = await Atlas.open(`${base}#lang=en`);
  await a.ready();
  await drop(a, 'my schools.geojson', JSON.stringify(mixedFile()));
  assert.match(await a.page.evaluate(() => window.__dropNotice), /Drop the file to add it as a layer/, 'a notice shows while a file is dragged over the page');
  await userLayer(a).waitFor({ timeout: 20000 });
  await a.page.waitForFunction(() => !document.querySelector('.drop-notice'));
  const id = await userLayer(a).getAttribute('data-layer-id');
  assert.match(await a.page.locator('.import-report').innerText(), /Added “my schools\.geojson”: 5 features; 3 could not be read/);
  // The five good ones are drawn.
  assert.equal(await a.layerShapes(id).count(), 5);
  // The three bad ones are named, each with its reason.
  const problems = userLayer(a).locator('.layer-warnings');
  await problems.locator('summary').click();
  const said = await problems.locator('li').allInnerTexts();
  assert.equal(said.length, 3, said.join('\n'));
  assert.match(said[0], /#2 \(open-ring\).*not closed/);
  assert.match(said[1], /#4 \(in-metres\).*projected/);
  assert.match(said[2], /#6 \(collection\).*GeometryCollection/);
  // The hostile name is text, never markup.
  assert.equal(await a.page.evaluate(() => window.__hit), undefined);
  assert.equal(await a.page.locator('img[src="x"]').count(), 0);
  // Searchable by name, in both languages' boxes; its card shows the file's properties.
  await a.search('测试学校甲');
  const hit = a.searchResults().filter({ hasText: '我的测试学校甲' });
  await hit.first().waitFor();
  await hit.first().click();
  const card = a.page.locator('.card.user');
  await card.waitFor();
  assert.match(await card.innerText(), /我的测试学校甲[\s\S]*Your layer: my schools\.geojson[\s\S]*Not part of the plans[\s\S]*学生\s*1200/);
  // Picked on the map as well: a tap on the polygon opens its card.
  await a.page.locator('.card .close').click();
  await a.selectOnMap(`${id}/1`);
  await a.page.locator('.card.user h2', { hasText: '我的测试公园乙' }).waitFor();
  assert.match(await a.page.locator('.card.user').innerText(), /Area on the map: [\d.]+ km²/);
  // Nothing of it reaches a link: no layer, no feature.
  const url = await a.settledUrl();
  assert.doesNotMatch(url, /mine-/);
  await a.screenshot(join(OUT, 'import-layer-1280.png'));
  // Its colour is the user's to choose.
  await a.page.locator('.card .close').click();
  await userLayer(a).locator('input[type=color]').fill('#00aa00');
  await a.page.waitForFunction((id) => document.querySelector(`.map [data-layer-id="${id}"] path[data-feature-id]`)?.getAttribute('fill') === '#00aa00', id);
  // Usable in a comparison: the right side lists it and draws it once turned on there.
  await a.compareToggle().click();
  await a.rightMap().waitFor();
  await a.sideTab(true).click();
  const right = a.page.locator(`.layers .layer-item[data-layer-id="${id}"] input[type=checkbox]`);
  await right.check();
  await a.page.locator(`.map-pane.right [data-layer-id="${id}"] [data-feature-id]`).first().waitFor();
  assert.equal(await a.page.locator(`.map-pane.right [data-layer-id="${id}"] [data-feature-id]`).count(), 5);
  await a.compareClose().click();
  // Removable: gone from the list, the map and the search.
  await userLayer(a).locator('button.remove').click();
  await a.page.waitForFunction((id) => !document.querySelector(`[data-layer-id="${id}"]`), id);
  await a.search('测试学校甲');
  assert.equal(await a.searchResults().filter({ hasText: '我的测试学校甲' }).count(), 0);
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('a picked file is added; latitude-first positions are read round; a file in GCJ-02 is flagged with its shift and converted on request', async () => {
  const a = await Atlas.open(`${base}#lang=en`);
  await a.ready();
  const swapped = { type: 'FeatureCollection', features: [point('a', 'Swapped A', 39.12, 117.2), point('b', 'Swapped B', 39.13, 117.21)] };
  await pick(a, 'swapped.json', JSON.stringify(swapped));
  await userLayer(a).waitFor({ timeout: 20000 });
  const first = await userLayer(a).getAttribute('data-layer-id');
  await userLayer(a).locator('.layer-warnings summary').click();
  assert.match(await userLayer(a).locator('.layer-warnings').innerText(), /2 feature\(s\) had latitude before longitude/);
  // Drawn in Tianjin: inside the map's view.
  assert.ok(await a.shapeInView(`${first}/0`), 'the swapped point is drawn in Tianjin');
  await userLayer(a).locator('button.remove').click();
  // A file naming GCJ-02: the warning gives the shift; the conversion moves the shapes west and south.
  const gcj = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'GCJ-02' } }, features: [point('g', 'GCJ point', 117.2, 39.13)] };
  await drop(a, 'gcj.geojson', JSON.stringify(gcj));
  await userLayer(a).waitFor();
  const id = await userLayer(a).getAttribute('data-layer-id');
  assert.match(await userLayer(a).locator('.user-tools [role=alert]').innerText(), /GCJ-02[\s\S]*about 5\d\d m east and 1\d\d m north/);
  const x = async () => Number(await a.page.locator(`.map [data-feature-id="${id}/0"] circle`).getAttribute('cx'));
  const before = await x();
  await userLayer(a).locator('button.gcj02').click();
  await a.page.waitForFunction(([id, b]) => Number(document.querySelector(`.map [data-feature-id="${id}/0"] circle`)?.getAttribute('cx')) < b, [id, before]);
  assert.equal(await userLayer(a).locator('button.gcj02').getAttribute('aria-pressed'), 'true');
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('broken, empty, foreign and oversized files each get their message, and the app keeps working', async () => {
  const a = await Atlas.open(`${base}#lang=en`);
  await a.ready();
  const cases = [
    ['cut.geojson', '{"type":"FeatureCollection","features":[\n{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Point","coordinates":[117.2,39', /no features to show: not valid JSON at line 2, column \d+: the file ends before the JSON does/],
    ['page.geojson', '<!doctype html><script>window.__hit=1</script>', /not valid JSON at line 1, column 1: expected a GeoJSON object/],
    ['empty.geojson', '', /the file is empty/],
    ['topo.json', '{"type":"Topology","objects":{}}', /"Topology": not GeoJSON/],
    ['bad.geojson', '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1e400,NaN]}}]}', /#0: .*line 1, column/],
  ];
  for (const [name, text, says] of cases) {
    await a.page.locator('.notice button').click().catch(() => {});
    await pick(a, name, text);
    await a.notice().waitFor();
    assert.match(await a.notice().innerText(), says, name);
  }
  // Over the stated limit: refused before reading, with the limit and the size.
  await a.page.locator('.notice button').click();
  await a.page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(101 * 1024 * 1024)], 'huge.geojson'));
    document.querySelector('.map').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await a.notice().waitFor();
  assert.match(await a.notice().innerText(), /too large: the limit is 100 MB; this file is 101 MB/);
  assert.equal(await userLayer(a).count(), 0);
  assert.equal(await a.page.evaluate(() => window.__hit), undefined);
  // Still working: a feature can be picked and its clause read.
  await a.selectOnMap('eco-barrier-736');
  await a.page.locator('.plan-text mark.current').first().waitFor();
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('on a phone, the add button is a 44 px target in the layers sheet and a picked file opens on the map', async () => {
  const a = await Atlas.open(`${base}#lang=zh`, { width: 360, height: 740 });
  await a.ready();
  await a.page.locator('.sheet-tab[aria-controls="panel-layers"]').click();
  const button = a.page.locator('.import-button');
  await button.scrollIntoViewIfNeeded();
  const box = await button.boundingBox();
  assert.ok(box.height >= 44 && box.width >= 44, JSON.stringify(box));
  await pick(a, '学校.geojson', JSON.stringify(mixedFile()));
  await userLayer(a).waitFor({ timeout: 20000 });
  assert.match(await a.page.locator('.import-report').innerText(), /已加入“学校\.geojson”：5个要素，3个未能读取/);
  // The map flies to the new layer: its 2 km square is drawn large enough to tap.
  const id = await userLayer(a).getAttribute('data-layer-id');
  await a.page.waitForFunction((id) => (document.querySelector(`.map [data-feature-id="${id}/1"]`)?.getBoundingClientRect().width ?? 0) > 20, id, { timeout: 5000 });
  await userLayer(a).scrollIntoViewIfNeeded();
  await a.screenshot(join(OUT, 'import-layer-360.png'));
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('a file of many thousand shapes is drawn as joined paths, a few per frame; a tap still picks the one feature under it', async () => {
  // The plan's layers off, so that the tap meets only the file's shapes.
  const a = await Atlas.open(`${base}#lang=en&layers=none`);
  await a.viewReady();
  // 4,000 small squares on a grid, and 1,000 points: more than a user layer draws one by one.
  const features = [];
  for (let i = 0; i < 4000; i++) features.push(square(`sq-${i}`, `Square ${i}`, 117.0 + (i % 80) * 0.004, 39.0 + Math.floor(i / 80) * 0.004, 0.003));
  for (let i = 0; i < 1000; i++) features.push(point(`pt-${i}`, `Dot ${i}`, 117.0015 + (i % 50) * 0.008, 39.25 + Math.floor(i / 50) * 0.004));
  await pick(a, 'many.geojson', JSON.stringify({ type: 'FeatureCollection', features }));
  await userLayer(a).waitFor({ timeout: 30000 });
  const id = await userLayer(a).getAttribute('data-layer-id');
  const group = a.page.locator(`.map g.layer.batched[data-layer-id="${id}"]`);
  await group.first().waitFor();
  // 4,000 areas in 8 paths and 1,000 points in 2; no element per feature.
  await a.page.waitForFunction((id) => document.querySelectorAll(`.map [data-layer-id="${id}"] path.batch`).length === 10, id);
  assert.equal(await a.page.locator(`.map [data-layer-id="${id}"] [data-feature-id]`).count(), 0);
  await a.viewSettled();
  // A tap in the middle of square 1234 picks it (and only it), and the selection is drawn over the paths.
  const at = await a.page.evaluate(([id]) => {
    const svg = document.querySelector('.map-svg');
    const paths = [...document.querySelectorAll(`.map [data-layer-id="${id}"] path.batch`)];
    // Square 1234 is the 235th of the third joined path (500 per path).
    const p = paths.find((e) => e.dataset.batch.endsWith(':0:2'));
    const ctm = p.getScreenCTM();
    const sub = p.getAttribute('d').split('M').filter(Boolean)[234];
    // "x yLx yL…Z": the ring's corners; its centre is their mean.
    const n = sub.replace(/Z.*/, '').split(/[L ]/).filter(Boolean).map(Number);
    const xs = n.filter((_, k) => k % 2 === 0), ys = n.filter((_, k) => k % 2 === 1);
    const cx = xs.reduce((s, v) => s + v, 0) / xs.length, cy = ys.reduce((s, v) => s + v, 0) / ys.length;
    const pt = svg.createSVGPoint(); pt.x = cx; pt.y = cy;
    const s = pt.matrixTransform(ctm);
    return { x: s.x, y: s.y };
  }, [id]);
  await a.page.mouse.click(at.x, at.y);
  await a.page.locator('.card.user h2', { hasText: 'Square 1234' }).waitFor();
  await a.page.locator(`.map .selection [data-selected-id="${id}/1234"]`).waitFor();
  assert.equal(await a.notice().count(), 0, 'no message: the feature is found');
  // The list of features in view and the search reach them too.
  await a.search('Dot 999');
  await a.searchResults().filter({ hasText: 'Dot 999' }).first().waitFor();
  await a.screenshot(join(OUT, 'import-many-1280.png'));
  assert.deepEqual(a.problems, []);
  await a.close();
});
