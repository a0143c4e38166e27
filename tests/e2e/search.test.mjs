// End-to-end tests of search as a citizen uses it: several words, English reaching the
// Chinese plans, one ranked list with filters, and the keyboard from the box to the clause
// and back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, setup, teardown } from './helpers.mjs';
import { Atlas, hashField } from './pages/atlas.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

/** The result rows as { doc, line, feature, text, matched }. */
function rows(a) {
  return a.page.locator('.search-results li').evaluateAll((lis) => lis.map((li) => ({
    doc: li.querySelector('[data-doc]')?.dataset.doc ?? null,
    line: Number(li.querySelector('[data-line]')?.dataset.line ?? 0),
    feature: li.querySelector('[data-feature-id]')?.dataset.featureId ?? null,
    text: li.textContent,
    marks: [...li.querySelectorAll('.r-snippet mark')].map((m) => m.textContent),
    matched: li.querySelector('.r-matched')?.textContent ?? '',
  })));
}

test('several words: 南开 地铁 finds the Nankai plan’s metro clauses, every term marked', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  await a.search('南开 地铁');
  const r = await rows(a);
  const top = r.slice(0, 3).filter((x) => x.doc?.startsWith('003'));
  assert.ok(top.length >= 1, JSON.stringify(r.slice(0, 5)));
  assert.ok(top.every((x) => x.marks.length > 0 && x.marks.some((m) => /地铁|轨道/.test(m))), JSON.stringify(top));
  // The plan and section are shown.
  assert.match(top[0].text, /南开区/);
  assert.equal(hashField(await a.settledUrl(), 'q'), '南开 地铁', 'the query is in the link');
  await a.screenshot(join(OUT, 'search-multiword.png'));
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('English reaches the plans: wastewater treatment plant finds file 000’s 污水处理厂 clauses and says what matched', async () => {
  const a = await Atlas.open(`${base}#lang=en`);
  await a.ready();
  await a.search('wastewater treatment plant');
  const r = await rows(a);
  const hit = r.find((x) => x.doc?.startsWith('000'));
  assert.ok(hit, JSON.stringify(r.slice(0, 5)));
  assert.ok(hit.marks.some((m) => m.includes('污水處理廠')), JSON.stringify(hit));
  assert.match(hit.matched, /污水处理厂/);
  // Hexi park: the Hexi plan's park clauses, in English.
  await a.search('Hexi park');
  const h = (await rows(a)).slice(0, 10).find((x) => x.doc?.startsWith('002'));
  assert.ok(h && h.marks.some((m) => m.includes('公园')), JSON.stringify(h));
  await a.screenshot(join(OUT, 'search-english.png'));
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('one ranked list with filters; a word found nowhere is left out and said so', async () => {
  const a = await Atlas.open(`${base}#lang=en`);
  await a.ready();
  await a.search('一级管控区');
  let r = await rows(a);
  // The table's clause is not buried under the five district features of the same table.
  const firstClause = r.findIndex((x) => x.doc);
  assert.ok(firstClause >= 0 && firstClause <= 2, JSON.stringify(r.slice(0, 6)));
  assert.ok(r.some((x) => x.feature) && r.some((x) => x.doc), 'features and clauses in one list');
  // Filters: map features only, plan text only, one plan.
  await a.page.locator('.search-filter', { hasText: 'Map features' }).click();
  r = await rows(a);
  assert.ok(r.length > 0 && r.every((x) => x.feature), JSON.stringify(r));
  await a.page.locator('.search-filter', { hasText: 'Plan text' }).click();
  r = await rows(a);
  assert.ok(r.length > 0 && r.every((x) => x.doc), JSON.stringify(r));
  await a.page.locator('.search-filter', { hasText: 'Jinnan' }).click();
  r = await rows(a);
  assert.ok(r.length > 0 && r.every((x) => x.doc?.startsWith('004')), JSON.stringify(r));
  await a.page.locator('.search-filter', { hasText: 'All' }).click();
  // "EV" occurs nowhere: the other words still find the charging-pile clauses.
  await a.search('EV charging piles');
  r = await rows(a);
  assert.ok(r.length > 0 && r.slice(0, 3).some((x) => x.marks.some((m) => /充电|充電/.test(m))), JSON.stringify(r.slice(0, 3)));
  assert.match(await a.searchStatus().innerText(), /“(ev|pile)” occurs nowhere/);
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('keyboard: choosing a result puts focus on the clause in view; Escape returns to the box; no dangling active option', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  const box = await a.search('海河夜游');
  await a.page.locator('.search-results li').first().waitFor();
  assert.equal(await box.getAttribute('aria-activedescendant'), 'search-opt-0');
  // Arrow down to the first plan-text result, and open it with Enter.
  const textAt = await a.page.locator('.search-results li').evaluateAll((lis) => lis.findIndex((li) => li.querySelector('[data-doc]')));
  assert.ok(textAt >= 0);
  for (let i = 0; i < textAt; i++) await box.press('ArrowDown');
  assert.equal(await box.getAttribute('aria-activedescendant'), `search-opt-${textAt}`);
  await box.press('Enter');
  // Focus is on the marked clause in the reader, and the clause is in view.
  await a.page.waitForFunction(() => document.activeElement?.matches('.reader mark.focus'), null, { timeout: 10000 });
  assert.ok(await a.clauseSettlesInView('-'), 'the clause is in the reader’s view');
  assert.match(await a.page.evaluate(() => document.activeElement.textContent), /海河夜游/);
  await a.page.keyboard.press('Escape');
  await a.page.waitForFunction(() => document.activeElement?.id === 'search-input');
  // A query with no results: no option is pointed at, and the status says so.
  await a.search('不存在的词语组合');
  assert.equal(await box.getAttribute('aria-activedescendant'), null);
  assert.match(await a.searchStatus().innerText(), /没有找到/);
  // Choosing a feature moves focus to its card.
  await a.search('绿屏·小站湾');
  const opt = a.page.locator('.search-results li:has([data-feature-id="eco-barrier-bay-xiaozhan"])');
  await opt.waitFor();
  const idx = await opt.evaluate((li) => [...li.parentNode.children].indexOf(li));
  for (let i = 0; i < idx; i++) await box.press('ArrowDown');
  await box.press('Enter');
  await a.page.waitForFunction(() => document.activeElement?.closest('.card')?.dataset.featureId === 'eco-barrier-bay-xiaozhan', null, { timeout: 10000 });
  assert.deepEqual(a.problems, []);
  await a.close();
});
