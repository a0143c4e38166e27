// Search quality: for each question of bench/search-questions.json (written with its answers
// before any result was looked at), type it into the built site's search box and print the
// rank of the first result that answers it. Usage: node bench/search-quality.mjs (after
// scripts/build.sh); prints a Markdown table and a summary line.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../tests/e2e/server.mjs';

const { questions } = JSON.parse(await readFile('bench/search-questions.json', 'utf8'));
const seeds = {};
for (const f of await readdir('seeds')) seeds[f.slice(0, 3)] = (await readFile(join('seeds', f), 'utf8')).split('\n');

const server = await startServer('dist');
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });

function answers(row, q) {
  return q.answers.some((a) => {
    if (a.feature) return row.feature === a.feature;
    if (!row.doc || !row.doc.startsWith(a.doc) || !row.line) return false;
    return (seeds[a.doc][row.line - 1] || '').includes(a.line_has);
  });
}

const rows = [];
for (const lang of ['zh', 'en']) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${base}#lang=${lang}`);
  await page.waitForSelector('.map[data-view-ready="true"]', { timeout: 20000 });
  for (const q of questions.filter((x) => x.lang === lang)) {
    const box = page.locator('.search input');
    await box.fill('');
    await box.fill(q.q);
    // Wait until the plan texts are loaded and the results stop changing.
    await page.waitForFunction(() => {
      const s = document.querySelector('.search-status');
      return s && !/加载|Loading/.test(s.textContent);
    }, null, { timeout: 20000 });
    let last = '';
    for (let i = 0; i < 30; i++) {
      await page.waitForTimeout(150);
      const now = await page.evaluate(() => document.querySelector('.search-results')?.textContent ?? '');
      if (now === last && now) break;
      last = now;
    }
    const results = await page.evaluate(() => [...document.querySelectorAll('.search-results li')].map((li) => {
      const f = li.querySelector('[data-feature-id]') ?? (li.dataset.featureId ? li : null);
      const d = li.querySelector('[data-doc]') ?? (li.dataset.doc ? li : null);
      const lineAttr = (d && d.dataset.line) || (li.textContent.match(/L(\d+)/) || [])[1];
      return { feature: f?.dataset.featureId ?? null, doc: d?.dataset.doc ?? null, line: lineAttr ? Number(lineAttr) : null };
    }));
    const rank = results.findIndex((r) => answers(r, q)) + 1;
    rows.push({ q: q.q, lang, rank: rank || null, of: results.length });
  }
  await page.close();
}
await browser.close();
server.close();

console.log('| question | ui | rank of the answer | results |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.q} | ${r.lang} | ${r.rank ?? '—'} | ${r.of} |`);
const first = rows.filter((r) => r.rank === 1).length;
const top3 = rows.filter((r) => r.rank && r.rank <= 3).length;
console.log(`answer first: ${first}/${rows.length}; in the top 3: ${top3}/${rows.length}; not found: ${rows.filter((r) => !r.rank).length}`);
