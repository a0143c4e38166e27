// End-to-end tests of the planners' measure tool (geodesic, not Web Mercator) and the tour of
// saved views presented with the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, setup, teardown } from './helpers.mjs';
import { Atlas } from './pages/atlas.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

/** Great-circle distance (m) on a sphere of mean radius: within 0.5% of the ellipsoid here. */
function haversine([lon1, lat1], [lon2, lat2]) {
  const r = Math.PI / 180, R = 6371008.8;
  const a = Math.sin((lat2 - lat1) * r / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin((lon2 - lon1) * r / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(a));
}

/** The map's centre from the URL, once the URL has caught up with the view. */
async function centre(a, notEqual) {
  await a.page.waitForFunction((prev) => {
    const m = new URLSearchParams(location.hash.slice(1)).get('map');
    return m && m !== prev;
  }, notEqual, { timeout: 5000 });
  const m = await a.hashParam('map');
  const [, lat, lon] = m.split('/').map(Number);
  return { m, p: [lon, lat] };
}

function parseKm(text, label) {
  const m = text.match(new RegExp(`${label}: ([\\d.]+) (km|m)\\b`));
  assert.ok(m, `${label} in “${text}”`);
  return Number(m[1]) * (m[2] === 'km' ? 1000 : 1);
}

test('the measure tool gives geodesic distances and areas, by keyboard and by mouse, and taps do not select while measuring', async () => {
  const a = await Atlas.open(`${base}#map=11.00/39.10000/117.20000&lang=en`);
  await a.ready();
  await a.page.locator('.map-controls .measure-toggle').click();
  const figures = a.page.locator('[data-testid="measure-figures"]');
  await figures.waitFor();
  // Keyboard: Enter adds the point under the crosshair (the map's centre).
  await a.map().focus();
  await a.page.keyboard.press('Enter');
  const p0 = [117.2, 39.1];
  for (let i = 0; i < 5; i++) await a.page.keyboard.press('ArrowRight');
  const { m: m1, p: p1 } = await centre(a, 'map=11.00/39.10000/117.20000'.slice(4));
  await a.page.keyboard.press('Enter');
  const d = parseKm(await figures.textContent(), 'Distance');
  const expected = haversine(p0, p1);
  assert.ok(Math.abs(d / expected - 1) < 0.005, `${d} m vs ${expected} m`);
  // Web Mercator units would say 1 / cos(39.1°) ≈ 1.29 times as much.
  const mercator = Math.abs(p1[0] - p0[0]) * Math.PI / 180 * 6378137;
  assert.ok(mercator / d > 1.25, `${mercator} vs ${d}`);
  // A third point: the triangle's area, against a local flat-earth estimate (within 1%).
  for (let i = 0; i < 5; i++) await a.page.keyboard.press('ArrowDown');
  const { p: p2 } = await centre(a, m1);
  await a.page.keyboard.press('Enter');
  const text = await figures.textContent();
  const area = Number(text.match(/Area: ([\d.]+) km²/)[1]) * 1e6;
  const k = Math.PI / 180, R = 6371008.8, c = Math.cos(39.1 * k);
  const xy = (p) => [(p[0] - p0[0]) * k * R * c, (p[1] - p0[1]) * k * R];
  const [b, q] = [xy(p1), xy(p2)];
  const flat = Math.abs(b[0] * q[1] - q[0] * b[1]) / 2;
  assert.ok(Math.abs(area / flat - 1) < 0.01, `${area} vs ${flat}`);
  assert.equal(await a.page.locator('.map .measure').getAttribute('data-points'), '3');
  await a.screenshot(join(OUT, 'measure-1280.png'));
  // Backspace removes the last point; Escape ends.
  await a.page.keyboard.press('Backspace');
  assert.doesNotMatch(await figures.textContent(), /Area/);
  await a.page.keyboard.press('Escape');
  await a.page.waitForFunction(() => !document.querySelector('.measure-panel') && !document.querySelector('.map .measure'));

  // The mouse: taps add points and select nothing.
  await a.page.locator('.map-controls .measure-toggle').click();
  const box = await a.map().boundingBox();
  for (const [fx, fy] of [[0.3, 0.4], [0.7, 0.4]]) await a.page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
  await a.page.waitForSelector('.map .measure[data-points="2"]');
  assert.equal(await a.card().count(), 0);
  assert.equal(await a.chooser().count(), 0);
  assert.match(await figures.textContent(), /Distance: [\d.]+ km/);
  await a.page.locator('.measure-panel .measure-close').click();
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('a tour: save views, share them in the link, present them with Page Down, arrows and the buttons', async () => {
  const a = await Atlas.open(`${base}#lang=en`);
  await a.ready();
  const panel = a.page.locator('details.tour');
  await panel.locator('summary').click();
  await panel.locator('.tour-save').click();
  // A second view: a feature selected, closer in.
  await a.selectOnMap('eco-barrier-736');
  await a.cardTitle().waitFor();
  await a.zoomIn();
  await a.page.waitForTimeout(400);
  await panel.locator('.tour-save').click();
  // A third: no selection, the metro layer shown.
  await a.closeCard();
  await a.layerCheckbox('metro').check();
  await panel.locator('.tour-save').click();
  const items = panel.locator('.tour-list li');
  assert.equal(await items.count(), 3);
  assert.match(await items.nth(1).textContent(), /Green eco-barrier/);
  await a.page.waitForFunction(() => (new URLSearchParams(location.hash.slice(1)).get('tour') || '').split(',').length === 3);
  // Reorder: the third up to second, and back.
  await items.nth(2).locator('.tour-tools button').first().click();
  assert.match(await items.nth(2).textContent(), /Green eco-barrier/);
  await items.nth(1).locator('.tour-tools button').nth(1).click();
  assert.match(await items.nth(1).textContent(), /Green eco-barrier/);

  // The link carries the tour: a new page has it.
  const b = await Atlas.open(a.url());
  await b.ready();
  await b.page.locator('details.tour summary').click();
  assert.equal(await b.page.locator('.tour-list li').count(), 3);
  await b.page.locator('.tour-present').click();
  await b.page.locator('.layout.present').waitFor();
  const pos = b.page.locator('[data-testid="tour-pos"]');
  assert.equal(await pos.textContent(), '1 / 3');
  assert.equal(await b.card().count(), 0);
  await b.page.keyboard.press('PageDown');
  await b.page.waitForFunction(() => document.querySelector('[data-testid="tour-pos"]').textContent === '2 / 3');
  await b.cardTitle().waitFor();
  assert.equal(await b.cardFeatureId(), 'eco-barrier-736');
  assert.equal(await b.hashParam('stop'), '2');
  await b.screenshot(join(OUT, 'tour-present-1280.png'));
  // → moves on when the focus is not in the map; the view's layers come with it.
  await b.page.evaluate(() => document.activeElement?.blur());
  await b.page.keyboard.press('ArrowRight');
  await b.page.waitForFunction(() => document.querySelector('[data-testid="tour-pos"]').textContent === '3 / 3');
  await b.page.waitForSelector('.map [data-layer-id="metro"] [data-feature-id]');
  await b.page.waitForFunction(() => !document.querySelector('.card'));
  // The last stop: the next button is disabled; Page Up and ◀ go back.
  assert.equal(await b.page.locator('.tour-bar button').last().isDisabled(), true);
  await b.page.keyboard.press('PageUp');
  await b.page.waitForFunction(() => document.querySelector('[data-testid="tour-pos"]').textContent === '2 / 3');
  await b.page.locator('.tour-bar button').first().click();
  await b.page.waitForFunction(() => document.querySelector('[data-testid="tour-pos"]').textContent === '1 / 3');
  // Page Down does not scroll the page, and the language stays the presenter's.
  assert.equal(await b.page.evaluate(() => document.scrollingElement.scrollTop), 0);
  assert.equal(await b.htmlLang(), 'en');
  await b.page.keyboard.press('Escape');
  await b.page.waitForFunction(() => !document.querySelector('.layout.present') && !document.querySelector('.tour-bar'));
  assert.deepEqual([...a.problems, ...b.problems], []);
  await b.close();
  await a.close();
});

test('a tour in a link that is not made of valid views is reported and ignored', async () => {
  const a = await Atlas.open(`${base}#lang=en&tour=f%3D%3Cscript%3E,map%3D9%2F39%2F117&f=eco-barrier-736`);
  await a.ready();
  await a.cardTitle().waitFor();
  await a.notice().waitFor();
  assert.match(await a.notice().textContent(), /tour/);
  await a.page.locator('details.tour summary').click();
  assert.equal(await a.page.locator('.tour-list li').count(), 0);
  assert.deepEqual(a.problems, []);
  await a.close();
});
