// Large-layer benchmark: the release build with an extra plan layer of N point features
// (default 100,000) in its manifest, in headless Chromium. Prints numbers; asserts nothing.
//   drawn: navigation → the big layer's shapes in the map
//   select: a click on a feature in the list of features in view → its card
//   language: the language switch → the card and the list in the other language
// Environment: N (features, default 100000).
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from '../tests/e2e/server.mjs';

const N = Number(process.env.N || 100000);

function bigLayer() {
  const features = [];
  for (let i = 0; i < N; i++) {
    const lon = 117.0 + (i % 400) * 0.001, lat = 39.0 + Math.floor(i / 400) * 0.0008;
    features.push({ type: 'Feature', id: `big-${i}`, geometry: { type: 'Point', coordinates: [+lon.toFixed(5), +lat.toFixed(5)] },
      properties: { layer: 'big', name_zh: `大图层${i}`, name_en: `big ${i}`, status: 'planned', precision: 'approximate', precision_note: 'benchmark only', excerpts: [] } });
  }
  return JSON.stringify({ type: 'FeatureCollection', features });
}

const m = JSON.parse(readFileSync('dist/data/manifest.json', 'utf8'));
m.layers.push({ ...m.layers.find((l) => l.id === 'eco-barrier'), id: 'big', file: 'data/layers/big.geojson', visible: true, order: 99, title_en: 'Big', title_zh: '大图层', label_priority: undefined });
const overrides = { '/data/manifest.json': JSON.stringify(m), '/data/layers/big.geojson': bigLayer() };
const server = await startServer('dist', 0, { overrides, csp: false });
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const t0 = Date.now();
await page.goto(`${base}#lang=en`);
await page.waitForSelector('.map [data-layer-id="big"] [data-feature-id]', { timeout: 300000 });
const t1 = Date.now();
await page.locator('details.feature-list summary').click({ timeout: 300000 });
await page.waitForSelector('.feature-list button', { timeout: 300000 });
const item = page.locator('.feature-list button').first();
const name = (await item.innerText()).split('\n')[0];
const t2 = Date.now();
await item.click({ timeout: 300000 });
await page.waitForFunction((n) => document.querySelector('.card h2')?.textContent === n, name, { timeout: 300000 });
const t3 = Date.now();
await page.locator('.lang-toggle').first().click({ timeout: 300000 });
await page.waitForFunction(() => document.documentElement.lang === 'zh-CN' && /大图层|屏障|地铁|区/.test(document.querySelector('.card h2')?.textContent || ''), null, { timeout: 300000 });
const t4 = Date.now();
console.log(`large layer: ${N} points; drawn ${t1 - t0} ms; select from the list ${t3 - t2} ms; switch language ${t4 - t3} ms`);
await browser.close();
server.close();
