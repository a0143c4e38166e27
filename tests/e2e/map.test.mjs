// End-to-end tests of map interaction and linking, on the built site (dist/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { DIST, OUT, setup, teardown } from './helpers.mjs';
import { startServer } from './server.mjs';
import { Atlas } from './pages/atlas.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

// The live view (moves every frame) and the drawn view (the SVG's viewBox: the resting view
// with half its size again on every side, redrawn once the view rests).
const viewBox = (a) => a.map().getAttribute('data-view').then((v) => v.split(' ').map(Number));
const drawnBox = (a) => a.mapSvg().getAttribute('viewBox').then((v) => v.split(' ').map(Number));
const near = (a, b, eps) => Math.abs(a - b) <= eps * Math.max(Math.abs(a), Math.abs(b), 1);

test('drag, wheel, double-click, keys and buttons change the view', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  const map = await a.map().boundingBox();
  const [cx, cy] = [map.x + map.width / 2, map.y + map.height / 2];
  const v0 = await viewBox(a);
  await a.page.mouse.move(cx, cy);
  await a.page.mouse.down();
  await a.page.mouse.move(cx + 120, cy + 60, { steps: 6 });
  await a.page.mouse.up();
  const v1 = await viewBox(a);
  assert.ok(v1[0] < v0[0] && v1[1] < v0[1], `drag right/down moves the view left/up: ${v0} → ${v1}`);
  assert.ok(Math.abs(v1[2] - v0[2]) < 1e-6, 'a drag does not zoom');
  // While moving, only a transform changes; at rest the drawing is redone for the new view.
  await a.page.waitForFunction(() => {
    const v = document.querySelector('.map').getAttribute('data-view').split(' ').map(Number);
    const d = document.querySelector('.map-svg').getAttribute('viewBox').split(' ').map(Number);
    return Math.abs(d[2] - 2 * v[2]) < 1e-3 * v[2] && Math.abs((d[0] + d[2] / 2) - (v[0] + v[2] / 2)) < 1e-3 * v[2];
  });
  const d1 = await drawnBox(a);
  assert.ok(near(d1[0] + d1[2] / 2, v1[0] + v1[2] / 2, 1e-4) && near(d1[2], 2 * v1[2], 1e-4), `drawn ${d1} for view ${v1}`);
  assert.equal(await a.page.locator('.map-canvas').evaluate((el) => el.style.transform), 'none', 'at rest the drawing is not transformed');
  await a.page.mouse.wheel(0, -400);
  await a.page.waitForTimeout(100);
  const v2 = await viewBox(a);
  assert.ok(v2[2] < v1[2] * 0.7, `wheel zooms in: ${v1[2]} → ${v2[2]}`);
  await a.page.mouse.dblclick(cx, cy);
  await a.page.waitForTimeout(600);
  const v3 = await viewBox(a);
  assert.ok(v3[2] < v2[2] * 0.6, `double-click zooms in: ${v2[2]} → ${v3[2]}`);
  await a.map().focus();
  await a.page.keyboard.press('-');
  const v4 = await viewBox(a);
  assert.ok(v4[2] > v3[2] * 1.5, 'the - key zooms out');
  await a.page.keyboard.press('ArrowRight');
  const v5 = await viewBox(a);
  assert.ok(v5[0] > v4[0], 'ArrowRight pans east');
  await a.page.getByRole('button', { name: '放大' }).click();
  assert.ok((await viewBox(a))[2] < v5[2], 'the zoom-in button zooms in');
  assert.match(await a.page.locator('.scale-bar').innerText(), /\d+ (k?m)/);
  await a.close();
});

async function expectSelected(a, id, name) {
  await a.cardTitle().filter({ hasText: name }).waitFor();
  await a.page.locator(`.map .selected[data-feature-id="${id}"]`).waitFor();
  await a.clause(id).waitFor();
  await a.page.locator('[data-testid="announcer"]', { hasText: name }).waitFor();
}

test('map, list, keyboard and excerpt selection all reach the same card and highlight', async () => {
  const id = 'eco-barrier-bay-xiaozhan';
  const a = await Atlas.open(base);
  await a.ready();
  // 1. The map.
  await a.shape(id).click();
  await expectSelected(a, id, '绿屏·小站湾');
  await a.closeCard();
  // 2. The list of features in view.
  await a.page.locator('.feature-list summary').click();
  await a.listedFeature(id).click();
  await expectSelected(a, id, '绿屏·小站湾');
  assert.equal(await a.listedFeature(id).getAttribute('aria-current'), 'true');
  await a.closeCard();
  // 3. The keyboard, on the list's entry (the map itself is one tab stop: a11y.test.mjs).
  await a.listedFeature(id).focus();
  await a.page.keyboard.press('Enter');
  await expectSelected(a, id, '绿屏·小站湾');
  // 4. An excerpt in the reader: from another feature's clause back to this one.
  await a.page.goto(`${base}#f=eco-barrier-bay-xianshuigu`);
  await a.page.reload();
  await a.ready();
  await a.cardTitle().filter({ hasText: '咸水沽湾' }).waitFor();
  const mark = a.citingMark(id);
  await mark.scrollIntoViewIfNeeded();
  await mark.click();
  await expectSelected(a, id, '绿屏·小站湾');
  await a.page.waitForTimeout(600);
  // The map flew to it: the point is near the middle of the map.
  const [p, m] = [await a.shape(id).boundingBox(), await a.map().boundingBox()];
  assert.ok(Math.abs(p.x + p.width / 2 - (m.x + m.width / 2)) < m.width * 0.2, 'map centred on the feature');
  await a.close();
});

test('a tap where shapes overlap offers a choice', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  // A point inside both the 736 km² band and Jinnan's pattern, with no line or point on top.
  const pt = await a.page.evaluate(() => {
    const a = document.querySelector('.map [data-feature-id="eco-barrier-736"]');
    const b = a.getBoundingClientRect();
    for (let fy = 0.2; fy < 0.98; fy += 0.02) for (let fx = 0.2; fx < 0.8; fx += 0.05) {
      const x = b.left + b.width * fx, y = b.top + b.height * fy;
      const all = document.elementsFromPoint(x, y).map((e) => e.closest('[data-feature-id]')).filter(Boolean);
      const top = all[0];
      if (top && top.tagName === 'path' && top.getAttribute('fill') !== 'none' && all.includes(a) && new Set(all).size >= 2) return { x, y };
    }
    return null;
  });
  assert.ok(pt, 'found an overlap');
  await a.page.mouse.click(pt.x, pt.y);
  const chooser = a.chooser();
  await chooser.waitFor();
  assert.ok(await chooser.locator('button[data-feature-id]').count() >= 2);
  await a.screenshot(join(OUT, 'chooser-1280.png'));
  await chooser.locator('button[data-feature-id="eco-barrier-736"]').click();
  await a.cardTitle().filter({ hasText: '736' }).waitFor();
  assert.equal(await chooser.count(), 0);
  await a.close();
});

test('layer opacity, order and the status filter act on the map', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  const item = a.layerItem('eco-barrier');
  await a.layerOpacity('eco-barrier').fill('40');
  assert.equal(await a.layerGroup('eco-barrier').first().getAttribute('opacity'), '0.4');
  const before = await a.layerGroups().evaluateAll((gs) => gs.map((g) => g.dataset.layerId));
  await item.getByRole('button', { name: /下移/ }).click();
  const after = await a.layerGroups().evaluateAll((gs) => gs.map((g) => g.dataset.layerId));
  assert.notDeepEqual(after, before);
  const planned = await a.shapesWithStatus('eco-barrier', 'planned').count();
  assert.ok(planned > 0);
  await a.statusCheckbox('planned').uncheck();
  assert.equal(await a.shapesWithStatus('eco-barrier', 'planned').count(), 0);
  assert.ok(await a.shapesWithStatus('eco-barrier', 'existing').count() > 0);
  await a.close();
});

test('the 1920 px projector view with many layers', async () => {
  const a = await Atlas.open(`${base}#f=eco-barrier-736`, { width: 1920, height: 1080 });
  await a.ready();
  for (const id of ['eco-barrier-control', 'wetlands', 'parks', 'jincheng-services']) await a.layerCheckbox(id).check();
  await a.layerShapes('jincheng-services').first().waitFor();
  await a.page.waitForTimeout(500);
  await a.screenshot(join(OUT, 'projector-1920.png'));
  assert.deepEqual(a.problems, []);
  await a.close();
});

function assertNoOverlap(boxes) {
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, b] = [boxes[i], boxes[j]];
    // 1 px of tolerance: the layout estimates text width, the browser measures it.
    const overlap = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 1.5 && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > 1.5;
    assert.ok(!overlap, `labels overlap: ${a.text} [${a.x0.toFixed(0)},${a.y0.toFixed(0)},${a.x1.toFixed(0)},${a.y1.toFixed(0)}] and ${b.text} [${b.x0.toFixed(0)},${b.y0.toFixed(0)},${b.x1.toFixed(0)},${b.y1.toFixed(0)}]`);
  }
}

test('labels name the main features without overlapping, at every zoom and in both languages', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  await a.labels().locator('text').first().waitFor();
  await a.drawingAtRest();
  const city = await a.labelBoxes();
  assert.ok(city.some((b) => b.text === '滨海新区'), `the largest district is named: ${city.map((b) => b.text)}`);
  assert.ok(city.some((b) => b.id?.startsWith('eco-barrier')), 'an eco-barrier feature is named');
  assertNoOverlap(city);
  // Zoom in on the city centre: station names appear, and still none overlap.
  const station = await a.shape('metro-station-xiaobailou').boundingBox();
  assert.ok(station, 'the 小白楼 station is drawn');
  await a.page.mouse.move(station.x + station.width / 2, station.y + station.height / 2);
  for (let i = 0; i < 3; i++) { await a.page.mouse.wheel(0, -400); await a.page.waitForTimeout(50); }
  await a.page.waitForTimeout(300);
  await a.drawingAtRest();
  await a.page.waitForTimeout(100);
  const close = await a.labelBoxes();
  assert.ok(close.some((b) => b.id?.startsWith('metro-station')), `stations are named up close: ${close.map((b) => b.text).slice(0, 20)}`);
  assertNoOverlap(close);
  // Labels are not in the accessibility tree (the feature list is) and take no clicks.
  assert.equal(await a.labels().getAttribute('aria-hidden'), 'true');
  // English names, without the parentheses the card shows.
  await a.langToggle().click();
  await a.page.waitForFunction(() => [...document.querySelectorAll('.map .labels text')].some((t) => /[a-z]/.test(t.textContent)));
  const en = await a.labelBoxes();
  assert.ok(en.every((b) => !/[()（）]/.test(b.text)), en.map((b) => b.text).join(' | '));
  assertNoOverlap(en);
  await a.screenshot(join(OUT, 'labels-zoomed-1280.png'));
  await a.close();
});

test('a selected feature is always named', async () => {
  const a = await Atlas.open(`${base}#f=eco-barrier-bay-xiaozhan`);
  await a.ready();
  await a.cardTitle().filter({ hasText: '小站湾' }).waitFor();
  await a.drawingAtRest();
  await a.selectedLabel('eco-barrier-bay-xiaozhan').waitFor();
  assertNoOverlap(await a.labelBoxes());
  await a.close();
});

test('a link to a station shows it: the map flies there and names it, on a phone too', async () => {
  const a = await Atlas.open(`${base}#f=metro-station-xiaobailou`, { width: 360, height: 740 });
  await a.ready();
  await a.drawingAtRest();
  // Zoomed in from the whole city (about 190 km tall) to the station's streets, and at rest
  // (the view unchanged for 300 ms: a flight redraws on its way).
  await a.page.waitForFunction(() => Number(document.querySelector('.map').dataset.view.split(' ')[3]) < 30);
  for (let last = null; ;) {
    const now = await viewBox(a);
    if (last && now.every((v, i) => v === last[i])) break;
    last = now;
    await a.page.waitForTimeout(300);
  }
  await a.drawingAtRest();
  const [station, map] = [await a.page.locator('.map .feature.selected[data-feature-id="metro-station-xiaobailou"]').boundingBox(), await a.map().boundingBox()];
  assert.ok(station.x >= map.x && station.x + station.width <= map.x + map.width && station.y >= map.y && station.y + station.height <= map.y + map.height, `station ${JSON.stringify(station)} map ${JSON.stringify(map)}`);
  // Named, though stations crowd it at city scale.
  await a.selectedLabel('metro-station-xiaobailou').waitFor();
  // Hatching keeps its size on screen at street scale (a few pixels, not hundreds of metres).
  const hatchPx = await a.page.evaluate(() => {
    const svg = document.querySelector('.map-svg');
    const perUnit = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return Number(document.querySelector('.map-svg pattern').getAttribute('width')) * perUnit;
  });
  assert.ok(hatchPx > 2 && hatchPx < 10, `hatch tile ${hatchPx} px`);
  assertNoOverlap(await a.labelBoxes());
  assert.deepEqual(a.problems, []);
  await a.close();
});

/** A valid 256×256 PNG of one grey, for tiles served by the test server. */
function greyTile() {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(256, 0); ihdr.writeUInt32BE(256, 4); ihdr[8] = 8; ihdr[9] = 0;
  const rows = Buffer.alloc(257 * 256, 0xdd);
  for (let y = 0; y < 256; y++) rows[y * 257] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}
const TILE = greyTile();

test('a configured basemap draws tiles under the layers with its attribution; a bad one is refused', async () => {
  const config = { tiles: { name_zh: '测试底图', name_en: 'Test tiles', url: '/test-tiles/{z}/{x}/{y}.png', attribution: '© Test tile contributors', max_zoom: 18, datum: 'wgs84', on: false } };
  const requested = [];
  const routes = (path) => {
    if (!path.startsWith('/test-tiles/')) return undefined;
    requested.push(path);
    return { type: 'image/png', body: TILE };
  };
  const server = await startServer(DIST, 0, { overrides: { '/data/basemap.json': JSON.stringify(config) }, routes });
  const url = `http://127.0.0.1:${server.address().port}/`;
  const a = await Atlas.open(url);
  await a.ready();
  // Off by default: no tile is requested until the user turns it on.
  await a.basemapToggle().waitFor();
  assert.equal(await a.basemapToggle().isChecked(), false);
  await a.page.waitForTimeout(300);
  assert.equal(requested.length, 0);
  await a.basemapToggle().check();
  await a.basemapTiles().first().waitFor();
  const hrefs = await a.basemapTiles().evaluateAll((is) => is.map((i) => i.getAttribute('href')));
  assert.ok(hrefs.every((h) => /^\/test-tiles\/\d+\/\d+\/\d+\.png$/.test(h)), hrefs.join(' '));
  await a.page.waitForFunction(() => [...document.querySelectorAll('.map .basemap image')].length > 0);
  await a.page.waitForTimeout(300);
  assert.ok(requested.length > 0, 'tiles were fetched');
  // Under every layer: the basemap group comes before the first layer group.
  assert.ok(await a.page.evaluate(() => {
    const b = document.querySelector('.map .basemap'), l = document.querySelector('.map g.layer');
    return !!(b.compareDocumentPosition(l) & Node.DOCUMENT_POSITION_FOLLOWING);
  }));
  await a.basemapAttribution().filter({ hasText: '© Test tile contributors' }).waitFor();
  await a.screenshot(join(OUT, 'basemap-1280.png'));
  await a.basemapToggle().uncheck();
  assert.equal(await a.basemapTiles().count(), 0);
  assert.equal(await a.basemapAttribution().count(), 0);
  assert.deepEqual(a.problems, []);
  await a.close();
  server.close();
  // Shifted (GCJ-02) tiles and script URLs are refused with a message; the map still works.
  for (const [tiles, want] of [
    [{ ...config.tiles, datum: 'gcj02' }, /500 m/],
    [{ ...config.tiles, url: 'javascript:alert(1)//{z}{x}{y}' }, /must start with/],
  ]) {
    const bad = await startServer(DIST, 0, { overrides: { '/data/basemap.json': JSON.stringify({ tiles }) } });
    const p = await Atlas.open(`http://127.0.0.1:${bad.address().port}/`);
    await p.ready();
    await p.notice().filter({ hasText: want }).waitFor();
    assert.equal(await p.basemapToggle().count(), 0);
    assert.equal(await p.basemapTiles().count(), 0);
    assert.ok(await p.map().locator('[data-feature-id]').count() > 20);
    await p.close();
    bad.close();
  }
});
