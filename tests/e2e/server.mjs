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

/** Serve `dir` on 127.0.0.1. `failPaths`: paths answered with HTTP 500 (failure tests);
 * `overrides`: path → body served instead of a file (benchmarks, tests); `routes(path)`: a
 * `{ type, body }` to serve for a path, or nothing; `onServe(path, body)`: called for every
 * file served. The CSP's img-src admits the tile host of a configured basemap. */
export function startServer(dir, port = 0, { failPaths = [], overrides = {}, routes = null, onServe = null } = {}) {
  const root = resolve(dir);
  const tiles = basemapImgSrc(root);
  const csp = tiles ? CSP.replace("img-src 'self' data:", `img-src 'self' data: ${tiles}`) : CSP;
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      let path = decodeURIComponent(url.pathname);
      const routed = routes?.(path);
      if (routed) {
        res.writeHead(200, { 'content-type': routed.type, 'content-security-policy': csp, 'cache-control': 'no-cache' });
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
        res.writeHead(200, { 'content-type': TYPES[extname(path)] || 'application/octet-stream', 'content-security-policy': csp, 'cache-control': 'no-cache' });
        res.end(body);
        return;
      }
      const file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
      const info = await stat(file);
      if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      const body = await readFile(file);
      onServe?.(path, body);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] || 'application/octet-stream',
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      });
      res.end(body);
    } catch (e) {
      res.writeHead(e.code === 'ENOENT' ? 404 : 500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(e.code === 'ENOENT' ? 'not found' : 'server error');
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir = 'dist', port = '8080'] = process.argv.slice(2);
  const server = await startServer(dir, Number(port));
  console.log(`Plan Atlas on http://127.0.0.1:${server.address().port}/ (Ctrl-C to stop)`);
}
