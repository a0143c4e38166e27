//! Offline use after one visit: the service worker the build writes next to `index.html`
//! (`sw.js`), the small script that registers it and announces a new version
//! (`sw-register.js`), and the precache list they share.
//!
//! The list is every file of the built site (the hashed wasm, JS and CSS, `index.html`, the
//! data and the plan texts) but the worker itself and the hosts' header files. Its version is
//! a hash of the files' names and contents (64-bit FNV-1a: a cache name, not a security
//! measure), so a deploy that changes any byte gets a new cache and the worker of the next
//! deploy deletes the old one. Paths are relative and resolved against the worker's scope, so
//! the site also works from a sub-path. The worker follows the Service Workers spec
//! (<https://www.w3.org/TR/service-workers/>): `install` stores the list, `activate` deletes
//! other versions, `fetch` answers same-origin GETs only. Both scripts are plain files, since
//! the site's Content Security Policy forbids inline scripts (`site::CSP`).

/// The worker's file, at the site's root (its scope is the folder it is in).
pub const WORKER_FILE: &str = "sw.js";
/// The registration script's file, next to `index.html`.
pub const REGISTER_FILE: &str = "sw-register.js";

/// Files of the built site that are not part of the app: the worker (never cached by itself)
/// and the header files written for static hosts.
const NOT_PRECACHED: [&str; 4] = [WORKER_FILE, "_headers", "_redirects", crate::site::NGINX_FILE];

/// What the worker stores: the site's files (relative paths with `/`, sorted), their total
/// size, and the version that names the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Precache {
    pub files: Vec<String>,
    pub bytes: u64,
    pub version: String,
}

/// True for a built file the worker stores. Left out: the worker and the header files, hidden
/// files and folders, and names a URL cannot carry as they are (`?`, `#`, `%`, `\`, control
/// characters).
pub fn is_precached(path: &str) -> bool {
    !path.is_empty()
        && !NOT_PRECACHED.contains(&path)
        && !path.starts_with('/')
        && path.split('/').all(|part| !part.is_empty() && !part.starts_with('.'))
        && !path.chars().any(|c| matches!(c, '?' | '#' | '%' | '\\') || c.is_control())
}

/// 64-bit FNV-1a (<http://www.isthe.com/chongo/tech/comp/fnv/>): small, stable across Rust
/// versions and platforms (unlike `std`'s `DefaultHasher`), enough to name a cache.
#[derive(Debug, Clone, Copy)]
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// The precache of the built files `files` (relative path, contents; any order).
pub fn precache<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Precache {
    let mut kept: Vec<(&str, &[u8])> = files.into_iter().filter(|(p, _)| is_precached(p)).collect();
    kept.sort_by(|a, b| a.0.cmp(b.0));
    kept.dedup_by(|a, b| a.0 == b.0);
    Precache {
        files: kept.iter().map(|(p, _)| p.to_string()).collect(),
        bytes: kept.iter().map(|(_, c)| c.len() as u64).sum(),
        version: version(WORKER_TEMPLATE, &kept),
    }
}

/// The hash of the worker's code and, in path order, each stored file's path, length and
/// bytes: a fixed worker gets a new cache too, and no two lists of files share a version by
/// moving bytes from one file to the next.
fn version(worker: &str, files: &[(&str, &[u8])]) -> String {
    let mut hash = Fnv1a::new();
    hash.write(worker.as_bytes());
    for (path, content) in files {
        hash.write(path.as_bytes());
        hash.write(&[0]);
        hash.write(&(content.len() as u64).to_le_bytes());
        hash.write(content);
    }
    format!("{:016x}", hash.0)
}

/// The worker's code; `__VERSION__` and `__FILES__` are filled in by [`worker_script`].
const WORKER_TEMPLATE: &str = r#"// Plan Atlas service worker: the site keeps working offline after one visit.
// Written by atlas-site at build time (atlas_core::offline). Do not edit: after changing files in
// dist/ by hand, run `cargo run -p atlas-data --bin atlas-site -- --worker dist` to write it again.
//
// install   stores every file of this deploy (FILES) in a cache named after VERSION, a hash of
//           their contents. A file that cannot be fetched is logged and left to the network; only
//           index.html is required (without it the install fails and the browser tries again).
// activate  deletes this site's caches of other versions.
// fetch     same-origin GET requests only (never another origin's, e.g. basemap tiles):
//           page loads go to the network first and get the stored index.html when it does not
//           answer; the listed files come from the cache first; anything else from the network,
//           never stored. Queries and fragments are ignored when looking a file up.
// message   {type: 'skip-waiting'}: a waiting new version takes over; sw-register.js sends it
//           when the user chooses "Reload" in its new-version notice.
// The page that first registers the worker is not claimed: it keeps the network it was loaded
// from, and the next page load is answered here.
'use strict';

const VERSION = __VERSION__;
const FILES = __FILES__;
const SCOPE = self.registration.scope;
// One site per scope: two copies of the site on one origin keep separate caches.
const PREFIX = 'plan-atlas:' + new URL(SCOPE).pathname + ':';
const CACHE = PREFIX + VERSION;
const INDEX = new URL('index.html', SCOPE).href;
const LISTED = new Set(FILES.map((f) => new URL(f, SCOPE).href));
// How long a page load waits for the network before the stored page is shown instead.
const PAGE_TIMEOUT_MS = 5000;

/** The cache key of a URL: without query and fragment; the scope's root is index.html. */
function keyOf(url) {
  const u = new URL(url);
  u.search = '';
  u.hash = '';
  return u.href === SCOPE ? INDEX : u.href;
}

/** A response that followed a redirect cannot answer a page load: store a copy without the flag. */
async function storable(response) {
  if (!response.redirected) return response;
  const body = await response.blob();
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

async function store(cache, url) {
  // 'reload': this deploy's files from the server, not from the HTTP cache of an older one.
  const response = await fetch(url, { cache: 'reload', credentials: 'same-origin' });
  if (!response.ok) throw new Error('HTTP ' + response.status);
  await cache.put(url, await storable(response));
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const results = await Promise.allSettled(FILES.map((f) => store(cache, new URL(f, SCOPE).href)));
    let stored = 0;
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') stored += 1;
      else console.warn('Plan Atlas offline: ' + FILES[i] + ' was not stored (' + ((r.reason && r.reason.message) || r.reason) + '); it will come from the network');
    });
    // Without the page nothing works offline, and the network is most likely down: fail this
    // install (the browser tries again on a later visit) rather than replace a working version.
    if (!(await cache.match(INDEX))) {
      await caches.delete(CACHE);
      throw new Error('Plan Atlas offline: index.html could not be stored; this version is not installed');
    }
    console.info('Plan Atlas offline: version ' + VERSION + ', ' + stored + ' of ' + FILES.length + ' files stored');
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  // A request the worker could not pass on (DevTools' only-if-cached outside same-origin mode).
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const key = keyOf(request.url);
  if (request.mode === 'navigate') event.respondWith(pageLoad(request, key));
  else if (LISTED.has(key)) event.respondWith(cacheFirst(request, key));
  // Anything else: no answer from here, so the browser fetches it as if there were no worker.
});

/** The stored answer to a page load: the file itself if it is listed, else index.html. */
async function storedPage(key) {
  const own = LISTED.has(key) ? await caches.match(key, { cacheName: CACHE }) : undefined;
  return own || caches.match(INDEX, { cacheName: CACHE });
}

async function pageLoad(request, key) {
  const network = fetch(request);
  network.catch(() => {});
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(resolve, PAGE_TIMEOUT_MS); });
  try {
    const response = await Promise.race([network, late]);
    // A server that answers with a gateway or server error is as good as down.
    if (response && response.status < 500) return response;
    return (await storedPage(key)) || response || network;
  } catch (e) {
    const stored = await storedPage(key);
    if (stored) return stored;
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

async function cacheFirst(request, key) {
  const hit = await caches.match(key, { cacheName: CACHE });
  if (hit) return hit;
  const response = await fetch(request);
  // A listed file the install could not store: kept now for the next time offline (only
  // while this version's cache exists, so an old worker never revives its deleted cache).
  if (response.ok && response.type === 'basic' && (await caches.has(CACHE))) {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(key, copy)).catch(() => {});
  }
  return response;
}
"#;

/// The worker for `precache` (written to [`WORKER_FILE`]).
pub fn worker_script(precache: &Precache) -> String {
    let files = serde_json::to_string(&precache.files).unwrap_or_else(|_| "[]".into());
    let version = serde_json::to_string(&precache.version).unwrap_or_else(|_| "\"0\"".into());
    WORKER_TEMPLATE.replacen("__VERSION__", &version, 1).replacen("__FILES__", &files, 1)
}

/// The new-version notice, in the page's language (`<html lang>`: "zh-CN" or "en").
pub const UPDATE_MESSAGE_ZH: &str = "Plan Atlas 有新版本。";
pub const UPDATE_MESSAGE_EN: &str = "A new version of Plan Atlas is available.";
pub const UPDATE_RELOAD_ZH: &str = "重新加载";
pub const UPDATE_RELOAD_EN: &str = "Reload";
pub const UPDATE_DISMISS_ZH: &str = "关闭提示";
pub const UPDATE_DISMISS_EN: &str = "Dismiss";

/// The registration script; `__TEXTS__` and `__WORKER__` are filled in by [`register_script`].
const REGISTER_TEMPLATE: &str = r#"// Plan Atlas: registers the service worker that keeps the site working offline after one visit
// (sw.js, next to this file; its scope is that folder, so the site may live in a sub-path), and
// shows a notice when a newer version has been installed. Written by atlas-site from
// atlas_core::offline; loaded with `defer` from index.html, since the site's Content Security
// Policy allows no inline script. The notice is built with DOM calls (text only) and styled by
// style.css (.update-notice, at the end of the file).
(function () {
  'use strict';
  if (!('serviceWorker' in navigator)) return;
  var TEXTS = __TEXTS__;
  var sw = navigator.serviceWorker;
  var script = document.currentScript;
  var workerUrl = new URL(__WORKER__, (script && script.src) || location.href).href;
  var controlled = !!sw.controller;
  var wantReload = false;
  var notice = null;

  function reload() {
    if (wantReload === 'done') return;
    wantReload = 'done';
    location.reload();
  }

  /** The notice: the message, "Reload" and a close button, in the page's language. */
  function showNotice(waiting) {
    if (notice) {
      notice.waiting = waiting;
      return;
    }
    var box = document.createElement('div');
    box.className = 'update-notice';
    box.setAttribute('role', 'status');
    var text = document.createElement('span');
    text.className = 'update-notice-text';
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'update-notice-reload';
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'update-notice-close';
    close.textContent = '\u00d7';
    function label() {
      var t = TEXTS[document.documentElement.lang === 'en' ? 'en' : 'zh'];
      box.lang = t.lang;
      text.textContent = t.message;
      button.textContent = t.reload;
      close.setAttribute('aria-label', t.dismiss);
      close.title = t.dismiss;
    }
    label();
    // The app switches <html lang> with its language button: the notice follows.
    var observer = new MutationObserver(label);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    button.addEventListener('click', function () {
      button.disabled = true;
      var w = notice && notice.waiting;
      if (w && w.state === 'installed') {
        // The new worker takes over; `controllerchange` then reloads the page (the view is in
        // the URL, so it comes back as it was). Reload anyway if that does not happen soon.
        wantReload = true;
        w.postMessage({ type: 'skip-waiting' });
        setTimeout(reload, 4000);
      } else {
        reload();
      }
    });
    close.addEventListener('click', function () {
      observer.disconnect();
      box.remove();
      notice = null;
    });
    box.append(text, button, close);
    box.waiting = waiting;
    document.body.appendChild(box);
    notice = box;
  }

  /** Follows a worker being installed: once installed while an older one controls the page, a newer version is waiting. */
  function follow(worker) {
    if (!worker) return;
    function check() {
      if (worker.state === 'installed' && sw.controller) showNotice(worker);
    }
    check();
    worker.addEventListener('statechange', check);
  }

  function watch(reg) {
    follow(reg.waiting);
    follow(reg.installing);
    reg.addEventListener('updatefound', function () { follow(reg.installing); });
    // Look for a new version when the page comes back into view (at most once a minute) and
    // every hour; page loads look by themselves.
    var last = Date.now();
    function update() {
      if (Date.now() - last < 60000) return;
      last = Date.now();
      reg.update().catch(function () {});
    }
    document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'visible') update(); });
    setInterval(update, 3600000);
  }

  sw.addEventListener('controllerchange', function () {
    if (wantReload) reload();
    // Another tab chose the new version: this page still runs the old one.
    else if (controlled) showNotice(null);
    controlled = true;
  });

  function register() {
    sw.register(workerUrl).then(watch, function (e) {
      console.warn('Plan Atlas: offline use is not available here (' + ((e && e.message) || e) + ')');
    });
  }

  // On the first visit, store the site for offline use only once the app has drawn its map
  // (it then removes the first-view picture, #boot), so that the first view is never slowed;
  // 10 s after the page's load event at the latest.
  if (controlled) {
    register();
  } else {
    window.addEventListener('load', function () {
      var done = false;
      var observer = new MutationObserver(check);
      function go() {
        if (done) return;
        done = true;
        observer.disconnect();
        register();
      }
      function check() {
        if (!document.getElementById('boot')) go();
      }
      observer.observe(document.body, { childList: true });
      setTimeout(go, 10000);
      check();
    });
  }
})();
"#;

/// The registration script (written to [`REGISTER_FILE`]).
pub fn register_script() -> String {
    let texts = serde_json::json!({
        "zh": {"lang": "zh-CN", "message": UPDATE_MESSAGE_ZH, "reload": UPDATE_RELOAD_ZH, "dismiss": UPDATE_DISMISS_ZH},
        "en": {"lang": "en", "message": UPDATE_MESSAGE_EN, "reload": UPDATE_RELOAD_EN, "dismiss": UPDATE_DISMISS_EN},
    });
    let worker = serde_json::to_string(WORKER_FILE).unwrap_or_else(|_| "\"sw.js\"".into());
    REGISTER_TEMPLATE.replacen("__TEXTS__", &texts.to_string(), 1).replacen("__WORKER__", &worker, 1)
}

/// Loads [`register_script`] from `<head>` with `defer` (it runs after the page is parsed).
/// The address is relative, so a copy of the site in a sub-path registers its own worker.
pub fn add_register_script(html: &str) -> String {
    match html.find("</head>") {
        Some(i) => format!("{}<script src=\"{REGISTER_FILE}\" defer></script>{}", &html[..i], &html[i..]),
        None => html.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Vec<(&'static str, &'static [u8])> {
        vec![
            ("index.html", b"<html></html>".as_slice()),
            ("plan-atlas-3dd7661e7bff63ff_bg.wasm", b"\0asm"),
            ("plan-atlas-3dd7661e7bff63ff.js", b"export default 1"),
            ("style-17d8edc465e18488.css", b"body{}"),
            ("data/manifest.json", b"{}"),
            ("data/layers/metro.geojson", b"{\"type\":\"FeatureCollection\",\"features\":[]}"),
            ("texts/000_e2df317a026ff3d7.txt", "规划".as_bytes()),
            ("boot-lang.js", b";"),
            ("sw-register.js", b";"),
            ("embed.js", b";"),
            ("sw.js", b"old worker"),
            ("_headers", b"/*"),
            ("nginx-headers.conf", b"add_header"),
            (".DS_Store", b"x"),
            ("data/.hidden/x.json", b"x"),
        ]
    }

    #[test]
    fn fnv1a_matches_the_reference_values() {
        for (input, want) in [("", 0xcbf2_9ce4_8422_2325u64), ("a", 0xaf63_dc4c_8601_ec8c), ("foobar", 0x8594_4171_f739_67e8)] {
            let mut h = Fnv1a::new();
            h.write(input.as_bytes());
            assert_eq!(h.0, want, "{input:?}");
        }
    }

    #[test]
    fn the_list_is_every_site_file_but_the_worker_and_header_files_sorted() {
        let p = precache(site());
        assert_eq!(
            p.files,
            [
                "boot-lang.js",
                "data/layers/metro.geojson",
                "data/manifest.json",
                "embed.js",
                "index.html",
                "plan-atlas-3dd7661e7bff63ff.js",
                "plan-atlas-3dd7661e7bff63ff_bg.wasm",
                "style-17d8edc465e18488.css",
                "sw-register.js",
                "texts/000_e2df317a026ff3d7.txt",
            ]
        );
        // The stored files only (not sw.js, _headers, nginx-headers.conf nor hidden files).
        assert_eq!(p.bytes, 13 + 4 + 16 + 6 + 2 + 42 + 6 + 1 + 1 + 1);
        assert_eq!(p.version.len(), 16);
        assert!(p.version.chars().all(|c| c.is_ascii_hexdigit()));
        for odd in ["a?b.json", "a#b", "a%20b", "a\\b", "a\nb", "/abs.js", "", "data//x", "data/../x"] {
            assert!(!is_precached(odd), "{odd:?}");
        }
        assert!(is_precached("texts/津南.txt"), "non-ASCII names are fine: URLs encode them");
    }

    #[test]
    fn the_version_follows_the_contents_and_names_not_the_order() {
        let base = precache(site());
        let mut reversed = site();
        reversed.reverse();
        assert_eq!(precache(reversed), base, "the order of the walk does not matter");
        // One changed byte in one data file: a new version.
        let changed: Vec<_> =
            site().into_iter().map(|(p, c)| if p == "data/manifest.json" { (p, b"{ }".as_slice()) } else { (p, c) }).collect();
        assert_ne!(precache(changed).version, base.version);
        // A renamed file with the same bytes: a new version.
        let renamed: Vec<_> = site().into_iter().map(|(p, c)| if p == "embed.js" { ("embed2.js", c) } else { (p, c) }).collect();
        assert_ne!(precache(renamed).version, base.version);
        // Files that are not stored do not change it: the worker's own bytes, the headers.
        let headers: Vec<_> =
            site().into_iter().map(|(p, c)| if p == "_headers" || p == "sw.js" { (p, b"new".as_slice()) } else { (p, c) }).collect();
        assert_eq!(precache(headers).version, base.version);
        // Content moved between two files (same concatenation): still a new version.
        let a = precache([("a.js", b"xy".as_slice()), ("b.js", b"z".as_slice())]);
        let b = precache([("a.js", b"x".as_slice()), ("b.js", b"yz".as_slice())]);
        assert_ne!(a.version, b.version);
        assert_eq!(precache(Vec::new()).files.len(), 0);
    }

    #[test]
    fn the_worker_carries_the_list_and_version_and_follows_the_rules() {
        let p = precache(site());
        let js = worker_script(&p);
        assert!(js.contains(&format!("const VERSION = \"{}\";", p.version)), "{js}");
        assert!(js.contains("const FILES = [\"boot-lang.js\",\"data/layers/metro.geojson\","), "{js}");
        assert!(!js.contains("__VERSION__") && !js.contains("__FILES__"));
        // Relative paths against the scope; only this site's other versions are deleted.
        assert!(js.contains("new URL(f, SCOPE)") && js.contains("n.startsWith(PREFIX) && n !== CACHE"));
        // Same-origin GETs only; page loads network first; listed files cache first.
        assert!(js.contains("if (request.method !== 'GET') return;"));
        assert!(js.contains("if (url.origin !== self.location.origin) return;"));
        assert!(js.contains("if (request.mode === 'navigate') event.respondWith(pageLoad(request, key));"));
        assert!(js.contains("else if (LISTED.has(key)) event.respondWith(cacheFirst(request, key));"));
        assert!(js.contains("u.search = '';") && js.contains("u.hash = '';"));
        // Fail soft: every file settles; a missing one is logged.
        assert!(js.contains("Promise.allSettled") && js.contains("console.warn("));
        assert!(js.contains("self.skipWaiting()"));
        // No clients.claim(): a page loaded from the network keeps it (tests that intercept
        // requests of a first visit rely on it); the next page load is the worker's.
        assert!(!js.contains("clients.claim"));
        // A file name with a quote cannot break out of the list.
        let odd = worker_script(&precache([("a\"b.js", b"x".as_slice())]));
        assert!(odd.contains(r#"const FILES = ["a\"b.js"];"#), "{odd}");
    }

    #[test]
    fn the_worker_code_is_part_of_the_version() {
        // Same files, another worker: another cache, or a fixed worker would keep the files a
        // broken one stored.
        let files = site();
        assert_ne!(version(WORKER_TEMPLATE, &files), version("// another worker", &files));
        assert_eq!(version(WORKER_TEMPLATE, &files), version(WORKER_TEMPLATE, &files));
    }

    #[test]
    fn the_registration_is_an_external_deferred_script_with_both_languages() {
        let html = "<html><head><title>x</title></head><body></body></html>";
        assert_eq!(
            add_register_script(html),
            "<html><head><title>x</title><script src=\"sw-register.js\" defer></script></head><body></body></html>"
        );
        assert_eq!(add_register_script("<p>no head</p>"), "<p>no head</p>");
        let js = register_script();
        for t in [UPDATE_MESSAGE_ZH, UPDATE_MESSAGE_EN, UPDATE_RELOAD_ZH, UPDATE_RELOAD_EN, UPDATE_DISMISS_ZH, UPDATE_DISMISS_EN] {
            assert!(js.contains(t), "{t}");
        }
        assert!(js.contains("var workerUrl = new URL(\"sw.js\", (script && script.src) || location.href).href;"), "{js}");
        assert!(!js.contains("__TEXTS__") && !js.contains("__WORKER__"));
        // Text only: the notice never parses HTML.
        assert!(!js.contains("innerHTML") && !js.contains("insertAdjacentHTML") && js.contains(".textContent = t.message"));
        assert!(js.contains("w.postMessage({ type: 'skip-waiting' })") && js.contains("'controllerchange'"));
        assert!(js.contains("document.documentElement.lang === 'en'"));
    }
}
