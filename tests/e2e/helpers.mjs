// Shared set-up for the end-to-end tests: a static server on 127.0.0.1 for dist/ and headless
// Chromium through playwright-core. Screenshots go to tests/e2e/output/.
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export const DIST = 'dist';
export const OUT = 'tests/e2e/output';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
let server, browser;

export async function setup() {
  await mkdir(OUT, { recursive: true });
  server = await startServer(DIST);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { base: `http://127.0.0.1:${server.address().port}/`, browser };
}

export async function teardown() {
  await browser?.close();
  server?.close();
}

/** A page that records script errors and CSP violations. Its browser prefers Chinese (the
 * interface follows the browser's languages) unless `options.locale` says otherwise. */
export async function open(url, viewport = { width: 1280, height: 800 }, options = {}) {
  const page = await browser.newPage({ viewport, locale: 'zh-CN', ...options });
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.problems.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return page;
}

/** Wait until every default layer is drawn and the view is fitted. */
export async function mapReady(page) {
  await page.waitForSelector('.map [data-layer-id="eco-barrier"] [data-feature-id]', { timeout: 20000 });
  await page.waitForSelector('.map [data-layer-id="districts"] [data-feature-id]');
  await page.waitForSelector('.map[data-view-ready="true"]');
  await page.waitForFunction(() => !document.querySelector('.status')?.textContent.includes('/'));
}

/** Select a map feature by tapping it as a user would: on a point only it covers, or, where
 * shapes overlap everywhere, through the chooser that the tap opens. */
export async function selectOnMap(page, id) {
  const free = await page.evaluate((id) => {
    const el = document.querySelector(`.map [data-feature-id="${id}"]`);
    const b = el.getBoundingClientRect();
    for (let fy = 0.3; fy < 0.95; fy += 0.05) for (let fx = 0.3; fx < 0.8; fx += 0.05) {
      const x = b.left + b.width * fx, y = b.top + b.height * fy;
      const hit = document.elementFromPoint(x, y);
      if (hit === el || hit?.closest('[data-feature-id]') === el) return { x, y, alone: true };
    }
    for (let fy = 0.3; fy < 0.95; fy += 0.05) for (let fx = 0.3; fx < 0.8; fx += 0.05) {
      const x = b.left + b.width * fx, y = b.top + b.height * fy;
      const top = document.elementFromPoint(x, y)?.closest('[data-feature-id]');
      const topIsArea = top && top.tagName === 'path' && top.getAttribute('fill') !== 'none';
      if (topIsArea && document.elementsFromPoint(x, y).includes(el)) return { x, y, alone: false };
    }
    throw new Error(`${id} is not under any point of its box`);
  }, id);
  await page.mouse.click(free.x, free.y);
  // A tap over several shapes opens the chooser; pick the feature there.
  await page.waitForFunction(() => document.querySelector('.chooser, .card'));
  if (await page.locator('.chooser').count()) await page.locator(`.chooser button[data-feature-id="${id}"]`).click();
}

/** Click a point of a polygon feature that no other shape covers, as a user would. */
export async function clickFeature(page, id) {
  const { x, y } = await page.evaluate((id) => {
    const el = document.querySelector(`.map [data-feature-id="${id}"]`);
    const b = el.getBoundingClientRect();
    for (let fy = 0.5; fy < 0.95; fy += 0.05) {
      for (let fx = 0.3; fx < 0.8; fx += 0.05) {
        const x = b.left + b.width * fx, y = b.top + b.height * fy;
        if (document.elementFromPoint(x, y) === el) return { x, y };
      }
    }
    throw new Error(`no free point on ${id}`);
  }, id);
  await page.mouse.click(x, y);
}

