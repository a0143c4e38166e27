// Accessibility on the built site: axe-core on every main screen in both languages and both
// colour schemes, a keyboard-only walk from the skip link to a language switch, and a phone
// (360 × 740) where every control is at least 44 pixels, the legend is one tap away and no
// text is cut off. Screenshots of each size, language and scheme go to tests/e2e/output/screens/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OUT, setup, teardown } from './helpers.mjs';
import { Atlas } from './pages/atlas.mjs';

const AXE = await readFile(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const PHONE = { width: 360, height: 740 };
const FEATURE = 'eco-barrier-bay-xiaozhan';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

/** axe-core's violations on the page as it is now (WCAG 2.x A and AA, and best practices), one
 * line each: rule, impact and the first elements. Injected through the DevTools protocol, which
 * the page's CSP does not govern; the share dialog's preview frame is tested on its own. */
async function violations(page) {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { iframes: false, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1, 2).join('')}`).join(' | ')}`);
  });
  return found;
}

/** Open the site in `lang` and `scheme` at `viewport`, ready. */
async function openAs(hash, lang, scheme, viewport) {
  const a = await Atlas.open(`${base}#${hash ? `${hash}&` : ''}lang=${lang}`, viewport, { colorScheme: scheme });
  await a.ready();
  return a;
}

for (const scheme of ['light', 'dark']) {
  for (const lang of ['zh', 'en']) {
    test(`axe-core finds no violation: start, feature, reader contents, search, share (${lang}, ${scheme})`, async () => {
      const a = await openAs('', lang, scheme);
      const report = [];
      const check = async (screen) => {
        for (const v of await violations(a.page)) report.push(`${screen}: ${v}`);
      };
      await check('start');
      await a.page.goto(`${base}#f=${FEATURE}&lang=${lang}`);
      await a.clause(FEATURE).waitFor();
      await a.cardTitle().waitFor();
      await check('feature selected');
      await a.page.locator('.toc summary').click();
      await a.page.locator('.toc li button').first().waitFor();
      await check('reader with contents');
      await a.search(lang === 'zh' ? '绿色 屏障' : 'green barrier');
      await a.searchResults().first().waitFor();
      await check('search results');
      await a.page.keyboard.press('Escape');
      await a.page.locator('.share-toggle').click();
      await a.page.locator('.share-dialog').waitFor();
      await check('share dialog');
      await a.page.keyboard.press('Escape');
      assert.deepEqual(report, []);
      assert.deepEqual(a.problems, []);
      await a.close();
    });
  }
}

test('axe-core finds no violation on a phone: start, the layers sheet, a feature (both languages)', async () => {
  const report = [];
  for (const lang of ['zh', 'en']) {
    const a = await openAs('', lang, 'light', PHONE);
    for (const v of await violations(a.page)) report.push(`${lang} start: ${v}`);
    await a.page.locator('.sheet-tab').first().click();
    for (const v of await violations(a.page)) report.push(`${lang} layers: ${v}`);
    await a.page.goto(`${base}#f=${FEATURE}&lang=${lang}`);
    await a.cardTitle().waitFor();
    for (const v of await violations(a.page)) report.push(`${lang} feature: ${v}`);
    await a.close();
  }
  assert.deepEqual(report, []);
});

test('keyboard only: skip link, search, a result, its clause, its feature, the map moved, the language switched, in under 40 keys', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  await a.page.evaluate(() => {
    window.pointerEvents = 0;
    for (const t of ['pointerdown', 'mousedown']) addEventListener(t, () => { window.pointerEvents++; }, true);
  });
  let keys = 0;
  const press = async (key) => { keys++; await a.page.keyboard.press(key); };
  const focused = (selector) => a.page.waitForFunction((s) => document.activeElement?.matches(s), selector, { timeout: 5000 });
  /** Tab (at most `max` times) until the focus is on `selector`. */
  const tabTo = async (selector, max = 12) => {
    for (let i = 0; i < max; i++) {
      if (await a.page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
      await press('Tab');
    }
    await focused(selector);
  };

  // The skip link comes first and shows itself.
  await press('Tab');
  await focused('.skip-link');
  assert.ok(await a.page.locator('.skip-link:focus').isVisible());
  // Search.
  await tabTo('#search-input', 4);
  const query = '小站湾';
  keys += query.length;
  await a.page.keyboard.type(query);
  await a.searchResults().first().waitFor();
  // Choose the first result (a feature): the focus moves to its card.
  await press('Enter');
  await focused('.card h2');
  const id = await a.cardFeatureId();
  // Read its clause: the card's first excerpt opens it, and the focus moves to the clause.
  await tabTo('.excerpt');
  await press('Enter');
  await focused('.plan-text mark.current');
  assert.ok(await a.clauseInReaderView(id), 'the clause is in view');
  // Select its feature from the clause: back to the card.
  await press('Enter');
  await focused(`.card[data-feature-id="${id}"] h2`);
  assert.equal(await a.hashParam('f'), id);
  // Show it on the map, and move the map with the arrows.
  await tabTo('.zoom-to', 20);
  await press('Enter');
  await focused('.map-pane:not(.right) > .map');
  await a.page.waitForTimeout(900);
  const before = await a.map().getAttribute('data-view');
  await press('ArrowRight');
  await press('ArrowDown');
  await a.page.waitForFunction((b) => document.querySelector('.map-pane:not(.right) > .map').dataset.view !== b, before);
  // The language switch is one step back from the map.
  await press('Shift+Tab');
  await focused('.lang-toggle');
  await press('Enter');
  await a.page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.ok(keys < 40, `${keys} key presses`);
  assert.equal(await a.page.evaluate(() => window.pointerEvents), 0, 'no pointer events');
  console.log(`keyboard walk: ${keys} key presses`);
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('focus goes where a choice leads and comes back on Escape; the map is one tab stop whose Enter lists what is at its centre', async () => {
  const a = await Atlas.open(`${base}#f=${FEATURE}`);
  await a.ready();
  await a.clause(FEATURE).waitFor();
  // No shape of the map is a tab stop: the map is one.
  assert.equal(await a.page.locator('.map [data-feature-id][tabindex]').count(), 0);
  // The reader's tab stop is the chosen clause; lone punctuation marks are no stop at all.
  assert.equal(await a.page.locator('.plan-text mark[tabindex="0"]').count(), 1);
  assert.equal(await a.page.locator(`.plan-text mark[tabindex="0"][data-feature-ids~="${FEATURE}"]`).count(), 1);
  const lone = await a.page.evaluate(() => [...document.querySelectorAll('.plan-text mark[tabindex]')].filter((m) => !/[\p{L}\p{N}]/u.test(m.textContent)).length);
  assert.equal(lone, 0, 'punctuation-only clauses are not tab stops');
  // Enter on a clause opens the card; Escape returns to the clause.
  await a.page.locator('.plan-text mark[tabindex="0"]').focus();
  await a.page.keyboard.press('Enter');
  await a.page.waitForFunction(() => document.activeElement?.matches('.card h2'));
  await a.page.keyboard.press('Escape');
  await a.page.waitForFunction(() => document.activeElement?.matches('.plan-text mark'));
  // The feature is centred by its link: Enter on the map picks it (or offers it in a list).
  await a.page.locator('.card .close').click();
  await a.page.goto(`${base}#f=${FEATURE}`);
  await a.cardTitle().waitFor();
  await a.page.waitForTimeout(1200);
  await a.page.locator('.card .close').click();
  await a.map().focus();
  await a.page.keyboard.press('Enter');
  await a.page.waitForFunction(() => document.activeElement?.matches('.card h2, .chooser button'));
  if (await a.chooser().count()) {
    await a.page.locator(`.chooser button[data-feature-id="${FEATURE}"]`).focus();
    await a.page.keyboard.press('Enter');
  }
  await a.page.waitForFunction(() => document.activeElement?.matches('.card h2'));
  assert.equal(await a.cardFeatureId(), FEATURE);
  // Escape goes back to the map.
  await a.page.keyboard.press('Escape');
  await a.page.waitForFunction(() => document.activeElement?.matches('.map-pane > .map'));
  // Far out at sea there is nothing: the map says so, and Escape closes the message.
  await a.page.goto(`${base}#map=11.00/38.60000/118.30000`);
  await a.viewReady();
  await a.map().focus();
  await a.page.keyboard.press('Enter');
  await a.chooser().waitFor();
  assert.match(await a.chooser().textContent(), /没有要素/);
  await a.page.keyboard.press('Escape');
  assert.equal(await a.chooser().count(), 0);
  await a.page.waitForFunction(() => document.activeElement?.matches('.map-pane > .map'));
  assert.deepEqual(a.problems, []);
  await a.close();
});

/** Controls smaller than 44 × 44 pixels that are visible now (inline clauses in running text
 * are exempt, as WCAG 2.5.8 allows). */
function smallControls(page) {
  return page.evaluate(() => {
    const sel = 'button, a[href], input, select, textarea, summary, [role=button], [role=slider], [role=tab], [role=option], [tabindex="0"]';
    const out = [];
    for (const el of document.querySelectorAll(sel)) {
      if (el.closest('#boot, .plan-text, .sr-only') || el.tagName === 'MARK') continue;
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      if (!r.width || !r.height || cs.visibility === 'hidden') continue;
      if (r.right < 0 || r.bottom < 0 || r.left > innerWidth || r.top > innerHeight) continue;
      if (r.width < 43.5 || r.height < 43.5) out.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 20)}" ${r.width.toFixed(0)}×${r.height.toFixed(0)}`);
    }
    return out;
  });
}

/** Text that is cut off: an element whose own text overflows a box that clips it, or that
 * runs past the window's edge. */
function cutText(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('#boot, .sr-only, svg, .table-wrap, .skip-links, .map-canvas')) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height || cs.visibility === 'hidden') continue;
      const clips = (o) => o === 'hidden' || o === 'clip';
      const name = `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 24)}"`;
      if ((clips(cs.overflowX) || cs.textOverflow === 'ellipsis') && el.scrollWidth > el.clientWidth + 1) out.push(`${name} clipped across`);
      if (clips(cs.overflowY) && el.scrollHeight > el.clientHeight + 1) out.push(`${name} clipped down`);
      if (r.left < -1 || r.right > innerWidth + 1) out.push(`${name} past the edge`);
    }
    return out;
  });
}

test('on a 360 × 740 phone: no page scroll, every control at least 44 px, the legend one tap away, no text cut off (both languages)', async () => {
  for (const lang of ['zh', 'en']) {
    const a = await openAs('', lang, 'light', PHONE);
    const problems = [];
    const look = async (screen) => {
      for (const s of await smallControls(a.page)) problems.push(`${lang} ${screen}: small ${s}`);
      for (const s of await cutText(a.page)) problems.push(`${lang} ${screen}: cut ${s}`);
    };
    // The page never scrolls: the map and the sheet's bar fill the window.
    const page = await a.page.evaluate(() => ({ h: document.scrollingElement.scrollHeight, w: document.scrollingElement.scrollWidth }));
    assert.ok(page.h <= PHONE.height && page.w <= PHONE.width, JSON.stringify(page));
    const bar = await a.page.locator('.sheet-bar').boundingBox();
    assert.ok(bar && bar.y + bar.height <= PHONE.height + 1, `the sheet bar is on screen: ${JSON.stringify(bar)}`);
    await look('start');
    // One tap on "layers & legend": the legend is in view.
    await a.page.locator('.sheet-tab[aria-controls="panel-layers"]').click();
    const legend = await a.page.locator('.legend').boundingBox();
    assert.ok(legend && legend.y >= 0 && legend.y + 60 <= PHONE.height, `legend in view: ${JSON.stringify(legend)}`);
    assert.ok(await a.page.locator('.legend .status-filter').isVisible());
    await look('layers');
    await a.screenshot(join(OUT, `phone-layers-${lang}.png`));
    // The sheet opens all the way, and folds back.
    await a.page.locator('.sheet-size').click();
    assert.ok(await a.page.locator('.layout.sheet-full').count());
    await look('layers, full');
    await a.page.locator('.sheet-size').click();
    assert.ok(await a.page.locator('.layout.sheet-peek').count());
    // A tap on a shape opens the card and the clause in the sheet.
    await a.selectOnMap(FEATURE);
    await a.cardTitle().waitFor();
    await a.clause(FEATURE).waitFor();
    assert.ok(await a.page.locator('.layout.sheet-feature.sheet-half').count());
    assert.ok(await a.cardTitle().isVisible());
    await look('feature');
    await a.screenshot(join(OUT, `phone-feature-${lang}.png`));
    // Search and share.
    await a.search(lang === 'zh' ? '地铁' : 'metro');
    await a.searchResults().first().waitFor();
    await look('search');
    await a.page.keyboard.press('Escape');
    await a.page.locator('.share-toggle').click();
    await a.page.locator('.share-dialog').waitFor();
    await look('share');
    await a.page.keyboard.press('Escape');
    assert.deepEqual(problems, []);
    assert.deepEqual(a.problems, []);
    await a.close();
  }
});

test('a tap near a small station picks it: a fingertip reaches 22 px around', async () => {
  const a = await Atlas.open(`${base}#f=metro-station-xiaobailou`, PHONE, { hasTouch: true, isMobile: true });
  await a.ready();
  await a.cardTitle().waitFor();
  await a.page.waitForTimeout(1200);
  await a.page.locator('.card .close').click();
  const dot = await a.shape('metro-station-xiaobailou').boundingBox();
  await a.page.touchscreen.tap(Math.round(dot.x + dot.width / 2 + 15), Math.round(dot.y + dot.height / 2 + 4));
  await a.page.waitForFunction(() => document.querySelector('.card, .chooser'));
  const picked = (await a.chooser().count())
    ? await a.page.locator('.chooser button[data-feature-id="metro-station-xiaobailou"]').count()
    : (await a.cardFeatureId()) === 'metro-station-xiaobailou';
  assert.ok(picked, 'the station is picked or offered');
  await a.close();
});

test('screenshots at four sizes, both languages, both colour schemes: nothing runs past the window', async () => {
  const dir = join(OUT, 'screens');
  await mkdir(dir, { recursive: true });
  const sizes = [[360, 740], [768, 1024], [1366, 768], [1920, 1080]];
  const over = [];
  for (const [w, h] of sizes) {
    for (const lang of ['zh', 'en']) {
      for (const scheme of ['light', 'dark']) {
        const a = await openAs(`f=${FEATURE}`, lang, scheme, { width: w, height: h });
        await a.clause(FEATURE).waitFor();
        await a.page.waitForTimeout(700);
        await a.screenshot(join(dir, `${w}x${h}-${lang}-${scheme}.png`));
        const wide = await a.page.evaluate(() => document.scrollingElement.scrollWidth);
        if (wide > w) over.push(`${w}×${h} ${lang} ${scheme}: ${wide} px wide`);
        await a.close();
      }
    }
  }
  assert.deepEqual(over, []);
});

test('desktop (1366 × 768): the card and the plan text never cover each other, and the chooser stays on screen', async () => {
  const a = await Atlas.open(`${base}#f=${FEATURE}`, { width: 1366, height: 768 });
  await a.ready();
  await a.clause(FEATURE).waitFor();
  await a.page.waitForTimeout(800);
  // The card's actions and the reader's plan picker are on screen and not covered by anything.
  const uncovered = (sel) => a.page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return r.bottom <= innerHeight && r.top >= 0 && (hit === el || el.contains(hit));
  }, sel);
  for (const sel of ['.card .zoom-to', '.card .close', '.doc-picker select']) assert.ok(await uncovered(sel), `${sel} is in view and uncovered`);
  const [card, reader] = [await a.page.locator('.card-pane').boundingBox(), await a.reader().boundingBox()];
  assert.ok(card.y + card.height <= reader.y + 1, `card ${JSON.stringify(card)} above reader ${JSON.stringify(reader)}`);
  // A tap where shapes overlap, close to the bottom of the map: the chooser opens upwards.
  const spot = await a.page.evaluate(() => {
    const map = document.querySelector('.map-pane:not(.right) > .map').getBoundingClientRect();
    for (let y = map.bottom - 12; y > map.bottom - 160; y -= 6) {
      for (let x = map.left + 20; x < map.right - 60; x += 6) {
        const ids = new Set(document.elementsFromPoint(x, y).map((e) => e.closest('.layer.interactive [data-feature-id]')?.dataset.featureId).filter(Boolean));
        if (ids.size >= 2) return { x: Math.round(x), y: Math.round(y) };
      }
    }
    return null;
  });
  assert.ok(spot, 'overlapping shapes near the bottom of the map');
  await a.page.mouse.click(spot.x, spot.y);
  await a.chooser().waitFor();
  const box = await a.chooser().boundingBox();
  const pane = await a.mapPane().boundingBox();
  assert.ok(box.y >= pane.y && box.y + box.height <= pane.y + pane.height + 1 && box.y + box.height <= 768, `chooser ${JSON.stringify(box)} inside the map ${JSON.stringify(pane)}`);
  await a.screenshot(join(OUT, 'chooser-bottom-1366.png'));
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('the narrowest phone (320 × 640) with the layers sheet half open: every map button inside the map, the tab names uncut', async () => {
  const a = await Atlas.open(`${base}#lang=en`, { width: 320, height: 640 });
  await a.ready();
  await a.page.locator('.sheet-tab[aria-controls="panel-layers"]').click();
  await a.page.waitForFunction(() => document.querySelector('main.layout.sheet-half'));
  await a.page.waitForTimeout(300);
  const seen = await a.page.evaluate(() => {
    const m = document.querySelector('.map-pane:not(.right) > .map').getBoundingClientRect();
    const out = [...document.querySelectorAll('.map-pane:not(.right) .map-controls button')]
      .map((b) => [b.getAttribute('aria-label'), b.getBoundingClientRect()])
      .filter(([, r]) => r.top < m.top || r.bottom > m.bottom || r.left < m.left || r.right > m.right)
      .map(([name]) => name);
    const cut = [...document.querySelectorAll('.sheet-tab')].filter((t) => t.scrollWidth > t.clientWidth + 1).map((t) => t.textContent);
    return { buttons: document.querySelectorAll('.map-pane:not(.right) .map-controls button').length, out, cut };
  });
  assert.equal(seen.buttons, 7);
  assert.deepEqual(seen.out, [], 'buttons outside the map');
  assert.deepEqual(seen.cut, [], 'cut tab names');
  assert.deepEqual(a.problems, []);
  await a.close();
});
