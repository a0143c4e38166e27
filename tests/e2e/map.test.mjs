// End-to-end tests of map interaction and linking, on the built site (dist/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { DIST, OUT, setup, teardown, open, mapReady } from './helpers.mjs';
import { startServer } from './server.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

// The live view (moves every frame) and the drawn view (the SVG's viewBox: the resting view
// with half its size again on every side, redrawn once the view rests).
const viewBox = (page) => page.locator('.map').getAttribute('data-view').then((v) => v.split(' ').map(Number));
const drawnBox = (page) => page.locator('.map-svg').getAttribute('viewBox').then((v) => v.split(' ').map(Number));
const near = (a, b, eps) => Math.abs(a - b) <= eps * Math.max(Math.abs(a), Math.abs(b), 1);

test('drag, wheel, double-click, keys and buttons change the view', async () => {
  const page = await open(base);
  await mapReady(page);
  const map = await page.locator('.map').boundingBox();
  const [cx, cy] = [map.x + map.width / 2, map.y + map.height / 2];
  const v0 = await viewBox(page);
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + 120, cy + 60, { steps: 6 });
  await page.mouse.up();
  const v1 = await viewBox(page);
  assert.ok(v1[0] < v0[0] && v1[1] < v0[1], `drag right/down moves the view left/up: ${v0} → ${v1}`);
  assert.ok(Math.abs(v1[2] - v0[2]) < 1e-6, 'a drag does not zoom');
  // While moving, only a transform changes; at rest the drawing is redone for the new view.
  await page.waitForFunction(() => {
    const v = document.querySelector('.map').getAttribute('data-view').split(' ').map(Number);
    const d = document.querySelector('.map-svg').getAttribute('viewBox').split(' ').map(Number);
    return Math.abs(d[2] - 2 * v[2]) < 1e-3 * v[2] && Math.abs((d[0] + d[2] / 2) - (v[0] + v[2] / 2)) < 1e-3 * v[2];
  });
  const d1 = await drawnBox(page);
  assert.ok(near(d1[0] + d1[2] / 2, v1[0] + v1[2] / 2, 1e-4) && near(d1[2], 2 * v1[2], 1e-4), `drawn ${d1} for view ${v1}`);
  assert.equal(await page.locator('.map-canvas').evaluate((el) => el.style.transform), 'none', 'at rest the drawing is not transformed');
  await page.mouse.wheel(0, -400);
  await page.waitForTimeout(100);
  const v2 = await viewBox(page);
  assert.ok(v2[2] < v1[2] * 0.7, `wheel zooms in: ${v1[2]} → ${v2[2]}`);
  await page.mouse.dblclick(cx, cy);
  await page.waitForTimeout(600);
  const v3 = await viewBox(page);
  assert.ok(v3[2] < v2[2] * 0.6, `double-click zooms in: ${v2[2]} → ${v3[2]}`);
  await page.locator('.map').focus();
  await page.keyboard.press('-');
  const v4 = await viewBox(page);
  assert.ok(v4[2] > v3[2] * 1.5, 'the - key zooms out');
  await page.keyboard.press('ArrowRight');
  const v5 = await viewBox(page);
  assert.ok(v5[0] > v4[0], 'ArrowRight pans east');
  await page.getByRole('button', { name: '放大' }).click();
  assert.ok((await viewBox(page))[2] < v5[2], 'the zoom-in button zooms in');
  assert.match(await page.locator('.scale-bar').innerText(), /\d+ (k?m)/);
  await page.close();
});

async function expectSelected(page, id, name) {
  await page.locator('.card h2', { hasText: name }).waitFor();
  await page.locator(`.map .selected[data-feature-id="${id}"]`).waitFor();
  await page.locator(`.reader .plan-text mark.current[data-feature-id="${id}"]`).first().waitFor();
  await page.locator('[data-testid="announcer"]', { hasText: name }).waitFor();
}

test('map, list, keyboard and excerpt selection all reach the same card and highlight', async () => {
  const id = 'eco-barrier-bay-xiaozhan';
  const page = await open(base);
  await mapReady(page);
  // 1. The map.
  await page.locator(`.map [data-feature-id="${id}"]`).click();
  await expectSelected(page, id, '绿屏·小站湾');
  await page.locator('.card .close').click();
  // 2. The list of features in view.
  await page.locator('.feature-list summary').click();
  await page.locator(`.feature-list button[data-feature-id="${id}"]`).click();
  await expectSelected(page, id, '绿屏·小站湾');
  assert.equal(await page.locator(`.feature-list button[data-feature-id="${id}"]`).getAttribute('aria-current'), 'true');
  await page.locator('.card .close').click();
  // 3. The keyboard, on the map feature itself.
  await page.locator(`.map [data-feature-id="${id}"]`).focus();
  await page.keyboard.press('Enter');
  await expectSelected(page, id, '绿屏·小站湾');
  // 4. An excerpt in the reader: from another feature's clause back to this one.
  await page.goto(`${base}#f=eco-barrier-bay-xianshuigu`);
  await page.reload();
  await mapReady(page);
  await page.locator('.card h2', { hasText: '咸水沽湾' }).waitFor();
  const mark = page.locator(`.reader .plan-text mark[data-feature-ids~="${id}"]`).first();
  await mark.scrollIntoViewIfNeeded();
  await mark.click();
  await expectSelected(page, id, '绿屏·小站湾');
  await page.waitForTimeout(600);
  // The map flew to it: the point is near the middle of the map.
  const [p, m] = [await page.locator(`.map [data-feature-id="${id}"]`).boundingBox(), await page.locator('.map').boundingBox()];
  assert.ok(Math.abs(p.x + p.width / 2 - (m.x + m.width / 2)) < m.width * 0.2, 'map centred on the feature');
  await page.close();
});

test('a tap where shapes overlap offers a choice', async () => {
  const page = await open(base);
  await mapReady(page);
  // A point inside both the 736 km² band and Jinnan's pattern, with no line or point on top.
  const pt = await page.evaluate(() => {
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
  await page.mouse.click(pt.x, pt.y);
  const chooser = page.locator('.chooser');
  await chooser.waitFor();
  assert.ok(await chooser.locator('button[data-feature-id]').count() >= 2);
  await page.screenshot({ path: join(OUT, 'chooser-1280.png') });
  await chooser.locator('button[data-feature-id="eco-barrier-736"]').click();
  await page.locator('.card h2', { hasText: '736' }).waitFor();
  assert.equal(await chooser.count(), 0);
  await page.close();
});

test('layer opacity, order and the status filter act on the map', async () => {
  const page = await open(base);
  await mapReady(page);
  const item = page.locator('.layer-item[data-layer-id="eco-barrier"]');
  await item.locator('input[type=range]').fill('40');
  assert.equal(await page.locator('.map g.layer[data-layer-id="eco-barrier"]').first().getAttribute('opacity'), '0.4');
  const before = await page.locator('.map g.layer').evaluateAll((gs) => gs.map((g) => g.dataset.layerId));
  await item.getByRole('button', { name: /下移/ }).click();
  const after = await page.locator('.map g.layer').evaluateAll((gs) => gs.map((g) => g.dataset.layerId));
  assert.notDeepEqual(after, before);
  const planned = await page.locator('.map [data-layer-id="eco-barrier"] .feature.planned').count();
  assert.ok(planned > 0);
  await page.locator('#status-filter-planned').uncheck();
  assert.equal(await page.locator('.map [data-layer-id="eco-barrier"] .feature.planned').count(), 0);
  assert.ok(await page.locator('.map [data-layer-id="eco-barrier"] .feature.existing').count() > 0);
  await page.close();
});

test('the 1920 px projector view with many layers', async () => {
  const page = await open(`${base}#f=eco-barrier-736`, { width: 1920, height: 1080 });
  await mapReady(page);
  for (const id of ['eco-barrier-control', 'wetlands', 'parks', 'jincheng-services']) await page.locator(`#layer-toggle-${id}`).check();
  await page.waitForSelector('[data-layer-id="jincheng-services"] [data-feature-id]');
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUT, 'projector-1920.png') });
  assert.deepEqual(page.problems, []);
  await page.close();
});

/** Screen boxes of the labels inside the map element. */
const labelBoxes = (page) => page.evaluate(() => {
  const m = document.querySelector('.map').getBoundingClientRect();
  return [...document.querySelectorAll('.map .labels text')].map((t) => {
    const b = t.getBoundingClientRect();
    return { id: t.dataset.labelFor, text: t.textContent, x0: b.left, y0: b.top, x1: b.right, y1: b.bottom, selected: t.classList.contains('selected') };
  }).filter((b) => b.x1 > m.left && b.x0 < m.right && b.y1 > m.top && b.y0 < m.bottom);
});

function assertNoOverlap(boxes) {
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, b] = [boxes[i], boxes[j]];
    // 1 px of tolerance: the layout estimates text width, the browser measures it.
    const overlap = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 1.5 && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > 1.5;
    assert.ok(!overlap, `labels overlap: ${a.text} [${a.x0.toFixed(0)},${a.y0.toFixed(0)},${a.x1.toFixed(0)},${a.y1.toFixed(0)}] and ${b.text} [${b.x0.toFixed(0)},${b.y0.toFixed(0)},${b.x1.toFixed(0)},${b.y1.toFixed(0)}]`);
  }
}

const settled = (page) => page.waitForFunction(() => document.querySelector('.map-canvas')?.style.transform === 'none');

test('labels name the main features without overlapping, at every zoom and in both languages', async () => {
  const page = await open(base);
  await mapReady(page);
  await page.waitForSelector('.map .labels text');
  await settled(page);
  const city = await labelBoxes(page);
  assert.ok(city.some((b) => b.text === '滨海新区'), `the largest district is named: ${city.map((b) => b.text)}`);
  assert.ok(city.some((b) => b.id?.startsWith('eco-barrier')), 'an eco-barrier feature is named');
  assertNoOverlap(city);
  // Zoom in on the city centre: station names appear, and still none overlap.
  const station = await page.locator('.map [data-feature-id="metro-station-xiaobailou"]').boundingBox();
  assert.ok(station, 'the 小白楼 station is drawn');
  await page.mouse.move(station.x + station.width / 2, station.y + station.height / 2);
  for (let i = 0; i < 3; i++) { await page.mouse.wheel(0, -400); await page.waitForTimeout(50); }
  await page.waitForTimeout(300);
  await settled(page);
  await page.waitForTimeout(100);
  const close = await labelBoxes(page);
  assert.ok(close.some((b) => b.id?.startsWith('metro-station')), `stations are named up close: ${close.map((b) => b.text).slice(0, 20)}`);
  assertNoOverlap(close);
  // Labels are not in the accessibility tree (the feature list is) and take no clicks.
  assert.equal(await page.locator('.map .labels').getAttribute('aria-hidden'), 'true');
  // English names, without the parentheses the card shows.
  await page.locator('.lang-toggle').click();
  await page.waitForFunction(() => [...document.querySelectorAll('.map .labels text')].some((t) => /[a-z]/.test(t.textContent)));
  const en = await labelBoxes(page);
  assert.ok(en.every((b) => !/[()（）]/.test(b.text)), en.map((b) => b.text).join(' | '));
  assertNoOverlap(en);
  await page.screenshot({ path: join(OUT, 'labels-zoomed-1280.png') });
  await page.close();
});

test('a selected feature is always named', async () => {
  const page = await open(`${base}#f=eco-barrier-bay-xiaozhan`);
  await mapReady(page);
  await page.locator('.card h2', { hasText: '小站湾' }).waitFor();
  await settled(page);
  await page.waitForSelector('.map .labels text.selected[data-label-for="eco-barrier-bay-xiaozhan"]');
  assertNoOverlap(await labelBoxes(page));
  await page.close();
});

test('a link to a station shows it: the map flies there and names it, on a phone too', async () => {
  const page = await open(`${base}#f=metro-station-xiaobailou`, { width: 360, height: 740 });
  await mapReady(page);
  await settled(page);
  // Zoomed in from the whole city (about 190 km tall) to the station's streets, and at rest
  // (the view unchanged for 300 ms: a flight redraws on its way).
  await page.waitForFunction(() => Number(document.querySelector('.map').dataset.view.split(' ')[3]) < 30);
  for (let last = null; ;) {
    const now = await viewBox(page);
    if (last && now.every((v, i) => v === last[i])) break;
    last = now;
    await page.waitForTimeout(300);
  }
  await settled(page);
  const [station, map] = [await page.locator('.map .feature.selected[data-feature-id="metro-station-xiaobailou"]').boundingBox(), await page.locator('.map').boundingBox()];
  assert.ok(station.x >= map.x && station.x + station.width <= map.x + map.width && station.y >= map.y && station.y + station.height <= map.y + map.height, `station ${JSON.stringify(station)} map ${JSON.stringify(map)}`);
  // Named, though stations crowd it at city scale.
  await page.waitForSelector('.map .labels text.selected[data-label-for="metro-station-xiaobailou"]');
  // Hatching keeps its size on screen at street scale (a few pixels, not hundreds of metres).
  const hatchPx = await page.evaluate(() => {
    const svg = document.querySelector('.map-svg');
    const perUnit = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return Number(document.querySelector('.map-svg pattern').getAttribute('width')) * perUnit;
  });
  assert.ok(hatchPx > 2 && hatchPx < 10, `hatch tile ${hatchPx} px`);
  assertNoOverlap(await labelBoxes(page));
  assert.deepEqual(page.problems, []);
  await page.close();
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
  const page = await open(url);
  await mapReady(page);
  // Off by default: no tile is requested until the user turns it on.
  await page.locator('#basemap-toggle').waitFor();
  assert.equal(await page.locator('#basemap-toggle').isChecked(), false);
  await page.waitForTimeout(300);
  assert.equal(requested.length, 0);
  await page.locator('#basemap-toggle').check();
  await page.waitForSelector('.map .basemap image');
  const hrefs = await page.locator('.map .basemap image').evaluateAll((is) => is.map((i) => i.getAttribute('href')));
  assert.ok(hrefs.every((h) => /^\/test-tiles\/\d+\/\d+\/\d+\.png$/.test(h)), hrefs.join(' '));
  await page.waitForFunction(() => [...document.querySelectorAll('.map .basemap image')].length > 0);
  await page.waitForTimeout(300);
  assert.ok(requested.length > 0, 'tiles were fetched');
  // Under every layer: the basemap group comes before the first layer group.
  assert.ok(await page.evaluate(() => {
    const b = document.querySelector('.map .basemap'), l = document.querySelector('.map g.layer');
    return !!(b.compareDocumentPosition(l) & Node.DOCUMENT_POSITION_FOLLOWING);
  }));
  await page.locator('.basemap-attribution', { hasText: '© Test tile contributors' }).waitFor();
  await page.screenshot({ path: join(OUT, 'basemap-1280.png') });
  await page.locator('#basemap-toggle').uncheck();
  assert.equal(await page.locator('.map .basemap image').count(), 0);
  assert.equal(await page.locator('.basemap-attribution').count(), 0);
  assert.deepEqual(page.problems, []);
  await page.close();
  server.close();
  // Shifted (GCJ-02) tiles and script URLs are refused with a message; the map still works.
  for (const [tiles, want] of [
    [{ ...config.tiles, datum: 'gcj02' }, /500 m/],
    [{ ...config.tiles, url: 'javascript:alert(1)//{z}{x}{y}' }, /must start with/],
  ]) {
    const bad = await startServer(DIST, 0, { overrides: { '/data/basemap.json': JSON.stringify({ tiles }) } });
    const p = await open(`http://127.0.0.1:${bad.address().port}/`);
    await mapReady(p);
    await p.locator('.notice', { hasText: want }).waitFor();
    assert.equal(await p.locator('#basemap-toggle').count(), 0);
    assert.equal(await p.locator('.map .basemap image').count(), 0);
    assert.ok(await p.locator('.map [data-feature-id]').count() > 20);
    await p.close();
    bad.close();
  }
});
