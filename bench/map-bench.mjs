// Map benchmark: Plan Atlas's release build against a Leaflet 1.9 page drawing the same
// GeoJSON, on this machine, in headless Chromium. Prints a table; asserts nothing.
//   first map on screen: navigation start → the default view painted (Plan Atlas: the first
//     contentful paint, which holds the picture of it built into index.html)
//   first full live map: navigation start → every default layer drawn by the app
//   bytes: gzip -9 size of every response the page fetched; for the first map on screen,
//     Plan Atlas needs only the page and its stylesheet (Leaflet: everything)
//   frame time: requestAnimationFrame intervals while dragging and wheel-zooming
//   stress: the same with an extra 50,000-vertex layer
//   tap → excerpt: a tap on a feature → its clause highlighted in the reader, first as shown
//   while the plan text loads, then in place in the full text (Plan Atlas only)
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from '../tests/e2e/server.mjs';

const RUNS = Number(process.env.RUNS || 5);
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.round((s.length - 1) * p)] : NaN; };
const median = (xs) => pct(xs, 0.5);

/** A 50,000-vertex layer: 500 schematic rings of 100 vertices over central Tianjin. */
function stressLayer() {
  const features = [];
  for (let i = 0; i < 500; i++) {
    const cx = 117.05 + (i % 25) * 0.02, cy = 38.9 + Math.floor(i / 25) * 0.02, r = 0.008;
    const ring = [];
    for (let k = 0; k < 99; k++) { const a = (k / 99) * 2 * Math.PI; ring.push([+(cx + r * Math.cos(a)).toFixed(5), +(cy + r * Math.sin(a)).toFixed(5)]); }
    ring.push(ring[0]);
    features.push({ type: 'Feature', id: `stress-${i}`, geometry: { type: 'Polygon', coordinates: [ring] },
      properties: { layer: 'stress', name_zh: `压力测试${i}`, name_en: `stress ${i}`, status: 'planned', precision: 'schematic', precision_note: 'benchmark only', excerpts: [] } });
  }
  return JSON.stringify({ type: 'FeatureCollection', features });
}

function manifestWith(stress) {
  const m = JSON.parse(readFileSync('dist/data/manifest.json', 'utf8'));
  if (stress) m.layers.push({ ...m.layers.find((l) => l.id === 'eco-barrier'), id: 'stress', kind: 'context', file: 'data/layers/stress.geojson', visible: true, order: 99, title_en: 'stress', title_zh: 'stress' });
  return JSON.stringify(m);
}

async function serve(stress) {
  const served = [];
  const overrides = { '/data/manifest.json': manifestWith(stress) };
  if (stress) overrides['/data/layers/stress.geojson'] = stressLayer();
  const leafletDir = 'node_modules/leaflet/dist';
  overrides['/leaflet/leaflet.js'] = readFileSync(`${leafletDir}/leaflet.js`);
  overrides['/leaflet/leaflet.css'] = readFileSync(`${leafletDir}/leaflet.css`);
  for (const f of ['index.html', 'page.js', 'page.css']) overrides[`/bench/leaflet/${f}`] = readFileSync(`bench/leaflet/${f}`);
  const server = await startServer('dist', 0, { overrides, onServe: (path, body) => served.push([path, body]) });
  return { server, served, base: `http://127.0.0.1:${server.address().port}` };
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });

async function firstMap(url, ready, served) {
  const times = [], bytes = [], fcp = [], firstBytes = [];
  for (let i = 0; i < RUNS; i++) {
    served.length = 0;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(url);
    await page.waitForFunction(ready, null, { polling: 'raf', timeout: 60000 });
    times.push(await page.evaluate(() => window.__drawn ?? performance.now()));
    fcp.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
    bytes.push(served.reduce((s, [, b]) => s + gzipSync(b, { level: 9 }).length, 0));
    // What the first paint needs: the page and its stylesheet (the picture is in the page).
    firstBytes.push(served.filter(([p]) => p === '/' || p.endsWith('.html') || p.endsWith('.css')).reduce((s, [, b]) => s + gzipSync(b, { level: 9 }).length, 0));
    await ctx.close();
  }
  return { ms: median(times), bytes: median(bytes), fcp: median(fcp), firstBytes: median(firstBytes) };
}

async function frames(url, ready, mapSel) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForFunction(ready, null, { polling: 'raf', timeout: 60000 });
  await page.waitForTimeout(300);
  const box = await page.locator(mapSel).boundingBox();
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => { window.__frames.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  for (let round = 0; round < 3; round++) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let k = 0; k < 30; k++) await page.mouse.move(cx + k * 6, cy + k * 3);
    await page.mouse.up();
    for (let k = 0; k < 10; k++) { await page.mouse.wheel(0, -60); await page.waitForTimeout(16); }
    for (let k = 0; k < 10; k++) { await page.mouse.wheel(0, 60); await page.waitForTimeout(16); }
  }
  const f = await page.evaluate(() => { window.__stop = true; return window.__frames.slice(2); });
  await ctx.close();
  return { p50: pct(f, 0.5), p95: pct(f, 0.95), n: f.length };
}

async function tapToExcerpt(base) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(base + '/');
  await page.waitForSelector('.map[data-view-ready="true"]');
  const measure = (id) => page.evaluate((id) => new Promise((done) => {
    // A tap at the centre of the feature (a point: the map picks small targets over the areas
    // under them); time until the clause is highlighted.
    const el = document.querySelector(`.map [data-feature-id="${id}"]`);
    const r = el.getBoundingClientRect();
    const t0 = performance.now();
    document.querySelector('.map-pane:not(.right) > .map').dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: Math.round(r.left + r.width / 2), clientY: Math.round(r.top + r.height / 2) }));
    // First the clause itself (shown while its plan text loads), then the clause in place in
    // the full text.
    let shown = NaN;
    const poll = () => {
      const t = performance.now() - t0;
      if (Number.isNaN(shown) && document.querySelector(`.reader mark.current[data-feature-id="${id}"]`)) shown = t;
      if (document.querySelector(`.reader .plan-text mark.current[data-feature-id="${id}"]`)) done({ shown: Number.isNaN(shown) ? t : shown, full: t });
      else if (t > 20000) done({ shown, full: NaN });
      else requestAnimationFrame(poll);
    };
    poll();
  }), id);
  const cold = await measure('eco-barrier-bay-xiaozhan');
  // With intent: the pointer rests on a feature for 150 ms before the press (hovering starts
  // fetching the plan text it cites), for a feature whose plan is not loaded yet.
  const intentId = 'metro-station-xiaobailou';
  await page.evaluate((id) => document.querySelector(`.map [data-feature-id="${id}"]`).dispatchEvent(new PointerEvent('pointerover', { bubbles: true })), intentId);
  await page.waitForTimeout(150);
  const intent = await measure(intentId);
  const warm = [];
  for (const id of ['eco-barrier-bay-xianshuigu', 'eco-barrier-bay-balitai', 'eco-barrier-bay-xiaozhan', 'eco-barrier-bay-xinzhuang', 'eco-barrier-bay-shuangqiaohe']) warm.push(await measure(id));
  await ctx.close();
  return { cold, intent, warm: { shown: median(warm.map((w) => w.shown)), full: median(warm.map((w) => w.full)) } };
}

// Live: every default layer drawn by the app and the build-time picture gone from over it.
const oursReady = () => document.querySelector('.map[data-view-ready="true"]') && !document.querySelector('.status')?.textContent.includes('/') && !document.getElementById('boot');
const leafletReady = () => window.__drawn !== undefined;
const rows = [];
for (const stress of [false, true]) {
  const { server, served, base } = await serve(stress);
  console.error('first map, stress=' + stress);
  const ours = await firstMap(base + '/', oursReady, served);
  const leaf = await firstMap(base + '/bench/leaflet/index.html', leafletReady, served);
  console.error('frames');
  const of = await frames(base + '/', oursReady, '.map');
  console.error('leaflet frames');
  const lf = await Promise.race([frames(base + '/bench/leaflet/index.html', leafletReady, '#map'),
    new Promise((ok) => setTimeout(() => ok({ p50: NaN, p95: NaN, n: 0 }), 90000))]);
  rows.push({ stress, ours, leaf, of, lf });
  console.error('tap');
  if (!stress) rows.tap = await tapToExcerpt(base);
  server.close();
}
await browser.close().catch(() => {});

const wasm = readFileSync(`dist/${(await import('node:fs')).readdirSync('dist').find((f) => f.endsWith('_bg.wasm'))}`);
const fmt = (x, d = 1) => Number.isFinite(x) ? x.toFixed(d) : 'n/a';
console.log('Plan Atlas vs Leaflet 1.9.4 (same GeoJSON, default layers, headless Chromium, 1280×800, median of ' + RUNS + ' cold loads)');
console.log(`wasm: ${wasm.length} bytes raw, ${gzipSync(wasm, { level: 9 }).length} bytes gzip`);
console.log('metric'.padEnd(44) + 'Plan Atlas'.padStart(12) + 'Leaflet'.padStart(12) + 'ratio'.padStart(8));
for (const r of rows) {
  const tag = r.stress ? ' (+50k-vertex layer)' : '';
  const line = (name, a, b, d = 1) => console.log(name.padEnd(44) + fmt(a, d).padStart(12) + fmt(b, d).padStart(12) + fmt(a / b, 2).padStart(8));
  // Plan Atlas's page holds a picture of the default view (drawn at build time), painted with
  // the page; Leaflet's map is on screen when it is drawn.
  // (The picture holds the shipped default layers, not the benchmark's stress layer.)
  if (!r.stress) line(`first map on screen, ms${tag}`, r.ours.fcp, r.leaf.ms);
  line(`first full live map, ms${tag}`, r.ours.ms, r.leaf.ms);
  if (!r.stress) line(`bytes for the first map on screen, gzip KB`, r.ours.firstBytes / 1024, r.leaf.bytes / 1024);
  line(`bytes transferred, gzip KB${tag}`, r.ours.bytes / 1024, r.leaf.bytes / 1024);
  line(`frame time p50 while panning/zooming, ms${tag}`, r.of.p50, r.lf.p50);
  line(`frame time p95 while panning/zooming, ms${tag}`, r.of.p95, r.lf.p95);
}
const t = rows.tap;
console.log('tap → excerpt (Leaflet: no plan text to link)'.padEnd(44) + 'clause shown'.padStart(14) + 'in full text'.padStart(14));
console.log('  first tap (fetches and structures the plan)'.padEnd(44) + fmt(t.cold.shown).padStart(14) + fmt(t.cold.full).padStart(14));
console.log('  after a 150 ms hover, plan not yet loaded'.padEnd(44) + fmt(t.intent.shown).padStart(14) + fmt(t.intent.full).padStart(14));
console.log('  plan loaded (median of 5)'.padEnd(44) + fmt(t.warm.shown).padStart(14) + fmt(t.warm.full).padStart(14));
