// Browser benchmark of the plan reader and search on the release build (prints numbers,
// asserts nothing). Run by scripts/bench.sh after the build.
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { startServer } from '../tests/e2e/server.mjs';

const QUERIES = ['口袋公园', '口袋公園', '地铁', '轨道交通', '绿色生态屏障', '871', '一湾起航', '一核三带六园区', '海河',
  '南开', '津南', '小站', '会展', '公园', '水厂', '海绵城市', '5G', 'metro', '医院', '学校', '养老', '避难场所',
  '东沽路', '津南大道', '垃圾', '湿地', '大运河', '文化', '天津', '的'];

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.round((s.length - 1) * p)] ?? 0; };

const server = await startServer('dist');
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(base);
await page.waitForSelector('.map[data-view-ready="true"]', { timeout: 30000 });

// Plan model build time per document, measured in the page.
const build = {};
const files = await page.locator('.doc-picker option[value]:not([value=""])').evaluateAll((os) => os.map((o) => o.value));
for (const f of files) {
  await page.locator('.doc-picker select').selectOption(f);
  const el = page.locator(`.reader .doc-file`, { hasText: f });
  await el.waitFor();
  await page.waitForSelector('.reader .plan-text');
  build[f] = Number(await page.locator('.reader .plan-text').getAttribute('data-build-ms'));
}

const box = page.locator('.search-input');
await box.focus();
await page.waitForTimeout(300);
const times = [];
const rows = [];
for (const q of QUERIES) {
  const own = [];
  for (let i = 0; i < 5; i++) {
    await box.fill('');
    await box.fill(q);
    await page.waitForFunction(() => {
      const s = document.querySelector('.search-status');
      return s && !/加载|Loading/.test(s.textContent);
    });
    own.push(Number(await page.locator('.search-results').getAttribute('data-search-ms')));
  }
  times.push(...own);
  rows.push([q, pct(own, 0.5), pct(own, 0.95)]);
}
console.log('Plan Atlas browser benchmark: reader and search (headless Chromium, release build)');
for (const [f, ms] of Object.entries(build)) console.log(`plan model build ${f}: ${ms.toFixed(2)} ms`);
console.log(`plan model build, all five: ${Object.values(build).reduce((a, b) => a + b, 0).toFixed(2)} ms`);
console.log('query'.padEnd(14), 'median ms'.padStart(10), 'p95 ms'.padStart(10), '(names + text + snippets, 5 runs)');
for (const [q, m, p] of rows) console.log(q.padEnd(14), m.toFixed(3).padStart(10), p.toFixed(3).padStart(10));
console.log(`all queries: median ${pct(times, 0.5).toFixed(3)} ms, p95 ${pct(times, 0.95).toFixed(3)} ms, max ${Math.max(...times).toFixed(3)} ms`);
// Per keystroke: each question of bench/search-questions.json typed a character at a time.
const { questions } = JSON.parse(await readFile('bench/search-questions.json', 'utf8'));
const strokes = [];
for (const { q } of questions) {
  for (let i = 1; i <= q.length; i++) {
    await box.fill(q.slice(0, i));
    await page.waitForFunction(() => {
      const s = document.querySelector('.search-status');
      return s && !/加载|Loading/.test(s.textContent);
    });
    strokes.push(Number(await page.locator('.search-results').getAttribute('data-search-ms')));
  }
}
console.log(`per keystroke (${strokes.length} prefixes of ${questions.length} questions): median ${pct(strokes, 0.5).toFixed(3)} ms, p95 ${pct(strokes, 0.95).toFixed(3)} ms, max ${Math.max(...strokes).toFixed(3)} ms`);
const results = page.locator('.search-results');
console.log(`search index: built in ${await results.getAttribute('data-build-ms')} ms, about ${await results.getAttribute('data-index-kb')} KB`);
const mem = await page.evaluate(() => performance.memory ? performance.memory.usedJSHeapSize : null);
const wasmMem = await page.evaluate(() => window.wasmBindings?.__wasm?.memory?.buffer?.byteLength ?? null);
if (mem) console.log(`JS heap used: ${(mem / 1048576).toFixed(1)} MB`);
if (wasmMem) console.log(`wasm linear memory: ${(wasmMem / 1048576).toFixed(1)} MB`);
await browser.close();
server.close();
