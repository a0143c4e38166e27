// A small static server for dist/: loopback only, correct MIME types, a strict Content
// Security Policy (the app must work under it), and plain 404s. No dependencies.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

/** The img-src a configured basemap needs (data/basemap.json; see atlas-core basemap.rs). */
export function basemapImgSrc(dir) {
  let url;
  try { url = JSON.parse(readFileSync(join(dir, 'data/basemap.json'), 'utf8')).tiles?.url; } catch { return null; }
  const m = typeof url === 'string' && url.match(/^(https?):\/\/([^/]+)/);
  return m ? `${m[1]}://${m[2].replace(/^.*\{s\}/, '*')}` : null;
}

/** The CSP `frame-ancestors` directive from an embedding configuration (`embed.json`:
 * `{"allowed_origins": [...]}`; the app's atlas-core `EmbedConfig` reads the same file). An
 * entry that is not an origin is dropped here; the build refuses such a file. */
export function frameAncestors(config) {
  const list = (config?.allowed_origins || []).filter((o) => typeof o === 'string' && /^https?:\/\/[A-Za-z0-9.\-\[\]:]+$/.test(o.replace(/\/$/, '')));
  return ["frame-ancestors 'self'", ...list.map((o) => o.replace(/\/$/, ''))].join(' ');
}

function readEmbedConfig(dir) {
  try { return JSON.parse(readFileSync(join(dir, 'embed.json'), 'utf8')); } catch { return {}; }
}

/** Serve `dir` on 127.0.0.1. `failPaths`: paths answered with HTTP 500 (failure tests);
 * `overrides`: path → body served instead of a file (benchmarks, tests); `routes(path)`: a
 * `{ type, body }` to serve for a path, or nothing; `onServe(path, body)`: called for every
 * file served. The CSP's img-src admits the tile host of a configured basemap; its
 * frame-ancestors are those of `embed.json` (or of `embed`, an embedding configuration that
 * is then also served as /embed.json). `csp: false` sends no Content-Security-Policy header (the
 * page's own <meta> policy alone then applies); `prefix` (e.g. '/atlas'): the site is served
 * under that path only, as on a host that serves it from a sub-path. */
export function startServer(dir, port = 0, { failPaths = [], overrides = {}, routes = null, onServe = null, embed = null, csp: sendCsp = true, prefix = '' } = {}) {
  const root = resolve(dir);
  const tiles = basemapImgSrc(root);
  const config = embed || readEmbedConfig(root);
  if (embed) overrides = { ...overrides, '/embed.json': JSON.stringify(embed) };
  const policy = `${tiles ? CSP.replace("img-src 'self' data:", `img-src 'self' data: ${tiles}`) : CSP}; ${frameAncestors(config)}`;
  // The headers of a file served: the policy unless `csp: false`.
  const withCsp = (headers) => (sendCsp ? { ...headers, 'content-security-policy': policy } : headers);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      let path = decodeURIComponent(url.pathname);
      if (prefix) {
        // Only under the prefix, as a host that serves the site from a sub-path.
        if (path !== prefix && !path.startsWith(`${prefix}/`)) {
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('not under the site\'s path');
          return;
        }
        path = path.slice(prefix.length) || '/';
      }
      const routed = routes?.(path);
      if (routed) {
        res.writeHead(200, withCsp({ 'content-type': routed.type, 'cache-control': 'no-cache' }));
        res.end(routed.body);
        return;
      }
      if (failPaths.some((p) => path.endsWith(p))) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('injected failure');
        return;
      }
      if (path.endsWith('/')) path += 'index.html';
      if (overrides[path] !== undefined) {
        const body = Buffer.from(overrides[path]);
        onServe?.(path, body);
        res.writeHead(200, withCsp({ 'content-type': TYPES[extname(path)] || 'application/octet-stream', 'cache-control': 'no-cache' }));
        res.end(body);
        return;
      }
      const file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
      const info = await stat(file);
      if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      const body = await readFile(file);
      onServe?.(path, body);
      res.writeHead(200, withCsp({
        'content-type': TYPES[extname(file)] || 'application/octet-stream',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      }));
      res.end(body);
    } catch (e) {
      res.writeHead(e.code === 'ENOENT' ? 404 : 500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(e.code === 'ENOENT' ? 'not found' : 'server error');
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

/** Serve the example host pages of `dir` (examples/) as another site would: `{{ATLAS}}` in
 * them is replaced by the map site's address (`atlas()`, read at each request), and their CSP
 * lets them load the loader and frame the map from there. `pages`: path → HTML served too. */
export function startHostServer(dir, port = 0, atlas, pages = {}) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let path = decodeURIComponent(url.pathname);
    if (path === '/') path = '/host.html';
    let body = pages[path] ?? null;
    if (body === null && /^\/[a-z0-9-]+\.html$/.test(path)) {
      try { body = readFileSync(join(root, path), 'utf8'); } catch { body = null; }
    }
    if (body === null) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    const map = new URL(atlas()).origin;
    res.writeHead(200, {
      'content-type': TYPES['.html'],
      'content-security-policy': `default-src 'self'; script-src 'self' 'unsafe-inline' ${map}; frame-src ${map}; style-src 'self' 'unsafe-inline'`,
      'cache-control': 'no-cache',
    });
    res.end(body.replaceAll('{{ATLAS}}', atlas()));
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === '--host') {
  // node tests/e2e/server.mjs --host examples 8081 http://127.0.0.1:8080/
  const [, dir = 'examples', port = '8081', atlas = 'http://127.0.0.1:8080/'] = process.argv.slice(2);
  const server = await startHostServer(dir, Number(port), () => atlas);
  console.log(`Example host page on http://127.0.0.1:${server.address().port}/ embedding ${atlas}`);
} else if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir = 'dist', port = '8080'] = process.argv.slice(2);
  const server = await startServer(dir, Number(port));
  console.log(`Plan Atlas on http://127.0.0.1:${server.address().port}/ (Ctrl-C to stop)`);
}
