// The bad-input corpus (tests/fixtures/corpus/cases.json) through the built site: every broken
// or hostile layer file, manifest, link and data file yields its message, and the map, search
// and reader keep working; no payload runs or turns into markup, and no request leaves the
// origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIST, setup, teardown } from './helpers.mjs';

const DIR = 'tests/fixtures/corpus';
const cases = JSON.parse(await readFile(join(DIR, 'cases.json'), 'utf8'));
const shippedManifest = JSON.parse(await readFile(join(DIST, 'data/manifest.json'), 'utf8'));

let base, browser;
before(async () => { ({ base, browser } = await setup()); });
after(teardown);

/** Open the site at `hash` with `routes` (URL suffix → { status, body }) in place. */
async function openWith(hash, routes = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  page.problems = [];
  page.outside = [];
  const origin = new URL(base).origin;
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) page.outside.push(u);
  });
  page.on('dialog', (d) => { page.problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  for (const [suffix, reply] of Object.entries(routes)) {
    await page.route(`**/${suffix}`, (route) => route.fulfill({ status: reply.status ?? 200, body: reply.body ?? '', contentType: 'application/json' }));
  }
  await page.goto(`${base}${hash ? `#${hash}` : ''}`);
  return page;
}

/** The page's whole text, closed details included. */
const pageText = (page) => page.evaluate(() => document.body.textContent);

async function expectMessages(page, expect) {
  for (const re of expect) {
    await page.waitForFunction((re) => new RegExp(re).test(document.body.textContent), re, { timeout: 15000 })
      .catch(async () => assert.fail(`no message matching /${re}/ in: ${(await pageText(page)).slice(0, 600)}`));
  }
}

/** The map is drawn and framed on Tianjin, search answers and the reader shows a clause. */
async function expectUsable(page, label) {
  await page.waitForSelector('.map[data-view-ready="true"]', { timeout: 20000 });
  await page.waitForFunction(() => document.querySelectorAll('.map [data-layer-id="districts"] [data-feature-id]').length === 16, null, { timeout: 20000 });
  const framed = await page.evaluate(() => {
    const map = document.querySelector('.map-pane:not(.right) > .map').getBoundingClientRect();
    const d = [...document.querySelectorAll('.map [data-layer-id="districts"] [data-feature-id]')].map((e) => e.getBoundingClientRect());
    const box = { l: Math.min(...d.map((r) => r.left)), r: Math.max(...d.map((r) => r.right)), t: Math.min(...d.map((r) => r.top)), b: Math.max(...d.map((r) => r.bottom)) };
    return (box.r - box.l) > map.width * 0.3 && box.l < map.right && box.r > map.left && box.t < map.bottom && box.b > map.top;
  });
  assert.ok(framed, `${label}: the first view frames Tianjin`);
  await page.locator('.search input').fill('公园');
  await page.waitForFunction(() => document.querySelectorAll('.search-results li').length > 0, null, { timeout: 20000 })
    .catch(() => assert.fail(`${label}: search gave no results`));
  await page.keyboard.press('Escape');
  await page.evaluate(() => { location.hash = 'f=parks-nankai-shuishang-park'; });
  await page.waitForSelector('.reader .plan-text mark[data-feature-ids~="parks-nankai-shuishang-park"]', { timeout: 20000 })
    .catch(() => assert.fail(`${label}: the reader did not show the clause`));
}

async function expectHarmless(page, label) {
  const pwned = await page.evaluate(() => window.__pwned);
  assert.equal(pwned, undefined, `${label}: a payload ran`);
  assert.equal(await page.locator('body img, .card script, .reader script').count(), 0, `${label}: markup from data was rendered`);
  assert.deepEqual(page.outside, [], `${label}: requests outside the origin`);
  assert.deepEqual(page.problems, [], `${label}: script errors or dialogs`);
}

for (const c of cases.layers) {
  test(`layer file ${c.file}: its message, and a working app`, async () => {
    const body = await readFile(join(DIR, 'layers', c.file), 'utf8');
    const page = await openWith(c.select ? `f=${c.select}` : '', { 'data/layers/eco-barrier.geojson': { body } });
    await expectMessages(page, c.expect);
    await expectUsable(page, c.file);
    await expectHarmless(page, c.file);
    await page.close();
  });
}

test('manifest cases: each bad entry is left out and named; the rest of the map works', async () => {
  for (const c of cases.manifest) {
    const m = structuredClone(shippedManifest);
    if (c.duplicate) m.layers.push({ ...m.layers.find((l) => l.id === c.duplicate), title_en: 'second copy' });
    if (c.layer) {
      const l = m.layers.find((x) => x.id === c.layer);
      if (c.field === 'file') l.file = c.value; else l.style[c.field] = c.value;
    }
    if (c.document !== undefined) m.documents[c.document].file = c.value;
    const page = await openWith('', { 'data/manifest.json': { body: JSON.stringify(m) } });
    await expectMessages(page, c.expect);
    await expectUsable(page, c.name);
    await expectHarmless(page, c.name);
    await page.close();
  }
});

test('link cases: each bad field is named, bounded, and the app works', async () => {
  for (const c of cases.hashes) {
    const hash = c.generate === 'unknown-fields'
      ? Array.from({ length: c.count }, (_, i) => `x${i}=1`).join('&')
      : c.hash;
    const page = await openWith(hash);
    await expectMessages(page, c.expect);
    // However long the link, the notice stays a small part of the screen.
    const notice = await page.locator('.notice').boundingBox().catch(() => null);
    assert.ok(!notice || notice.height <= 800 * 0.3, `${c.name}: notice ${JSON.stringify(notice)}`);
    await expectUsable(page, c.name);
    await expectHarmless(page, c.name);
    await page.close();
  }
});

test('file cases: missing or broken data files are named; what can still work works', async () => {
  for (const c of cases.files) {
    const page = await openWith(c.select ? `f=${c.select}` : '', { [c.path]: { status: c.status, body: c.body } });
    if (c.path.includes('fold') || c.path.includes('variants')) {
      // The folding tables load with search.
      await page.waitForSelector('.map[data-view-ready="true"]', { timeout: 20000 });
      await page.locator('.search input').fill('公园');
    }
    await expectMessages(page, c.expect);
    if (c.usable !== false) await expectUsable(page, c.name);
    await expectHarmless(page, c.name);
    await page.close();
  }
});
