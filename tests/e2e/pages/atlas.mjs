// Page object for Plan Atlas: what a test reads and does on the page, named once, so that the
// tests say what a user does and sees rather than repeating selectors.
import { open, mapReady, selectOnMap } from '../helpers.mjs';

export class Atlas {
  constructor(page) {
    this.page = page;
  }

  /** Open `url` in a new page of `viewport` size (a phone: { width: 360, height: 740 }). */
  static async open(url, viewport, options) {
    return new Atlas(await open(url, viewport, options));
  }

  get problems() { return this.page.problems; }
  url() { return this.page.url(); }
  close() { return this.page.close(); }
  screenshot(path, options) { return this.page.screenshot({ path, ...options }); }

  /** Every default layer drawn and the view fitted. */
  ready() { return mapReady(this.page); }

  /** The map element with its live view (`data-view`) ready. */
  async viewReady() {
    await this.page.waitForSelector('.map[data-view-ready="true"]', { timeout: 20000 });
  }

  // --- the map
  /** The map (the left one while comparing). */
  map() { return this.page.locator('.map-pane:not(.right) > .map'); }
  mapPane() { return this.page.locator('.map-pane:not(.right)'); }

  // --- comparing two maps
  compareToggle() { return this.page.locator('.map-controls .compare-toggle'); }
  compareMode(mode) { return this.page.locator(`.compare-bar .compare-mode[data-mode="${mode}"]`); }
  compareClose() { return this.page.locator('.compare-bar .compare-close'); }
  sideState(side) { return this.page.locator(`#compare-${side}-state`); }
  maps() { return this.page.locator('.maps'); }
  rightPane() { return this.page.locator('.map-pane.right'); }
  rightMap() { return this.page.locator('.map-pane.right > .map'); }
  divider() { return this.page.locator('[data-testid="swipe-divider"]'); }
  mirrorCursor(side) { return this.page.locator(`.map-pane${side === 'right' ? '.right' : ':not(.right)'} [data-testid="mirror-cursor"]`); }
  sideBadges() { return this.page.locator('[data-testid="side-badge"]'); }
  sideTab(right) { return this.page.locator('.side-tabs [role="tab"]').nth(right ? 1 : 0); }
  /** A feature drawn on one side: 'left' or 'right'. */
  sideShape(side, id) { return this.page.locator(`.map-pane${side === 'right' ? '.right' : ':not(.right)'} [data-feature-id="${id}"]`); }
  hashParam(key) { return this.page.evaluate((k) => new URLSearchParams(location.hash.slice(1)).get(k), key); }
  /** The drawing: its viewBox is the drawn view. */
  mapSvg() { return this.page.locator('.map-svg'); }
  shape(id) { return this.page.locator(`.map [data-feature-id="${id}"]`); }
  layerShapes(layer) { return this.page.locator(`.map [data-layer-id="${layer}"] [data-feature-id]`); }
  /** The shapes of `layer` with a status class (`planned`, `existing`, …). */
  shapesWithStatus(layer, status) { return this.page.locator(`.map [data-layer-id="${layer}"] .feature.${status}`); }
  /** The layer groups of the drawing, bottom first (one per drawing pass). */
  layerGroups() { return this.page.locator('.map g.layer'); }
  layerGroup(id) { return this.page.locator(`.map g.layer[data-layer-id="${id}"]`); }
  /** Select a feature by tapping it on the map (through the chooser where shapes overlap). */
  selectOnMap(id) { return selectOnMap(this.page, id); }
  /** The choice offered by a tap where shapes overlap. */
  chooser() { return this.page.locator('.chooser'); }
  /** Wait until the drawing is at rest (no transform left over from a move). */
  drawingAtRest() { return this.page.waitForFunction(() => document.querySelector('.map-canvas')?.style.transform === 'none'); }
  labels() { return this.page.locator('.map .labels'); }
  /** The label of the selected feature `id`. */
  selectedLabel(id) { return this.page.locator(`.map .labels text.selected[data-label-for="${id}"]`).first(); }
  /** Screen boxes of the labels inside the map element. */
  labelBoxes() {
    return this.page.evaluate(() => {
      const m = document.querySelector('.map').getBoundingClientRect();
      return [...document.querySelectorAll('.map .labels text')].map((t) => {
        const b = t.getBoundingClientRect();
        return { id: t.dataset.labelFor, text: t.textContent, x0: b.left, y0: b.top, x1: b.right, y1: b.bottom, selected: t.classList.contains('selected') };
      }).filter((b) => b.x1 > m.left && b.x0 < m.right && b.y1 > m.top && b.y0 < m.bottom);
    });
  }
  basemapToggle() { return this.page.locator('#basemap-toggle'); }
  basemapTiles() { return this.page.locator('.map .basemap image'); }
  basemapAttribution() { return this.page.locator('.basemap-attribution'); }
  /** The drawn layers, bottom first, with their opacity. */
  drawnLayers() {
    return this.page.evaluate(() => [...document.querySelectorAll('.map .layer[data-layer-id]')]
      .map((g) => ({ id: g.getAttribute('data-layer-id'), opacity: g.getAttribute('opacity') }))
      // One group per drawing pass (areas, lines, points): each layer once, where it first is.
      .filter((l, i, all) => all.findIndex((m) => m.id === l.id) === i));
  }
  /** The live view: the visible part of the plane as a viewBox "x y w h" in drawing units. */
  async liveView() {
    const v = await this.page.locator('.map').getAttribute('data-view');
    const [x, y, w, h] = v.split(' ').map(Number);
    return { x, y, w, h };
  }
  /** Wait until the view has been still for a while (flights and settling done). */
  async viewSettled(ms = 500) {
    let last = null, same = 0;
    for (let i = 0; i < 100 && same * 100 < ms; i++) {
      const v = await this.page.locator('.map').getAttribute('data-view');
      same = v === last ? same + 1 : 0;
      last = v;
      await this.page.waitForTimeout(100);
    }
  }
  /** True when the shape of `id` is drawn with real size inside the map pane. */
  async shapeInView(id) {
    return this.page.evaluate((id) => {
      const el = document.querySelector(`.map [data-feature-id="${id}"]`);
      if (!el) return false;
      const b = el.getBoundingClientRect(), m = document.querySelector('.map').getBoundingClientRect();
      return b.width + b.height > 0 && b.right > m.left && b.left < m.right && b.bottom > m.top && b.top < m.bottom;
    }, id);
  }
  async drag(dx, dy) {
    const box = await this.map().boundingBox();
    const x = box.x + box.width / 2, y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 });
    await this.page.mouse.move(x + dx, y + dy, { steps: 4 });
    await this.page.mouse.up();
  }
  zoomIn() { return this.page.locator('.map-controls button').first().click(); }

  // --- the layer list
  layerItem(id) { return this.page.locator(`.layer-item[data-layer-id="${id}"]`); }
  layerCheckbox(id) { return this.layerItem(id).locator('input[type=checkbox]'); }
  layerOpacity(id) { return this.layerItem(id).locator('input[type=range]'); }
  /** Move a layer one step down the drawing order. */
  layerDown(id) { return this.layerItem(id).locator('button').nth(1).click(); }
  /** The load error shown under a layer's name. */
  layerError(id) { return this.layerItem(id).locator('.layer-state.error'); }
  statusCheckbox(status) { return this.page.locator(`#status-filter-${status}`); }

  // --- the list of features in view
  /** Choose a feature from the accessible list of features in view. */
  async pickFromList(id) {
    const list = this.page.locator('details.feature-list');
    if (!(await list.evaluate((d) => d.open))) await list.locator('summary').click();
    await list.locator(`button[data-feature-id="${id}"]`).click();
  }
  listedFeature(id) { return this.page.locator(`.feature-list button[data-feature-id="${id}"]`); }

  // --- features with no fixed location, and links between features
  /** The "no fixed location" list under a layer in the layer list (opened). */
  async unlocatedList(layer) {
    const d = this.layerItem(layer).locator('details.unlocated');
    if (!(await d.evaluate((el) => el.open))) await d.locator('summary').click();
    return d;
  }
  unlocatedNote() { return this.page.locator('[data-testid="unlocated-note"]'); }
  mapUnlocated() { return this.page.locator('[data-testid="map-unlocated"]'); }
  zoomToButton() { return this.page.locator('.card .zoom-to'); }
  /** The card's links to other features under the heading `heading` ("Made up of", "Part of"…). */
  cardLinks(heading) {
    return this.page.locator('.card .relations h3', { hasText: heading }).locator('xpath=following-sibling::ul[1]').locator('button.feature-link');
  }
  cardFeatureId() { return this.card().getAttribute('data-feature-id'); }

  // --- the card and the reader
  card() { return this.page.locator('.card'); }
  cardTitle() { return this.page.locator('.card h2'); }
  closeCard() { return this.page.locator('.card .close').click(); }
  /** The card's `i`-th excerpt button (from 0). */
  excerpt(i) { return this.page.locator('.excerpt').nth(i); }
  reader() { return this.page.locator('.reader'); }
  readerFile() { return this.page.locator('.reader .doc-file'); }
  /** The full plan text in the reader (absent while it loads). */
  planText() { return this.page.locator('.reader .plan-text'); }
  planParagraphs() { return this.page.locator('.reader .plan-text p'); }
  /** The selected feature's clauses shown while its plan text loads. */
  pendingExcerpts() { return this.page.locator('.reader .pending-excerpts'); }
  /** The selected feature's clause in the full plan text. */
  clause(id) { return this.page.locator(`.reader .plan-text mark.current[data-feature-id="${id}"]`).first(); }
  /** A highlighted clause of the plan text cited by `id` (selected or not). */
  citingMark(id) { return this.page.locator(`.reader .plan-text mark[data-feature-ids~="${id}"]`).first(); }
  /** The focused passage (a linked line, a contents entry or a text search hit). */
  focusMarks() { return this.page.locator('.reader mark.focus'); }
  /** True when the selected clause of `id` lies inside the reader's visible area. */
  async clauseInReaderView(id) {
    return this.page.evaluate((id) => {
      const reader = document.querySelector('.reader');
      const marks = [...document.querySelectorAll(`.reader .plan-text mark.current[data-feature-id="${id}"], .reader .plan-text mark.focus`)];
      if (!reader || !marks.length) return false;
      const r = reader.getBoundingClientRect();
      return marks.some((m) => {
        const b = m.getBoundingClientRect();
        return b.height > 0 && b.top >= r.top - 1 && b.top + Math.min(b.height, r.height) <= r.bottom + 1;
      });
    }, id);
  }
  /** Wait until the clause of `id` is in the reader's view and stays there for 400 ms. */
  async clauseSettlesInView(id, timeout = 10000) {
    const end = Date.now() + timeout;
    let since = null;
    while (Date.now() < end) {
      if (await this.clauseInReaderView(id)) {
        since ??= Date.now();
        if (Date.now() - since >= 400) return true;
      } else since = null;
      await this.page.waitForTimeout(100);
    }
    return false;
  }
  readerScrollTop() { return this.page.locator('.reader').evaluate((r) => r.scrollTop); }
  scrollReaderTo(px) { return this.page.locator('.reader').evaluate((r, px) => { r.scrollTop = px; r.dispatchEvent(new Event('scroll')); }, px); }
  /** The seed line of the first block at the top of the reader. */
  readerTopLine() {
    return this.page.evaluate(() => {
      const reader = document.querySelector('.reader');
      const top = reader.getBoundingClientRect().top;
      const block = [...document.querySelectorAll('.reader .plan-text > [id^="L"], .reader .plan-text tr[id^="L"]')]
        .find((b) => b.getBoundingClientRect().top >= top - 1);
      return block ? Number(block.id.slice(1)) : null;
    });
  }

  // --- the header
  langToggle() { return this.page.locator('.lang-toggle'); }
  htmlLang() { return this.page.evaluate(() => document.documentElement.lang); }
  searchBox() { return this.page.locator('.search input'); }
  /** Type `q` into the search box and wait until the results are for it (not loading). */
  async search(q) {
    const box = this.searchBox();
    await box.fill(q);
    await this.page.waitForFunction(() => {
      const s = document.querySelector('.search-status');
      return s && !/加载|Loading/.test(s.textContent);
    }, null, { timeout: 20000 });
    return box;
  }
  searchStatus() { return this.page.locator('.search-status'); }
  searchResults() { return this.page.locator('.search-results li'); }
  notice() { return this.page.locator('.notice'); }

  // --- the first view drawn into index.html
  bootPicture() { return this.page.locator('#boot'); }
  bootMap() { return this.page.locator('#boot .boot-map'); }

  /** The hash as the app last wrote it (writes are throttled: wait for it to settle). */
  async settledUrl() {
    let last = '';
    for (let i = 0; i < 20; i++) {
      const u = this.page.url();
      if (u === last) return u;
      last = u;
      await this.page.waitForTimeout(350);
    }
    return last;
  }
}

/** A field of the URL hash. */
export function hashField(url, key) {
  const hash = new URL(url).hash.slice(1);
  for (const part of hash.split('&')) {
    const [k, v = ''] = part.split('=');
    if (k === key) return decodeURIComponent(v);
  }
  return null;
}
