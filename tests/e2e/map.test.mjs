// End-to-end tests of map interaction and linking, on the built site (dist/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, setup, teardown, open, mapReady } from './helpers.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

const viewBox = (page) => page.locator('.map-svg').getAttribute('viewBox').then((v) => v.split(' ').map(Number));

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
  await page.locator(`.reader mark.current[data-feature-id="${id}"]`).first().waitFor();
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
  const mark = page.locator(`.reader mark[data-feature-ids~="${id}"]`).first();
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
