// lazylink's development server: static files with the right MIME types and
// caching headers, optional network throttling, a request log, and fault
// injection for tests. Used by `lazylink serve`, the demo and the browser
// tests.
//
//   import { startServer } from './server.mjs';
//   const srv = await startServer({ mounts: { '/': 'demo/site' }, port: 8080 });
//   srv.setThrottle({ kbps: 10_000, latencyMs: 40 });
//   srv.setFault('/app/libsqlite.*.wasm', { status: 500, times: 1 });
//   console.log(srv.url, srv.requests);
//   await srv.close();
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';

const MIME = {
  '.wasm': 'application/wasm',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.wit': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
};

// Named throttle profiles (the demo's selector). kbps is kilobits per second.
export const THROTTLE_PROFILES = {
  none: null,
  '10mbit': { kbps: 10_000, latencyMs: 40 },
  '3g': { kbps: 1_600, latencyMs: 150 },
};

// Types worth compressing (when the server compresses: `compress: true`).
const COMPRESSIBLE = new Set(['.wasm', '.js', '.mjs', '.json', '.html', '.css', '.svg', '.txt', '.wit', '.map']);

// Content-hashed names (`name.<16+ hex>.ext`) never change: cache forever.
const HASHED = /\.[0-9a-f]{16,}\.[a-z0-9]+$/;

function globToRegExp(glob) {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '.');
  return new RegExp(`^${esc}$`);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startServer(options = {}) {
  const mounts = Object.entries(options.mounts || { '/': options.root || '.' })
    .map(([prefix, dir]) => [prefix.endsWith('/') ? prefix : prefix + '/', path.resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const state = {
    throttle: options.throttle || null,
    faults: [],  // { re, pattern, rule, hits }
    requests: [],
    // Content-Encoding as a production server would (brotli or gzip, as the
    // client accepts); off by default so tests see the bytes of the files.
    compress: options.compress === true,
    compressed: new Map(),  // file -> { etag, encoding, body }
    quiet: options.quiet !== false,
  };

  function resolveFile(urlPath) {
    for (const [prefix, dir] of mounts) {
      // A mount can also be a single file ('/demo-info.json': 'build/x.json').
      if (urlPath === prefix.slice(0, -1) && fs.existsSync(dir) && fs.statSync(dir).isFile()) return dir;
      if (urlPath === prefix.slice(0, -1) || urlPath.startsWith(prefix)) {
        let rel = urlPath.slice(prefix.length);
        if (rel === '' || rel.endsWith('/')) rel += 'index.html';
        const file = path.resolve(dir, rel);
        if (file !== dir && !file.startsWith(dir + path.sep)) return null;  // no escaping the mount
        return file;
      }
    }
    return null;
  }

  function findFault(urlPath) {
    for (const f of state.faults) {
      if (!f.re.test(urlPath)) continue;
      if (f.rule.times !== undefined && f.hits >= f.rule.times) continue;
      f.hits++;
      return f.rule;
    }
    return null;
  }

  async function writeBody(res, body, fault) {
    const t = state.throttle;
    const bytesPerMs = t && t.kbps ? (t.kbps * 1000) / 8 / 1000 : Infinity;
    const chunk = bytesPerMs === Infinity ? body.length : Math.max(1024, Math.floor(bytesPerMs * 20));
    let sent = 0;
    while (sent < body.length) {
      if (fault && fault.dropAfter !== undefined && sent + chunk > fault.dropAfter) {
        res.write(body.subarray(sent, fault.dropAfter));
        await sleep(10);
        res.socket.destroy();  // connection dropped mid-body
        return false;
      }
      const piece = body.subarray(sent, sent + chunk);
      if (!res.write(piece)) await new Promise((r) => res.once('drain', r));
      sent += piece.length;
      if (bytesPerMs !== Infinity) await sleep(piece.length / bytesPerMs);
    }
    res.end();
    return true;
  }

  async function handleControl(req, res, urlPath) {
    let body = '';
    for await (const c of req) body += c;
    const json = body ? JSON.parse(body) : {};
    const send = (obj) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(obj));
    };
    switch (urlPath) {
      case '/__lazylink/requests': return send(state.requests);
      case '/__lazylink/reset': state.requests = []; state.faults = []; return send({ ok: true });
      case '/__lazylink/clear-log': state.requests = []; return send({ ok: true });
      case '/__lazylink/throttle':
        state.throttle = typeof json.profile === 'string' ? THROTTLE_PROFILES[json.profile] ?? null
                                                          : (json.kbps ? json : null);
        return send({ throttle: state.throttle });
      case '/__lazylink/fault': api.setFault(json.pattern, json.rule); return send({ ok: true });
      default:
        res.writeHead(404); res.end();
    }
  }

  async function handle(req, res) {
    const started = Date.now();
    const url = new URL(req.url, 'http://localhost');
    const urlPath = decodeURIComponent(url.pathname);
    if (urlPath.startsWith('/__lazylink/')) return handleControl(req, res, urlPath);

    const entry = { method: req.method, path: urlPath, status: 0, bytes: 0, t: started };
    state.requests.push(entry);
    const finish = (status, bytes) => {
      entry.status = status;
      entry.bytes = bytes;
      entry.ms = Date.now() - started;
      if (!state.quiet) console.log(`${req.method} ${urlPath} ${status} ${bytes}B ${entry.ms}ms`);
    };

    const fault = findFault(urlPath);
    if (state.throttle && state.throttle.latencyMs) await sleep(state.throttle.latencyMs);
    if (fault && fault.delayMs) await sleep(fault.delayMs);
    if (fault && fault.status) {
      res.writeHead(fault.status, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      res.end(`injected ${fault.status}`);
      return finish(fault.status, 0);
    }

    const file = resolveFile(urlPath);
    let stat = null;
    try {
      stat = file && fs.statSync(file);
      if (stat && stat.isDirectory()) stat = null;
    } catch { stat = null; }
    if (!stat && urlPath === '/favicon.ico') {
      res.writeHead(204, { 'cache-control': 'public, max-age=86400' });
      res.end();
      return finish(204, 0);
    }
    if (!stat) {
      res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      res.end('not found');
      return finish(404, 0);
    }

    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const headers = {
      'content-type': MIME[path.extname(file).toLowerCase()] || 'application/octet-stream',
      'cache-control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag,
      'access-control-allow-origin': '*',
    };
    if (req.headers['if-none-match'] === etag && !fault) {
      res.writeHead(304, headers);
      res.end();
      return finish(304, 0);
    }
    let body = fs.readFileSync(file);
    if (fault && fault.corrupt) {
      body = Buffer.from(body);
      for (let i = Math.floor(body.length / 2); i < Math.min(body.length, Math.floor(body.length / 2) + 16); i++) body[i] ^= 0xff;
    }
    if (state.compress && !fault && COMPRESSIBLE.has(path.extname(file).toLowerCase()) && body.length > 1024) {
      const accept = String(req.headers['accept-encoding'] || '');
      const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
      if (encoding) {
        const key = `${file}\0${encoding}`;
        let c = state.compressed.get(key);
        if (!c || c.etag !== etag) {
          const packed = encoding === 'br'
            ? zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
                                                        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
            : zlib.gzipSync(body, { level: 9 });
          c = { etag, body: packed };
          state.compressed.set(key, c);
        }
        body = c.body;
        headers['content-encoding'] = encoding;
      }
      headers.vary = 'accept-encoding';
    }
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') { res.end(); return finish(200, 0); }
    const complete = await writeBody(res, body, fault);
    finish(complete ? 200 : 'dropped', complete ? body.length : fault.dropAfter);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      try { res.writeHead(500); res.end(String(e)); } catch { /* socket gone */ }
    });
  });
  const host = options.host || '127.0.0.1';
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

  const api = {
    url: `http://${host}:${server.address().port}`,
    port: server.address().port,
    get requests() { return state.requests; },
    clearLog() { state.requests = []; },
    setCompress(on) { state.compress = !!on; },
    setThrottle(t) { state.throttle = typeof t === 'string' ? THROTTLE_PROFILES[t] ?? null : t; },
    // rule: { status, times, dropAfter, corrupt, delayMs }; pattern: a path glob.
    setFault(pattern, rule) { state.faults.push({ re: globToRegExp(pattern), pattern, rule, hits: 0 }); },
    clearFaults() { state.faults = []; },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
  return api;
}
