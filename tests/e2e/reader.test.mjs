// End-to-end tests of the plan reader and search, on the built site (dist/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, setup, teardown } from './helpers.mjs';
import { Atlas } from './pages/atlas.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

test('a link opens a plan at a clause, highlighted, with its structure and contents', async () => {
  const a = await Atlas.open(`${base}#doc=004_807393adc7e55925.txt&l=455`);
  await a.ready();
  const para = a.reader().locator('#L455');
  await para.waitFor();
  assert.match(await para.innerText(), /加强海河南岸绿屏湾建设/);
  const focus = para.locator('mark.focus').first();
  await focus.waitFor();
  // Scrolled into the reader's view.
  const [m, r] = [await focus.boundingBox(), await a.reader().boundingBox()];
  assert.ok(m.y >= r.y && m.y + m.height <= r.y + r.height, `focus ${JSON.stringify(m)} reader ${JSON.stringify(r)}`);
  // Structure: headings, a box of projects or caption, and table 1-1 as a real table.
  assert.ok(await a.reader().locator('h3.heading').count() > 20);
  const table = a.reader().locator('table', { hasText: '一级管控区面积' });
  assert.equal(await table.locator('tr').count(), 4);
  // The header row names its columns; its empty corner is a plain cell.
  assert.equal(await table.locator('tr').first().locator('th, td').nth(1).textContent(), '津南区');
  assert.equal(await table.locator('tr').first().locator('td').count(), 1);
  // Page chrome listed in the manifest is not shown; the plan's title is.
  const text = await a.planText().textContent();
  assert.ok(!text.includes('政务公开 > 政策文件'), 'navigation chrome shown');
  assert.ok(text.includes('津南区新型城镇化发展“十四五”规划'));
  // The table of contents jumps to a section.
  await a.page.locator('.toc summary').click();
  await a.page.locator('.toc button', { hasText: '加强规划宣传引导' }).click();
  await a.focusMarks().filter({ hasText: '加强规划宣传引导' }).waitFor();
  assert.match(a.url(), /doc=004_807393adc7e55925\.txt&l=\d+/);
  await a.screenshot(join(OUT, 'reader-1280.png'));
  assert.deepEqual(a.problems, []);
  await a.close();
});

test('the document picker opens any plan, and an unknown document in the URL says so', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  await a.page.locator('.doc-picker select').selectOption('002_738bf75af0c411b9.txt');
  await a.reader().locator('.doc-title', { hasText: '河西区' }).waitFor();
  // The title comes from the manifest at once; the text follows when its file has loaded.
  await a.planParagraphs().nth(50).waitFor();
  assert.ok(await a.planParagraphs().count() > 50);
  await a.page.goto(`${base}#doc=nope.txt`);
  await a.page.reload();
  await a.reader().locator('.error', { hasText: 'nope.txt' }).waitFor();
  await a.close();
});

test('searching 口袋公园 finds the traditional-character clause on about 200 pocket parks in file 000', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  const box = await a.search('口袋公园');
  const row = a.searchResults().filter({ hasText: '200個左右' });
  await row.waitFor();
  assert.match(await row.innerText(), /口袋公園/);
  // Keyboard: move down to that row and open it with Enter.
  const rows = await a.searchResults().allInnerTexts();
  const target = rows.findIndex((t) => t.includes('200個左右'));
  for (let i = 0; i < target; i++) await box.press('ArrowDown');
  assert.equal(await a.page.locator('.search-results li.active').innerText(), rows[target]);
  await box.press('Enter');
  await a.readerFile().filter({ hasText: '000_e2df317a026ff3d7.txt' }).waitFor();
  const hit = a.focusMarks().filter({ hasText: '口袋公園' });
  await hit.first().waitFor();
  const para = await hit.first().locator('xpath=ancestor::p[1]').innerText();
  assert.match(para, /新建提升改造口袋公園200個左右/);
  await a.screenshot(join(OUT, 'search-1280.png'));
  await a.close();
});

test('search folds the plans’ spelling variants: 一湾起航 and 一湾启航 find the same clauses', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  await a.search('一湾起航');
  const first = await a.searchStatus().innerText();
  await a.search('一湾启航');
  const second = await a.searchStatus().innerText();
  assert.equal(first, second);
  const n = Number(first.match(/\d+/)[0]);
  assert.ok(n >= 6, first);
  const snippets = await a.page.locator('.search-results .r-snippet mark').allInnerTexts();
  assert.ok(snippets.includes('一湾起航') && snippets.includes('一湾启航'), snippets.join());
  await a.close();
});

test('searching a place name reaches its feature', async () => {
  const a = await Atlas.open(base);
  await a.ready();
  const box = await a.search('xiaozhan');
  const row = a.searchResults().filter({ has: a.page.locator('.r-name', { hasText: '绿屏·小站湾' }) }).first();
  await row.waitFor();
  await row.click();
  await a.cardTitle().filter({ hasText: '小站湾' }).waitFor();
  assert.equal(await a.page.locator('.map .feature.selected').getAttribute('data-feature-id'), 'eco-barrier-bay-xiaozhan');
  await box.fill('小站湾');
  await a.searchResults().locator('.r-name', { hasText: '绿屏·小站湾' }).waitFor();
  await a.close();
});
