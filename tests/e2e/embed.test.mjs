// End-to-end tests of embedding: a host page on another origin embeds the map through the
// loader and talks to it; a host that the site does not allow gets nothing; malformed messages
// change nothing; the wheel scrolls the host page unless Ctrl is held; the share dialog's
// snippet, pasted into a page, shows the same view; embed mode at three frame sizes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, DIST, setup, teardown, open as openPage } from './helpers.mjs';
import { startServer, startHostServer } from './server.mjs';

let atlas, host, stranger, atlasUrl = '', hostOrigin, strangerOrigin;
const pages = {};
before(async () => {
  host = await startHostServer('examples', 0, () => atlasUrl, pages);
  stranger = await startHostServer('examples', 0, () => atlasUrl);
  hostOrigin = `http://127.0.0.1:${host.address().port}`;
  strangerOrigin = `http://127.0.0.1:${stranger.address().port}`;
  // The deployer allows the host's origin only (embed.json).
  atlas = await startServer(DIST, 0, { embed: { allowed_origins: [hostOrigin] } });
  atlasUrl = `http://127.0.0.1:${atlas.address().port}/`;
  await setup();
});
after(async () => { await teardown(); host?.close(); stranger?.close(); atlas?.close(); });

/** A page in a context of its own (`options`: e.g. clipboard permissions). */
const open = (url, viewport = { width: 1000, height: 800 }, options = {}) => openPage(url, viewport, options);

const received = (page, type) => page.evaluate((t) => window.received.filter((m) => m.type === t), type);
const frameOf = (page) => page.frames().find((f) => f.url().startsWith(atlasUrl));

test('a host on another origin embeds the map with the loader and drives it through the message API', async () => {
  const page = await open(`${hostOrigin}/`);
  await page.waitForFunction(() => window.received?.some((m) => m.type === 'ready'), null, { timeout: 30000 });
  const [ready] = await received(page, 'ready');
  assert.equal(ready.planAtlas, 1);
  assert.deepEqual(ready.state.layers, ['districts', 'eco-barrier', 'metro']);
  assert.equal(ready.state.lang, 'en');
  const frame = frameOf(page);
  await frame.waitForSelector('.map[data-view-ready="true"]');
  assert.equal(await frame.locator('.topbar').isVisible(), false, 'no side chrome');
  assert.ok(await frame.locator('.embed-legend').isVisible());
  assert.match(await frame.locator('.open-full').getAttribute('href'), new RegExp(`^${atlasUrl}#`));

  // select: the card opens in the frame, the host hears the selection, the frame grows.
  const before = await page.evaluate(() => document.querySelector('#atlas iframe').getBoundingClientRect().height);
  await page.click('#show-barrier');
  await frame.locator('.card h2').waitFor();
  assert.match(await frame.locator('.card h2').textContent(), /eco-barrier/);
  await page.waitForFunction(() => window.received.some((m) => m.type === 'select' && m.feature === 'eco-barrier-736'));
  await page.waitForFunction((h) => document.querySelector('#atlas iframe').getBoundingClientRect().height > h + 50, before);
  const resizes = await received(page, 'resize');
  const frameHeight = await page.evaluate(() => document.querySelector('#atlas iframe').getBoundingClientRect().height);
  assert.equal(Math.ceil(resizes.at(-1).height), Math.round(frameHeight));
  // setLayers: the eco-barrier goes, the metro stays.
  await page.click('#only-metro');
  await frame.waitForSelector('.map [data-layer-id="eco-barrier"]', { state: 'detached' });
  assert.ok(await frame.locator('.map [data-layer-id="metro"] [data-feature-id]').count() > 10);
  // setView and setLanguage, then getState reports them.
  await page.click('#centre');
  await page.click('#chinese');
  await frame.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  const state = await page.evaluate(() => document.getElementById('atlas').planAtlas.getState());
  assert.equal(state.view.zoom, 13);
  assert.equal(state.lang, 'zh');
  assert.deepEqual(state.layers, ['districts', 'metro']);
  assert.match(state.url, /f=eco-barrier-736/);

  // The user taps a district in the frame: the host hears it.
  await page.evaluate(() => document.getElementById('atlas').planAtlas.setView(8.6, 39.6, 117.4));
  await frame.locator('.map [data-feature-id="district-120119"]').click();
  await page.waitForFunction(() => window.received.some((m) => m.type === 'select' && m.feature === 'district-120119' && m.name_en === 'Jizhou District'));
  await page.waitForFunction(() => window.received.some((m) => m.type === 'viewChange'));
  await page.screenshot({ path: join(OUT, 'embed-host-1000.png') });

  // Malformed or unknown commands change nothing and are answered with an error.
  const handle = (js) => page.evaluate(js);
  await assert.rejects(handle(() => document.getElementById('atlas').planAtlas.select('<img src=x onerror=alert(1)>')), /feature id/);
  await assert.rejects(handle(() => document.getElementById('atlas').planAtlas.setLayers(['no-such-layer'])), /no layer has the id no-such-layer/);
  await assert.rejects(handle(() => document.getElementById('atlas').planAtlas.setView(99, 0, 0)), /zoom/);
  await page.evaluate((origin) => {
    const w = document.querySelector('#atlas iframe').contentWindow;
    w.postMessage('not a message', origin);
    w.postMessage({ planAtlas: 1, type: 'select', feature: 42, id: 'm1' }, origin);
    w.postMessage({ planAtlas: 7, type: 'getState', id: 'm2' }, origin);
  }, new URL(atlasUrl).origin);
  await page.waitForFunction(() => window.received.filter((m) => m.type === 'error' && /^m[12]$/.test(m.id)).length === 2);
  assert.equal(await frame.locator('.card h2').textContent().then((t) => t.includes('蓟州') || t.includes('Jizhou')), true, 'still the district the user chose');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a host the site does not allow hears nothing and cannot command the map', async () => {
  const page = await open(`${strangerOrigin}/`);
  const frame = await (async () => {
    for (let i = 0; i < 100 && !frameOf(page); i++) await page.waitForTimeout(100);
    return frameOf(page);
  })();
  // The site's frame-ancestors does not list this origin: the browser refuses to show the map
  // in its frame at all; and were it shown, the map would neither answer nor obey it.
  await page.waitForTimeout(2500);
  await page.click('#show-barrier').catch(() => {});
  await page.waitForTimeout(1000);
  assert.deepEqual(await page.evaluate(() => window.received), []);
  if (frame) assert.equal(await frame.locator('.card').count().catch(() => 0), 0);
  await page.context().close();
});

test('the wheel over an embedded map scrolls the host page; Ctrl + wheel zooms the map', async () => {
  const page = await open(`${hostOrigin}/`);
  await page.waitForFunction(() => window.received?.some((m) => m.type === 'ready'), null, { timeout: 30000 });
  const frame = frameOf(page);
  const box = await page.locator('#atlas iframe').boundingBox();
  const view = () => frame.locator('.map').getAttribute('data-view');
  const v0 = await view();
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height, 700) / 2);
  await page.mouse.wheel(0, 400);
  await page.waitForFunction(() => window.scrollY > 100);
  assert.equal(await view(), v0, 'the map did not zoom');
  await frame.locator('[data-testid="gesture-hint"]').waitFor();
  const y = await page.evaluate(() => window.scrollY);
  const box2 = await page.locator('#atlas iframe').boundingBox();
  await page.mouse.move(box2.x + box2.width / 2, Math.max(box2.y, 0) + 100);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await frame.waitForFunction((v) => document.querySelector('.map').getAttribute('data-view') !== v, v0);
  assert.equal(await page.evaluate(() => window.scrollY), y, 'the host page did not scroll');
  await page.context().close();
});

test('the share dialog copies a snippet that shows the same view in another page', async () => {
  const page = await open(`${atlasUrl}#lang=en&layers=districts,eco-barrier,parks&map=10.50/39.05000/117.30000&f=eco-barrier-736`, { width: 1280, height: 800 }, { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.waitForSelector('.map[data-view-ready="true"]');
  await page.waitForSelector('.map [data-layer-id="eco-barrier"] [data-feature-id]');
  await page.waitForSelector('.card h2');
  const selected = await page.locator('.card').getAttribute('data-feature-id');
  await page.locator('.share-toggle').click();
  const dialog = page.locator('.share-dialog');
  await dialog.waitFor();
  assert.match(await dialog.locator('.share-link').inputValue(), /f=/);
  await dialog.locator('input[value="fixed"]').check();
  await dialog.locator('.share-width').fill('640');
  await dialog.locator('.share-height').fill('420');
  await dialog.locator('.copy-code').click();
  await dialog.locator('.share-copied').filter({ hasText: /copied/ }).waitFor();
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(snippet, await dialog.locator('.share-code').inputValue());
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/#[^"]*embed=1[^"]*" title="[^"]+" width="640" height="420"/);
  // The preview in the dialog is the embedded map.
  await page.frameLocator('.share-preview').locator('.map[data-view-ready="true"]').waitFor();
  await page.screenshot({ path: join(OUT, 'share-dialog-1280.png') });
  const mapBefore = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)).get('map');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  // A page holding just the snippet.
  pages['/snippet.html'] = `<!doctype html><meta charset="utf-8"><title>snippet</title>${snippet}`;
  const other = await open(`${hostOrigin}/snippet.html`, { width: 800, height: 600 });
  const frame = await (async () => {
    for (let i = 0; i < 100 && !frameOf(other); i++) await other.waitForTimeout(100);
    return frameOf(other);
  })();
  await frame.waitForSelector('.map[data-view-ready="true"]', { timeout: 30000 });
  await frame.locator('.card h2').waitFor();
  assert.equal(await frame.locator('.card').getAttribute('data-feature-id'), selected);
  assert.ok(await frame.locator('.map [data-layer-id="parks"]').count() > 0, 'the same layers');
  await frame.waitForFunction((m) => new URLSearchParams(location.hash.slice(1)).get('map') === m, mapBefore);
  const size = await other.locator('iframe').boundingBox();
  assert.deepEqual([Math.round(size.width), Math.round(size.height)], [640, 420]);
  assert.deepEqual([...page.problems, ...other.problems], []);
  await other.context().close();
  await page.context().close();
});

test('the build writes the site\'s headers for static hosts, with the CSP the server sends', async () => {
  const { readFile } = await import('node:fs/promises');
  const { CSP } = await import('./server.mjs');
  const headers = await readFile(join(DIST, '_headers'), 'utf8');
  assert.ok(headers.includes(`Content-Security-Policy: ${CSP}; frame-ancestors 'self'`), headers);
});

test('embed mode uses the whole frame at 300×300, 600×400 and 900×600', async () => {
  for (const [w, h] of [[300, 300], [600, 400], [900, 600]]) {
    const page = await open(`${atlasUrl}#embed=1&lang=en&f=eco-barrier-736&reader=0`, { width: w, height: h });
    await page.waitForSelector('.map[data-view-ready="true"]');
    await page.waitForSelector('.map [data-feature-id="eco-barrier-736"]');
    const map = await page.locator('.map').boundingBox();
    assert.ok(map.width >= w - 2 && map.height >= h * 0.8, `${w}×${h}: map ${map.width}×${map.height}`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth && document.documentElement.scrollHeight <= innerHeight), true, 'nothing overflows');
    assert.ok(await page.locator('.attribution').isVisible());
    assert.match(await page.locator('.embed-notice').textContent(), /not an official map/);
    assert.ok(await page.locator('.open-full').isVisible());
    // Every control is inside the frame.
    const controls = await page.locator('.map-controls button:visible').evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().bottom));
    assert.ok(controls.length >= 3 && controls.every((b) => b <= h), `${w}×${h}: ${controls}`);
    await page.screenshot({ path: join(OUT, `embed-${w}x${h}.png`) });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});
