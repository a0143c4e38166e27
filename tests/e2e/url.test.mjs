// End-to-end tests of the view in the URL: a copied link reopens the same state, Back and
// Forward and a hand-edited hash change the app, the browser's language is followed, and a
// link to any feature of any layer draws it and shows its clause in the reader.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIST, OUT, setup, teardown } from './helpers.mjs';
import { Atlas, hashField } from './pages/atlas.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

const PHONE = { width: 360, height: 740 };

/** Centre (screen px of the map element) and scale of the live view. */
async function viewOf(atlas) {
  const v = await atlas.liveView();
  return { cx: v.x + v.w / 2, cy: v.y + v.h / 2, w: v.w };
}

/** What a user sees of the state: view, layers, filter, plan, reader position, language. */
async function snapshot(atlas) {
  return {
    view: await viewOf(atlas),
    layers: await atlas.drawnLayers(),
    understudy: await atlas.statusCheckbox('under_study').isChecked(),
    planned: await atlas.statusCheckbox('planned').isChecked(),
    top: await atlas.readerTopLine(),
    doc: await atlas.readerFile().innerText(),
    htmlLang: await atlas.htmlLang(),
  };
}

test('a copied link reopens every setting: view, layers with order and opacity, status filter, feature, plan position, English', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  // A feature, chosen from the list of features in view (the map flies to it).
  await a.pickFromList('eco-barrier-736');
  await a.clause('eco-barrier-736').waitFor();
  await a.viewSettled();
  // Pan and zoom.
  await a.zoomIn();
  await a.drag(-120, 60);
  // Layers: one on (off by default), one off, a new order and an opacity.
  await a.layerCheckbox('parks').check();
  await a.layerCheckbox('rivers').uncheck();
  await a.layerOpacity('eco-barrier').fill('40');
  await a.layerDown('metro');
  // The status filter.
  await a.statusCheckbox('under_study').uncheck();
  // English.
  await a.langToggle().click();
  // Then another plan, scrolled down.
  await a.page.locator('.doc-picker select').selectOption('004_807393adc7e55925.txt');
  await a.readerFile().filter({ hasText: /^004_/ }).waitFor();
  await a.page.locator('.reader .plan-text p').nth(200).waitFor();
  await a.page.waitForTimeout(300);
  await a.scrollReaderTo(6000);
  await a.viewSettled();
  const href = await a.settledUrl();
  assert.equal(hashField(href, 'lang'), 'en', href);
  assert.ok(hashField(href, 'map'), href);
  assert.ok(hashField(href, 'at'), `the reader position is in the link: ${href}`);
  const before = await snapshot(a);
  await a.screenshot(join(OUT, 'url-state-before.png'));

  const b = await Atlas.open(href);
  await b.viewReady();
  await b.page.locator('.map [data-layer-id="parks"] [data-feature-id]').first().waitFor();
  await b.page.locator('.reader .plan-text p').nth(200).waitFor();
  await b.viewSettled();
  await b.page.waitForTimeout(400);
  const after = await snapshot(b);
  await b.screenshot(join(OUT, 'url-state-after.png'));
  // Same centre within 2 px of the screen, same zoom.
  const px = before.view.w / 1280;
  assert.ok(Math.abs(after.view.cx - before.view.cx) <= 2 * px && Math.abs(after.view.cy - before.view.cy) <= 2 * px,
    `centre ${JSON.stringify(after.view)} vs ${JSON.stringify(before.view)}`);
  assert.ok(Math.abs(after.view.w / before.view.w - 1) < 0.01, `zoom ${after.view.w} vs ${before.view.w}`);
  assert.deepEqual(after.layers.map((l) => l.id), before.layers.map((l) => l.id), 'same layers in the same order');
  assert.deepEqual(after.layers, before.layers, 'same opacity');
  assert.ok(before.layers.some((l) => l.id === 'parks') && !before.layers.some((l) => l.id === 'rivers'));
  assert.equal(after.understudy, false);
  assert.equal(after.planned, true);
  assert.equal(after.doc, before.doc);
  assert.equal(after.htmlLang, 'en');
  assert.ok(before.top > 1 && Math.abs(after.top - before.top) <= 1, `reader top line ${after.top} vs ${before.top}`);
  assert.equal(hashField(href, 'f'), 'eco-barrier-736');
  assert.equal(await b.page.locator('.card').getAttribute('data-feature-id'), 'eco-barrier-736');
  assert.deepEqual(a.problems, []);
  assert.deepEqual(b.problems, []);
  await a.close();
  await b.close();
});

test('Back returns to the previous selection; editing the hash changes the app', async () => {
  const a = await Atlas.open(`${base}#f=eco-barrier-bay-xiaozhan`);
  await a.ready();
  await a.clause('eco-barrier-bay-xiaozhan').waitFor();
  await a.pickFromList('eco-barrier-736');
  await a.cardTitle().filter({ hasText: '736' }).waitFor();
  assert.equal(hashField(a.url(), 'f'), 'eco-barrier-736');
  await a.page.goBack();
  await a.cardTitle().filter({ hasText: '小站湾' }).waitFor();
  assert.equal(hashField(a.url(), 'f'), 'eco-barrier-bay-xiaozhan');
  assert.ok(await a.clauseSettlesInView('eco-barrier-bay-xiaozhan'), 'the first clause is back in the reader');
  await a.page.goForward();
  await a.cardTitle().filter({ hasText: '736' }).waitFor();
  // A hand edit: another feature, English, and a layer set.
  await a.page.evaluate(() => { location.hash = '#f=metro-station-xiaobailou&lang=en&layers=districts,metro'; });
  await a.cardTitle().filter({ hasText: /Xiaobailou/i }).waitFor();
  assert.equal(await a.htmlLang(), 'en');
  await a.page.waitForFunction(() => !document.querySelector('.map [data-layer-id="eco-barrier"]'));
  assert.deepEqual((await a.drawnLayers()).map((l) => l.id), ['districts', 'metro']);
  // A bad field is reported and the rest still applies.
  await a.page.evaluate(() => { location.hash = '#map=99/1/1&f=eco-barrier-736&lang=en'; });
  await a.cardTitle().filter({ hasText: '736' }).waitFor();
  // In the link's language.
  assert.match(await a.notice().innerText(), /Part of the link was ignored: ignored “map”/);
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('with no language in the link, an English-preferring browser opens in English', async () => {
  const a = await Atlas.open(base, undefined, { locale: 'en-GB' });
  await a.ready();
  assert.equal(await a.htmlLang(), 'en');
  assert.equal(await a.langToggle().innerText(), '中文');
  const zh = await Atlas.open(base, undefined, { locale: 'zh-CN' });
  await zh.ready();
  assert.equal(await zh.htmlLang(), 'zh-CN');
  // The link says the language: it wins over the browser's.
  const link = await Atlas.open(`${base}#lang=zh`, undefined, { locale: 'en-US' });
  await link.ready();
  assert.equal(await link.htmlLang(), 'zh-CN');
  await Promise.all([a.close(), zh.close(), link.close()]);
});

/** Features spread over every layer: the first, middle and last of each (some of them with no
 * fixed location). */
async function spreadFeatures() {
  const m = JSON.parse(await readFile(join(DIST, 'data/manifest.json'), 'utf8'));
  const out = [];
  for (const l of m.layers) {
    const fc = JSON.parse(await readFile(join(DIST, l.file), 'utf8'));
    const feats = fc.features.filter((f) => f.id);
    const picks = [...new Set([0, Math.floor(feats.length / 2), feats.length - 1])].map((i) => feats[i]);
    for (const f of picks) out.push({ layer: l.id, id: f.id, defaultOn: !!l.visible, located: f.geometry !== null });
  }
  return out;
}

for (const [label, viewport] of [['1280 px', { width: 1280, height: 800 }], ['360 px', PHONE]]) {
  test(`a link to any feature draws it (or says it has no fixed location) and shows its clause in the reader (${label})`, async () => {
    const features = await spreadFeatures();
    assert.ok(features.length >= 60, `${features.length} features`);
    assert.ok(features.some((f) => !f.defaultOn));
    assert.ok(features.some((f) => !f.located) && features.some((f) => f.located));
    const failures = [];
    for (const f of features) {
      const a = await Atlas.open(`${base}#f=${f.id}`, viewport);
      try {
        if (f.located) {
          await a.shape(f.id).first().waitFor({ state: 'attached', timeout: 15000 });
          await a.viewSettled(300);
          if (!(await a.shapeInView(f.id))) failures.push(`${f.layer}/${f.id}: shape not drawn in the map`);
        } else {
          // No fixed location: its card opens and the map says so; nothing is drawn.
          await a.page.waitForFunction((id) => document.querySelector('.card')?.dataset.featureId === id, f.id, { timeout: 15000 });
          await a.mapUnlocated().waitFor({ timeout: 5000 });
          if (await a.shape(f.id).count()) failures.push(`${f.layer}/${f.id}: a feature with no location is drawn`);
        }
        if (!(await a.clauseSettlesInView(f.id))) failures.push(`${f.layer}/${f.id}: clause not in the reader's view`);
        if (a.problems.length) failures.push(`${f.id}: ${a.problems.join('; ')}`);
      } catch (e) {
        failures.push(`${f.layer}/${f.id}: ${e.message.split('\n')[0]}`);
      }
      await a.close();
    }
    assert.deepEqual(failures, [], `${failures.length} of ${features.length} links failed`);
  });
}

// Choosing a search result left the clause 500–2,500 px outside the reader's view (the
// estimated heights of offscreen blocks moved it after the scroll).
for (const viewport of [{ width: 1280, height: 800 }, PHONE]) {
  test(`a search result's clause settles inside the reader's view (${viewport.width} px)`, async () => {
    const a = await Atlas.open(base, viewport);
    await a.ready();
    for (const [query, id] of [['600米', 'metro-nankai-coverage-54'], ['一纵', null], ['口袋公园', null]]) {
      await a.searchBox().fill(query);
      const option = id
        ? a.page.locator(`.search-results [role=option]:has([data-feature-id="${id}"])`)
        : a.page.locator('.search-results [role=option]:has([data-doc])').first();
      await option.waitFor({ timeout: 20000 });
      await option.dispatchEvent('mousedown');
      if (id) {
        await a.clause(id).waitFor();
        assert.ok(await a.clauseSettlesInView(id), `${query}: the clause of ${id} is in the reader's view`);
      } else {
        await a.page.locator('.reader .plan-text mark.focus').first().waitFor();
        assert.ok(await a.clauseSettlesInView('-'), `${query}: the text hit is in the reader's view`);
      }
      // The search text is part of the link.
      assert.equal(hashField(await a.settledUrl(), 'q'), query);
    }
    assert.deepEqual(a.problems, []);
    await a.close();
  });
}
