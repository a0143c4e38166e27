// End-to-end tests of offline use and of the Content Security Policy in index.html (issue 16):
// the service worker written at build time (dist/sw.js, registered by dist/sw-register.js)
// stores every built file after one visit, so the app loads and works with the server stopped
// (whole pages, embedded frames, a copy of the site in a sub-path); a new deploy shows a notice
// and replaces the old cache when the user reloads; and a full session under the policy of the
// page's own <meta> (no header) raises no violation and asks nothing of another origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, OUT, setup, teardown } from './helpers.mjs';
import { CSP, startHostServer, startServer } from './server.mjs';
import { Atlas } from './pages/atlas.mjs';

// The build's own post-build tool writes the worker of the "second deploy" (`atlas-site
// --worker DIR`); scripts/build.sh has built it (trunk's hook runs it through cargo).
const ATLAS_SITE = process.env.ATLAS_SITE || 'target/debug/atlas-site';

let browser;
const servers = [];
before(async () => { ({ browser } = await setup()); });
after(async () => {
  for (const s of servers) if (s.listening) { s.close(); s.closeAllConnections(); }
  await teardown();
});

/** A static server for `dir`, closed after the tests. */
async function serve(dir, options) {
  const server = await startServer(dir, 0, options);
  servers.push(server);
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

/** Stop `server` for real: no new connection, and the browser's open ones cut. */
async function stop(server, base) {
  server.close();
  server.closeAllConnections();
  await assert.rejects(fetch(base), 'the server is down');
}

/** A browser context of its own (its service workers and caches), Chinese by default. */
function newContext(options = {}) {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', ...options });
}

/** A page of `context` that records script errors, as helpers.open does. */
async function pageIn(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.problems.push(`console: ${m.text()}`);
  });
  return new Atlas(page);
}

/** The precache list and version written into `dir`/sw.js. */
function workerOf(dir) {
  const js = readFileSync(join(dir, 'sw.js'), 'utf8');
  return { version: JSON.parse(js.match(/^const VERSION = (".*");$/m)[1]), files: JSON.parse(js.match(/^const FILES = (\[.*\]);$/m)[1]) };
}

/** Poll `fn` (async, evaluated in the page) until it returns true; page.waitForFunction would
 * take its promise for a truthy value. */
async function until(page, fn, what, timeout = 30000) {
  for (const end = Date.now() + timeout; Date.now() < end; await page.waitForTimeout(200)) {
    if (await page.evaluate(fn)) return;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Wait until the page's service worker is activated (its install stored the files). */
function workerActive(page) {
  return until(page, async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated', 'an active worker');
}

/** Every cache of the page's origin with the addresses it holds. */
function cachesOf(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
    return out;
  });
}

const controlled = (page) => page.evaluate(() => !!navigator.serviceWorker.controller);

test('after one visit the app loads and works with the server stopped, whole and embedded', async () => {
  // A host page on another origin frames the map (allowed in embed.json, as a deployer would).
  let atlasUrl = '';
  const host = await startHostServer('examples', 0, () => atlasUrl, {
    '/offline-frame.html': '<!doctype html><meta charset="utf-8"><title>frame</title><iframe src="{{ATLAS}}#embed=1&f=eco-barrier-bay-xiaozhan" title="Plan Atlas" width="640" height="480"></iframe>',
  });
  servers.push(host);
  const hostOrigin = `http://127.0.0.1:${host.address().port}`;
  const { server, base } = await serve(DIST, { embed: { allowed_origins: [hostOrigin] } });
  atlasUrl = base;
  const { files, version } = workerOf(DIST);
  const context = await newContext();
  const a = await pageIn(context);

  // The first visit, in full: the map, a plan text, search.
  await a.page.goto(base);
  await a.ready();
  await a.selectOnMap('eco-barrier-bay-xiaozhan');
  await a.clause('eco-barrier-bay-xiaozhan').waitFor();
  await a.search('地铁');
  assert.ok(await a.searchResults().count() > 0);
  await workerActive(a.page);
  // One cache, named after the build's version, holding exactly the build's list.
  const stored = await cachesOf(a.page);
  assert.deepEqual(Object.keys(stored), [`plan-atlas:/:${version}`]);
  assert.deepEqual(stored[`plan-atlas:/:${version}`].map((u) => u.slice(base.length)).sort(), [...files].sort());
  assert.ok(files.includes('index.html') && files.some((f) => f.endsWith('_bg.wasm')) && files.includes('data/manifest.json'));
  assert.ok(files.filter((f) => f.startsWith('texts/')).length >= 5, 'every plan text');
  assert.ok(!files.includes('sw.js') && !files.includes('_headers'));

  // The page that registered the worker keeps the network (no claim); the next load is the worker's.
  assert.equal(await controlled(a.page), false);
  const fromWorker = [];
  a.page.on('response', (r) => { if (r.fromServiceWorker()) fromWorker.push(r.url().slice(base.length)); });
  await a.page.reload();
  await a.ready();
  assert.equal(await controlled(a.page), true);
  for (const f of ['data/manifest.json', 'data/layers/eco-barrier.geojson']) assert.ok(fromWorker.includes(f), `${f} from the cache: ${fromWorker.join(' ')}`);

  // The server stops: a reload still loads the app, from the cache.
  await stop(server, base);
  await a.page.reload();
  await a.ready();
  // A feature whose plan text was never opened online: the install stored every text.
  await a.selectOnMap('eco-barrier-736');
  await a.clause('eco-barrier-736').waitFor();
  assert.match(await a.readerFile().innerText(), /000_e2df317a026ff3d7\.txt/);
  // A layer never shown online, and a feature of it chosen from the list.
  await a.layerCheckbox('roads').check();
  await a.layerShapes('roads').first().waitFor();
  await a.pickFromList('roads-dagu-nanlu');
  await a.clause('roads-dagu-nanlu').waitFor();
  // Search answers (the plan texts, the folding tables and the glossary are stored).
  await a.search('Hexi park');
  assert.ok(await a.searchResults().count() > 0);
  assert.doesNotMatch(await a.searchStatus().innerText(), /error|错误|失败/i);
  await a.screenshot(join(OUT, 'offline-1280.png'));
  assert.deepEqual(a.problems, []);

  // The embedded map: on its own (#embed=1) and framed by the host page, with its server down.
  const embedded = await pageIn(context);
  await embedded.page.goto(`${base}#embed=1&f=eco-barrier-bay-xiaozhan`);
  await embedded.viewReady();
  await embedded.card().waitFor();
  const framed = await pageIn(context);
  await framed.page.goto(`${hostOrigin}/offline-frame.html`);
  const frame = framed.page.frameLocator('iframe');
  await frame.locator('.map[data-view-ready="true"]').waitFor({ timeout: 20000 });
  await frame.locator('.map [data-layer-id="eco-barrier"] [data-feature-id]').first().waitFor();
  assert.deepEqual([...embedded.problems, ...framed.problems], []);
  await context.close();
});

test('a file the install cannot fetch is left to the network; without index.html nothing is stored', async () => {
  const { files, version } = workerOf(DIST);
  {
    const { base } = await serve(DIST, { failPaths: ['roads.geojson'] });
    const context = await newContext();
    const a = await pageIn(context);
    await a.page.goto(base);
    await a.ready();
    await workerActive(a.page);
    const stored = (await cachesOf(a.page))[`plan-atlas:/:${version}`].map((u) => u.slice(base.length));
    assert.deepEqual(stored.sort(), files.filter((f) => f !== 'data/layers/roads.geojson').sort());
    await context.close();
  }
  {
    // The page itself cannot be stored (the root still answers): the install fails, leaving no
    // cache and no worker, and the app works as without one.
    const { base } = await serve(DIST, { failPaths: ['/index.html'] });
    const context = await newContext();
    const a = await pageIn(context);
    await a.page.goto(base);
    await a.ready();
    // Follow the install to its end (the same registration as sw-register.js's, if it has run).
    const end = await a.page.evaluate(async () => {
      const reg = await navigator.serviceWorker.register('sw.js');
      const worker = reg.installing || reg.waiting || reg.active;
      const over = () => worker.state === 'redundant' || worker.state === 'activated';
      if (!over()) await new Promise((ok) => worker.addEventListener('statechange', () => over() && ok()));
      return worker.state;
    });
    assert.equal(end, 'redundant', 'the install failed');
    assert.deepEqual(await cachesOf(a.page), {});
    assert.deepEqual(a.problems, []);
    await context.close();
  }
});

test('a new deploy: the notice appears, Reload switches to it, and the old cache is deleted', async () => {
  assert.ok(existsSync(ATLAS_SITE), `${ATLAS_SITE} is built by scripts/build.sh (or set ATLAS_SITE)`);
  const dir = await mkdtemp(join(tmpdir(), 'plan-atlas-deploy-'));
  try {
    await cp(DIST, dir, { recursive: true });
    const { base } = await serve(dir);
    const context = await newContext();
    const a = await pageIn(context);
    await a.page.goto(base);
    await a.ready();
    await workerActive(a.page);
    await a.page.reload();
    await a.ready();
    assert.equal(await controlled(a.page), true);
    const v1 = workerOf(dir).version;
    assert.deepEqual(Object.keys(await cachesOf(a.page)), [`plan-atlas:/:${v1}`]);
    assert.equal(await a.page.locator('.update-notice').count(), 0, 'no notice without a new version');

    // The second deploy: one data file changed, and the worker written again by the build's tool.
    const basemapPath = join(dir, 'data/basemap.json');
    const basemap = JSON.parse(await readFile(basemapPath, 'utf8'));
    await writeFile(basemapPath, JSON.stringify({ ...basemap, about: `${basemap.about} (deploy 2)` }));
    execFileSync(ATLAS_SITE, ['--worker', dir], { stdio: 'pipe' });
    const v2 = workerOf(dir).version;
    assert.notEqual(v2, v1, 'a changed file gives a new version');

    // The next page load finds it; the old version still runs the page, with its own files.
    await a.page.reload();
    await a.ready();
    const notice = a.page.locator('.update-notice');
    await notice.waitFor({ timeout: 30000 });
    assert.equal(await notice.getAttribute('role'), 'status');
    assert.equal(await notice.locator('.update-notice-text').innerText(), 'Plan Atlas 有新版本。');
    assert.equal(await notice.locator('.update-notice-reload').innerText(), '重新加载');
    assert.deepEqual(Object.keys(await cachesOf(a.page)).sort(), [`plan-atlas:/:${v1}`, `plan-atlas:/:${v2}`].sort());
    const basemapNow = () => a.page.evaluate(() => fetch('data/basemap.json').then((r) => r.json()).then((j) => j.about));
    assert.doesNotMatch(await basemapNow(), /deploy 2/);
    // The notice follows the page's language, and the map stays usable under it.
    await a.langToggle().click();
    await a.page.waitForFunction(() => document.querySelector('.update-notice-text')?.textContent === 'A new version of Plan Atlas is available.');
    assert.equal(await notice.locator('.update-notice-reload').innerText(), 'Reload');
    assert.equal(await notice.getAttribute('lang'), 'en');
    const box = await notice.boundingBox();
    assert.ok(box.width < 1280 && box.height < 80, JSON.stringify(box));
    await a.screenshot(join(OUT, 'offline-update-notice-1280.png'));

    // Reload: the new version takes over, the page reloads with it, the old cache is gone.
    // (The URL is written a moment after a change: wait for it to hold the language.)
    await a.page.waitForFunction(() => location.hash.includes('lang=en'));
    const loaded = a.page.waitForEvent('load');
    await notice.locator('.update-notice-reload').click();
    await loaded;
    await a.ready();
    assert.deepEqual(Object.keys(await cachesOf(a.page)), [`plan-atlas:/:${v2}`]);
    assert.match(await basemapNow(), /deploy 2/);
    assert.equal(await a.page.locator('.update-notice').count(), 0);
    assert.equal(await a.htmlLang(), 'en', 'the view (in the URL) came back');
    assert.deepEqual(a.problems, []);
    await context.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the site runs from a sub-path, with its own worker and cache, relative to its scope', async () => {
  const { server, base } = await serve(DIST, { prefix: '/atlas' });
  const { files, version } = workerOf(DIST);
  const context = await newContext();
  const a = await pageIn(context);
  const outside = [];
  a.page.on('response', (r) => { if (!new URL(r.url()).pathname.startsWith('/atlas/')) outside.push(r.url()); });
  await a.page.goto(`${base}atlas/`);
  await a.ready();
  // The whole app from the sub-path: nothing asked of the host's root.
  assert.deepEqual(outside, []);
  await workerActive(a.page);
  assert.equal(await a.page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope), `${base}atlas/`);
  const stored = await cachesOf(a.page);
  assert.deepEqual(Object.keys(stored), [`plan-atlas:/atlas/:${version}`]);
  assert.deepEqual(stored[`plan-atlas:/atlas/:${version}`].map((u) => u.slice(`${base}atlas/`.length)).sort(), [...files].sort());
  // Offline, a page load of the sub-path (with a query) is the stored page, and the site's
  // files under it come from the cache.
  await stop(server, base);
  await a.page.goto(`${base}atlas/?from=offline#lang=en`);
  assert.match(await a.page.title(), /Plan Atlas/);
  // The app itself runs from the cache under the sub-path.
  await a.ready();
  const manifest = await a.page.evaluate(() => fetch('data/manifest.json?v=1').then((r) => r.json()));
  assert.ok(manifest.layers.length > 10);
  await context.close();
});

test('the full session under the <meta> policy alone raises no violation and asks nothing of another origin', async () => {
  const { base } = await serve(DIST, { csp: false });
  const origin = new URL(base).origin;
  const response = await fetch(base);
  assert.equal(response.headers.get('content-security-policy'), null, 'no header: the page\'s own policy alone');
  const html = await response.text();
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
  assert.ok(meta, 'index.html carries the policy');
  assert.equal(meta[1], CSP, 'the policy of atlas_core::site::CSP, as the test server sends it');
  assert.ok(html.indexOf(meta[0]) < html.indexOf('<script') && html.indexOf(meta[0]) < html.indexOf('<link'), 'before every script and stylesheet');
  assert.doesNotMatch(meta[1], /frame-ancestors/);

  const context = await newContext();
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const foreign = [];
  context.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.protocol !== 'blob:' && u.origin !== origin) foreign.push(r.url());
  });
  const violations = async (page) => (await Promise.all(page.frames().map((f) => f.evaluate(() => window.__violations || []).catch(() => [])))).flat();
  const a = await pageIn(context);
  await a.page.goto(base);
  await a.ready();
  await a.selectOnMap('eco-barrier-bay-xiaozhan');
  await a.clause('eco-barrier-bay-xiaozhan').waitFor();
  await a.search('南开 地铁');
  assert.ok(await a.searchResults().count() > 0);
  await a.page.locator('.share-toggle').click();
  await a.page.locator('.share-dialog').waitFor();
  await a.page.frameLocator('.share-preview').locator('.map[data-view-ready="true"]').waitFor({ timeout: 20000 });
  const online = await violations(a.page);
  await a.page.keyboard.press('Escape');
  await a.page.locator('.share-dialog').waitFor({ state: 'detached' });
  await workerActive(a.page);
  // Offline (the browser's network off), a reload: the worker answers, under the same policy.
  await context.setOffline(true);
  await a.page.reload();
  await a.ready();
  assert.equal(await controlled(a.page), true);
  await a.selectOnMap('eco-barrier-736');
  await a.clause('eco-barrier-736').waitFor();
  await a.search('Hexi park');
  assert.ok(await a.searchResults().count() > 0);
  const offline = await violations(a.page);
  assert.deepEqual(online, []);
  assert.deepEqual(offline, []);
  assert.deepEqual(foreign, []);
  assert.deepEqual(a.problems, []);
  // The collector works and the <meta> is in force: an inline script is refused and reported.
  const ran = await a.page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true;';
    document.head.append(s);
    return new Promise((ok) => setTimeout(() => ok(window.__inline === true), 100));
  });
  assert.equal(ran, false);
  assert.deepEqual((await violations(a.page)).map((v) => v.split(' ')[0]), ['script-src-elem']);
  await context.close();
});
