// Own-layer benchmark: a large GeoJSON file (default 50 MB of small polygons over central
// Tianjin, like building footprints) picked in the release build, in headless Chromium.
// Prints numbers; asserts nothing.
//   usable: the file picked → the layer listed and its shapes drawn (the page answers again)
//   longest task: the longest main-thread task while the file was read and drawn, from the
//     browser's long-task timing (tasks over 50 ms), and how many there were
//   frames: how many animation frames ran while the file was read (the page kept drawing)
//   then: a tap on a plan feature → its card, and the language switch, with the layer on
// Environment: MB (file size, default 50), RUNS (default 1), CPU (throttle factor, default 1).
import { writeFileSync, statSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from '../tests/e2e/server.mjs';

const MB = Number(process.env.MB || 50);
const RUNS = Number(process.env.RUNS || 1);
const CPU = Number(process.env.CPU || 1);
const file = `/tmp/plan-atlas-import-${MB}mb.geojson`;

/** Small five-sided rings on a grid over central Tianjin until the file has `MB` megabytes. */
function writeFile() {
  const parts = [];
  let size = 60, i = 0;
  while (size < MB * 1024 * 1024) {
    const cx = 117.0 + (i % 400) * 0.0009, cy = 39.0 + Math.floor(i / 400) * 0.0007, r = 0.0003;
    const ring = [];
    for (let k = 0; k < 5; k++) { const a = (k / 5) * 2 * Math.PI; ring.push([+(cx + r * Math.cos(a)).toFixed(6), +(cy + r * Math.sin(a)).toFixed(6)]); }
    ring.push(ring[0]);
    const f = JSON.stringify({ type: 'Feature', id: `b${i}`, properties: { name: `Building ${i}`, 楼层: 3 + (i % 20), 用途: '住宅', year: 1990 + (i % 35) }, geometry: { type: 'Polygon', coordinates: [ring] } });
    parts.push(f);
    size += f.length + 2;
    i++;
  }
  writeFileSync(file, `{"type":"FeatureCollection","features":[\n${parts.join(',\n')}\n]}\n`);
  return i;
}

const count = writeFile();
const server = await startServer('dist', 0, {});
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
console.log(`own layer: ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB, ${count} polygons, CPU ×${CPU}`);
for (let run = 0; run < RUNS; run++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  if (CPU > 1) await (await page.context().newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: CPU });
  await page.goto(`${base}#lang=en`);
  await page.waitForSelector('.map[data-view-ready="true"]', { timeout: 60000 });
  await page.waitForSelector('.map [data-layer-id="eco-barrier"] [data-feature-id]');
  await page.evaluate(() => {
    window.__tasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__tasks.push(e.duration); }).observe({ type: 'longtask' });
    window.__frames = 0;
    const tick = () => { window.__frames++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const t0 = Date.now();
  await page.locator('.import input[type=file]').setInputFiles(file);
  const picked = Date.now();
  let firstProgress = null;
  page.waitForSelector('.import-progress', { timeout: 60000 }).then(() => { firstProgress = Date.now(); }).catch(() => {});
  await page.waitForSelector('.layers .layer-item[data-layer-id^="mine-"]', { timeout: 600000 });
  const listed = Date.now();
  // Usable: the layer is listed and its first shapes are drawn, and the page answers a frame.
  await page.waitForSelector('.map [data-layer-id^="mine-"] path', { timeout: 600000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const usable = Date.now();
  // All drawn: every joined path of the layer is in the page (a small layer: every shape).
  await page.waitForFunction(() => {
    const g = document.querySelector('.map g.layer[data-layer-id^="mine-"]');
    return g && (!g.dataset.batches || g.querySelectorAll('path.batch').length === Number(g.dataset.batches));
  }, null, { timeout: 600000 });
  const all = Date.now();
  const stats = await page.evaluate(() => ({ tasks: window.__tasks, frames: window.__frames,
    drawn: document.querySelectorAll('.map [data-layer-id^="mine-"] [data-feature-id], .map [data-layer-id^="mine-"] path.batch').length }));
  const long = stats.tasks.length ? Math.max(...stats.tasks) : 0;
  const over = (ms) => stats.tasks.filter((d) => d > ms).length;
  console.log(`  run ${run + 1}: upload to page ${picked - t0} ms; progress shown after ${firstProgress ? firstProgress - picked : 'n/a'} ms; layer listed ${listed - picked} ms; usable ${usable - picked} ms; all drawn ${all - picked} ms`);
  console.log(`    ${stats.drawn} elements drawn; ${stats.frames} frames meanwhile; long tasks: ${stats.tasks.length} (over 100 ms: ${over(100)}, over 500 ms: ${over(500)}), longest ${long.toFixed(0)} ms`);
  // With the layer on: a tap on a plan feature → its card; the language switch → the page in Chinese.
  const t1 = Date.now();
  await page.evaluate(() => { location.hash = 'f=eco-barrier-736&lang=en'; });
  await page.waitForSelector('.card[data-feature-id="eco-barrier-736"]', { timeout: 120000 });
  const t2 = Date.now();
  await page.locator('.lang-toggle').first().click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN' && document.querySelector('.card h2')?.textContent.includes('屏障'), null, { timeout: 120000 });
  const t3 = Date.now();
  console.log(`    then: select a feature ${t2 - t1} ms; switch language ${t3 - t2} ms`);
  await page.close();
}
await browser.close();
server.close();
