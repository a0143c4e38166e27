// End-to-end tests of the first view drawn into index.html at build time: shown from the first
// paint, in the live map's place and frame, until the app has drawn the live map.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, setup, teardown } from './helpers.mjs';
import { Atlas } from './pages/atlas.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

/** The page with the app's wasm held back until `release()`. */
async function held(viewport) {
  const a = await Atlas.open('about:blank', viewport);
  let release;
  const gate = new Promise((ok) => { release = ok; });
  await a.page.route('**/*_bg.wasm', async (route) => { await gate; await route.continue(); });
  await a.page.goto(base);
  return { a, release };
}

const box = (locator) => locator.first().boundingBox();

for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
  test(`before the app runs, the default view is on screen where the map will be (${viewport.width} px)`, async () => {
    const { a, release } = await held(viewport);
    // The picture: every default layer, areas, lines and stations, hidden from assistive
    // technology and out of the way of the pointer.
    const boot = a.bootPicture();
    assert.equal(await boot.getAttribute('aria-hidden'), 'true');
    assert.ok(await a.bootMap().locator('path').count() > 30);
    assert.ok(await a.bootMap().locator('circle').count() > 50, 'metro stations');
    assert.ok(await a.bootMap().locator('[fill="url(#hatch-eco-barrier)"]').count() > 0, 'schematic areas hatched');
    assert.equal(await a.page.evaluate(() => getComputedStyle(document.getElementById('boot')).pointerEvents), 'none');
    const pane = await box(boot.locator('.map-pane'));
    // The first area in the picture (the city outline), to compare with the live map's.
    const outline = await a.page.evaluate(() => {
      const svg = document.querySelector('#boot .boot-map');
      const shapes = [...svg.querySelectorAll('path')];
      const r = shapes[0].getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    });
    if (viewport.width === 1280) await a.screenshot(join(OUT, 'boot-1280.png'));
    release();
    await a.ready();
    await a.page.waitForFunction(() => !document.getElementById('boot'));
    const live = await box(a.mapPane());
    for (const k of ['x', 'y', 'width', 'height']) assert.ok(Math.abs(live[k] - pane[k]) <= 1, `${k}: live ${JSON.stringify(live)} picture ${JSON.stringify(pane)}`);
    // The first area drawn (the city outline) has the same place and size on both.
    const city = await a.page.evaluate(() => {
      const r = document.querySelector('.map [data-layer-id="city-outline"] path').getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    });
    for (const k of ['x', 'y', 'width', 'height']) assert.ok(Math.abs(city[k] - outline[k]) <= 3, `${k}: live ${JSON.stringify(city)} picture ${JSON.stringify(outline)}`);
    assert.deepEqual(a.problems, []);
    await a.close();
  });
}

test('without WebAssembly the picture stays, with a note that the map needs it', async () => {
  const a = await Atlas.open('about:blank');
  await a.page.route('**/*_bg.wasm', (route) => route.abort());
  await a.page.goto(base);
  await a.page.waitForTimeout(300);
  assert.equal(await a.bootPicture().count(), 1);
  assert.ok(await a.bootMap().locator('path').count() > 30);
  // The note fades in after a delay, if the app has not replaced the picture by then.
  const note = a.bootPicture().locator('.boot-note');
  assert.match(await note.textContent(), /WebAssembly/);
  assert.equal(await note.evaluate((n) => getComputedStyle(n).animationDelay), '10s');
  await a.close();
});
