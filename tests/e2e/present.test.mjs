// End-to-end test of presentation mode: the panels hide, the map and the plan's words grow,
// and P, the button and Escape switch it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, setup, teardown } from './helpers.mjs';
import { Atlas } from './pages/atlas.mjs';

let base;
before(async () => { ({ base } = await setup()); });
after(teardown);

test('presentation mode hides the panels and enlarges the map and the plan text; P, the button and Escape switch it', async () => {
  const a = await Atlas.open(`${base}#f=eco-barrier-736&lang=en`);
  await a.ready();
  await a.cardTitle().waitFor();
  const before = await a.map().evaluate((m) => m.clientWidth);
  await a.page.locator('.map-controls .present-toggle').click();
  await a.page.locator('.layout.present').waitFor();
  assert.equal(await a.page.locator('.left').isVisible(), false);
  assert.equal(await a.searchBox().isVisible(), false);
  await a.page.waitForFunction((w) => document.querySelector('.map').clientWidth > w + 150, before);
  const size = await a.page.locator('.card h2').evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
  assert.ok(size >= 24, `${size}px`);
  // The map still works: the feature is drawn and the view follows the new size.
  assert.equal(await a.shape('eco-barrier-736').count(), 1);
  await a.screenshot(join(OUT, 'presentation-1280.png'));
  await a.page.keyboard.press('Escape');
  await a.page.waitForFunction(() => !document.querySelector('.layout.present'));
  // P on the page (not in the search box) switches it on again.
  await a.map().focus();
  await a.page.keyboard.press('p');
  await a.page.locator('.layout.present').waitFor();
  await a.page.keyboard.press('p');
  await a.page.waitForFunction(() => !document.querySelector('.layout.present'));
  // Typing a "p" in the search box does not.
  await a.searchBox().fill('');
  await a.searchBox().type('park');
  assert.equal(await a.page.locator('.layout.present').count(), 0);
  assert.deepEqual(a.problems, []);
  await a.close();
});
