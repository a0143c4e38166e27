/* Plan Atlas drop-in loader (docs/embedding.md). On the host page:
 *
 *   <div data-plan-atlas="f=eco-barrier-736&lang=en"></div>
 *   <script src="https://ATLAS-SITE/embed.js" async></script>
 *
 * Each such element becomes a responsive iframe of the map whose height follows its width
 * (data-ratio, the map's height in percent of its width, default 62) and its content (the card
 * of a selected feature below the map). The attribute's value is a Plan Atlas view, as in the
 * site's links (docs/url-state.md). The element then has a handle, `element.planAtlas`:
 *
 *   select(id | null), setLayers([...]), setView(zoom, lat, lon), setLanguage('zh' | 'en'),
 *   getState() → Promise, on(type, callback) → unsubscribe
 *
 * and receives DOM events `planatlas:ready`, `planatlas:select`, `planatlas:viewChange`,
 * `planatlas:resize`, `planatlas:error` (event.detail is the message). Messages are taken only
 * from the frame this loader made, and only from the map's origin. */
(function () {
  'use strict';
  var VERSION = 1;
  var script = document.currentScript;
  var base = new URL('./', script ? script.src : location.href);
  var origin = base.origin;

  function embed(el) {
    if (el.planAtlas) return el.planAtlas;
    var view = (el.getAttribute('data-plan-atlas') || '').replace(/^#/, '');
    var ratio = parseInt(el.getAttribute('data-ratio') || '62', 10);
    if (!(ratio >= 20 && ratio <= 200)) ratio = 62;
    var params = view.split('&').filter(function (p) {
      var k = p.split('=')[0];
      return p && k !== 'embed' && k !== 'ratio';
    });
    params.push('embed=1', 'ratio=' + ratio);
    var frame = document.createElement('iframe');
    frame.src = base.href + '#' + params.join('&');
    frame.title = el.getAttribute('data-title') || 'Plan Atlas map';
    frame.setAttribute('loading', 'lazy');
    frame.setAttribute('allow', 'clipboard-write');
    frame.style.width = '100%';
    frame.style.border = '0';
    frame.style.display = 'block';
    frame.style.height = Math.round((el.clientWidth || 600) * ratio / 100 + 36) + 'px';
    el.textContent = '';
    el.appendChild(frame);

    var listeners = {};
    var pending = {};
    var counter = 0;
    function send(message) {
      message.planAtlas = VERSION;
      if (frame.contentWindow) frame.contentWindow.postMessage(message, origin);
    }
    function emit(type, data) {
      (listeners[type] || []).slice().forEach(function (f) { try { f(data); } catch (e) { setTimeout(function () { throw e; }); } });
      el.dispatchEvent(new CustomEvent('planatlas:' + type, { detail: data }));
    }
    window.addEventListener('message', function (e) {
      // Only the frame made here, only from the map's origin.
      if (e.source !== frame.contentWindow || e.origin !== origin) return;
      var d = e.data;
      if (!d || typeof d !== 'object' || d.planAtlas !== VERSION || typeof d.type !== 'string') return;
      if (d.type === 'resize' && typeof d.height === 'number' && d.height > 0 && d.height < 20000) {
        frame.style.height = Math.ceil(d.height) + 'px';
      }
      if (d.id != null && pending[d.id]) {
        var p = pending[d.id];
        delete pending[d.id];
        if (d.type === 'error') p.reject(new Error(d.message)); else p.resolve(d.state);
      }
      emit(d.type, d);
    });
    function request(message) {
      var id = 'pa' + (++counter);
      message.id = id;
      return new Promise(function (resolve, reject) {
        pending[id] = { resolve: resolve, reject: reject };
        send(message);
        setTimeout(function () {
          if (pending[id]) { delete pending[id]; reject(new Error('Plan Atlas did not answer')); }
        }, 10000);
      });
    }
    var handle = {
      frame: frame,
      select: function (id) { return request({ type: 'select', feature: id == null ? null : String(id) }); },
      setLayers: function (layers) { return request({ type: 'setLayers', layers: layers }); },
      setView: function (zoom, lat, lon) { return request({ type: 'setView', zoom: zoom, lat: lat, lon: lon }); },
      setLanguage: function (lang) { return request({ type: 'setLanguage', lang: lang }); },
      getState: function () { return request({ type: 'getState' }); },
      on: function (type, f) {
        (listeners[type] = listeners[type] || []).push(f);
        return function () { listeners[type] = listeners[type].filter(function (g) { return g !== f; }); };
      },
    };
    el.planAtlas = handle;
    return handle;
  }

  function scan() {
    var list = document.querySelectorAll('[data-plan-atlas]');
    for (var i = 0; i < list.length; i++) embed(list[i]);
  }
  window.PlanAtlas = { embed: embed, scan: scan, version: VERSION };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan);
  else scan();
})();
