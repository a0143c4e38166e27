// End-to-end test of the figures computed in the browser: metro coverage of the six central
// districts at 600 m and 800 m for three station sets, with the plan's claim and the method.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, setup, teardown } from './helpers.mjs';
import { Atlas } from './pages/atlas.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

test('the figures panel computes metro coverage of the central districts, with its method and the plan’s claim', async () => {
  const a = await Atlas.open(`${base}#lang=en`);
  await a.ready();
  await a.page.locator('details.figures summary').click();
  const table = a.page.locator('.figures-table').first();
  await table.waitFor({ timeout: 20000 });
  // One table per radius; each row: a district and its shares for 2020, 2025 and with planned stations.
  const read = (radius) => a.page.locator(`.figures-table[data-radius="${radius}"] tbody tr`).evaluateAll((trs) => trs.map((tr) => ({
    district: tr.dataset.district,
    cells: [...tr.querySelectorAll('td')].map((td) => Number(td.textContent.replace('%', ''))),
  })));
  const r600 = await read(600);
  const r800 = await read(800);
  assert.deepEqual(r600.map((r) => r.district), ['和平区', '河东区', '河西区', '南开区', '河北区', '红桥区']);
  const rows = r600.map((r, i) => ({ district: r.district, cells: [...r.cells, ...r800[i].cells] }));
  // Heping, small and dense, is mostly within 800 m of a station.
  assert.ok(rows[0].cells[3] > 80, JSON.stringify(rows[0]));
  const text = await a.page.locator('details.figures').innerText();
  assert.match(text, /more than 90%/);
  assert.match(text, /Method: straight-line circles/);
  await a.page.locator('details.figures').scrollIntoViewIfNeeded();
  await a.screenshot(join(OUT, 'figures-coverage.png'));
  assert.deepEqual(a.problems, []);
  await a.close();
});
