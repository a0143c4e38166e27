// The same data as Plan Atlas's default view, drawn by Leaflet 1.9 with its SVG renderer and
// no basemap, for the benchmark in bench/map-bench.mjs. window.__drawn is set when every layer
// is on the map.
(async () => {
  const map = L.map('map', { preferCanvas: false, zoomSnap: 0 });
  const manifest = await (await fetch('/data/manifest.json')).json();
  const layers = manifest.layers.filter((l) => l.visible);
  const groups = await Promise.all(layers.map(async (l) => {
    const data = await (await fetch('/' + l.file)).json();
    return L.geoJSON(data, {
      style: () => ({ color: l.style.stroke, weight: l.style.stroke_width, fillColor: l.style.fill === 'none' ? l.style.stroke : l.style.fill, fillOpacity: l.style.fill === 'none' ? 0 : l.style.fill_opacity }),
      pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 5 }),
    });
  }));
  let bounds = null;
  for (const g of groups) {
    g.addTo(map);
    const b = g.getBounds();
    if (b.isValid()) bounds = bounds ? bounds.extend(b) : b;
  }
  map.fitBounds(bounds, { padding: [12, 12], animate: false });
  requestAnimationFrame(() => { window.__drawn = performance.now(); });
})();
