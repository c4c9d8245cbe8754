// What a manifest covers, and the limits of every request (docs/fetching.md,
// "Integrity" and "Limits"), under Node against a loopback server whose
// answers each test scripts (endless, slow, silent, oversized bodies):
// - a module the manifest does not list is refused without a request, by
//   fetch(), fetchSync() and load(), naming the module; a deleted manifest
//   entry never leads to the file beside the manifest being fetched (it is
//   fetched only with allowUnlisted, and then marked unverified);
// - a body is read no further than the manifest's size (an endless one
//   stops at the first chunk past it), a Content-Length over it is refused
//   before reading, and the file transport refuses FIFOs and devices;
// - a module sent a byte at a time fails after requestTimeoutMs;
// - the app's files (pack --files) are capped at their size the same way;
// - the manifest has a size cap (manifestMaxBytes, default 16 MiB) and an
//   overall deadline (manifestTimeoutMs), also against a server sending a
//   byte at a time.
//   node tests/net/limits_node.test.mjs <repo root> <modules dir>
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadCore } from '../../web/core.mjs';
import { load } from '../../web/lazylink.mjs';
import { packedFiles } from '../../web/files.mjs';
import { createModuleFetcher, FETCHER_DEFAULTS, KINDS, parseManifest } from '../../web/net/index.mjs';
import { runProgram } from '../../web/run.mjs';
import { makeSite } from './make_site.mjs';
import { suite } from './testlib.mjs';

const root = path.resolve(process.argv[2] || '.');
const modulesDir = path.resolve(process.argv[3] || path.join(root, 'build/wasm/tests/modules'));
const libstd = path.join(root, 'web/dist/libstd.wasm');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lazylink-limits-'));
const chain = ['chain_main.wasm', 'libchain_mid.wasm', 'libchain_base.wasm'].map((f) => path.join(modulesDir, f));
const site = makeSite({ dir: path.join(tmp, 'app'), modules: [...chain, libstd], main: 'chain_main.wasm' });
const core = await loadCore();
const NO_RETRY = { retries: 0 };

// The server: files under tmp, unless a test scripted the path.
const scripted = new Map();  // url path -> (req, res) => void
const log = [];
const open = new Set();
const server = http.createServer((req, res) => {
  const url = decodeURIComponent(req.url.split('?')[0]);
  log.push(url);
  open.add(res);
  res.on('close', () => open.delete(res));
  const handler = scripted.get(url);
  if (handler) return handler(req, res);
  const file = path.join(tmp, url);
  if (!file.startsWith(tmp + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/wasm' }).end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const manifestUrl = `${base}/app/lazylink.json`;
const moduleUrl = (name) => `/app/${site.manifest.modules[name].url}`;

function reset() {
  scripted.clear();
  log.length = 0;
}

// Writes `chunk` again and again until the client goes away; counts the bytes.
function endless(chunk, headers = {}) {
  const sent = { bytes: 0, closed: false };
  const handler = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/wasm', ...headers });
    res.on('close', () => { sent.closed = true; });
    const pump = () => {
      while (!sent.closed && !res.destroyed) {
        sent.bytes += chunk.length;
        if (!res.write(chunk)) return res.once('drain', pump);
      }
    };
    pump();
  };
  return { handler, sent };
}

async function waitFor(cond, ms = 2000) {
  const t0 = Date.now();
  while (!cond() && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 10));
  return cond();
}

const s = suite('net/limits');

s.test('a module the manifest does not list is refused without a request (fetch, fetchSync)', async (t) => {
  reset();
  fs.copyFileSync(path.join(modulesDir, 'libptrs.wasm'), path.join(site.dir, 'libextra.wasm'));
  const fetcher = await createModuleFetcher({ manifest: manifestUrl, core, retry: NO_RETRY });
  log.length = 0;
  const r = await fetcher.fetch({ name: 'libextra.wasm', requestedBy: 'chain_main.wasm', candidates: ['libextra.wasm'] });
  assert.equal(r.bytes, undefined);
  assert.equal(r.fetchError.kind, KINDS.UNLISTED);
  assert.equal(r.error, 'libextra.wasm: not in the manifest: refusing to load a module no hash ' +
    `covers; add it to the app (lazylink pack) or, for development only, pass allowUnlisted: true (${manifestUrl}, no HTTP response)`);
  const sync = fetcher.fetchSync({ name: 'libextra.wasm', requestedBy: '', candidates: ['libextra.wasm'] });
  assert.equal(sync.fetchError.kind, KINDS.UNLISTED);
  assert.deepEqual(log, [], 'no request was made');
  const fileFetcher = await createModuleFetcher({ manifest: site.manifestPath, core });
  const fsync = fileFetcher.fetchSync({ name: 'libextra.wasm', requestedBy: '', candidates: ['libextra.wasm'] });
  assert.equal(fsync.fetchError.kind, KINDS.UNLISTED, 'file: manifests too');
  t.log(r.error);
});

s.test('allowUnlisted (development only): the candidates are fetched, and marked unverified', async (t) => {
  reset();
  const fetcher = await createModuleFetcher({ manifest: manifestUrl, core, retry: NO_RETRY, allowUnlisted: true });
  log.length = 0;
  const r = await fetcher.fetch({ name: 'libextra.wasm', requestedBy: '', candidates: ['lib/libextra.wasm', 'libextra.wasm'] });
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.verified, false);
  assert.deepEqual(log, ['/app/lib/libextra.wasm', '/app/libextra.wasm']);
  t.log(`fetched from ${r.location}, verified: ${r.verified}`);
});

s.test('a deleted manifest entry: the app is refused, the altered file beside the manifest never fetched', async (t) => {
  reset();
  const dir = path.join(tmp, 'cut');
  const cut = makeSite({ dir, modules: [...chain, libstd], main: 'chain_main.wasm' });
  // Run it whole first: the same app, every entry present, exits 0.
  let whole = '';
  const good = await runProgram({
    main: 'chain_main.wasm', fetcher: await createModuleFetcher({ manifest: `${base}/cut/lazylink.json`, core, retry: NO_RETRY }),
    hostOptions: { stdout: (text) => { whole += text; } },
  });
  assert.equal(good.exitCode, 0);
  // Then without libchain_mid's entry, and another module under its name beside the manifest.
  const manifest = JSON.parse(fs.readFileSync(cut.manifestPath, 'utf8'));
  delete manifest.modules['libchain_mid.wasm'];
  fs.writeFileSync(cut.manifestPath, JSON.stringify(manifest));
  fs.copyFileSync(path.join(modulesDir, 'libchain_base.wasm'), path.join(dir, 'libchain_mid.wasm'));
  log.length = 0;
  const fetcher = await createModuleFetcher({ manifest: `${base}/cut/lazylink.json`, core, retry: NO_RETRY });
  let out = '';
  let error = null;
  try {
    const r = await runProgram({ main: 'chain_main.wasm', fetcher, hostOptions: { stdout: (text) => { out += text; } } });
    error = r.error ?? `exit ${r.exitCode}`;
  } catch (e) {
    error = e;
  }
  assert.match(String(error?.message ?? error), /libchain_mid\.wasm: not in the manifest: refusing to load a module no hash covers.*\(needed by chain_main\.wasm\)/);
  assert.equal(out, '', 'nothing of the app ran');
  assert.ok(!log.some((p) => p.endsWith('/libchain_mid.wasm')), `requests: ${log.join(', ')}`);
  // load(), the page's entry point, the same.
  log.length = 0;
  await assert.rejects(load(`${base}/cut/lazylink.json`, { core, retry: NO_RETRY, stdout: (text) => { out += text; } }),
    /libchain_mid\.wasm: not in the manifest/);
  assert.equal(out, '');
  assert.ok(!log.some((p) => p.endsWith('/libchain_mid.wasm')), `requests: ${log.join(', ')}`);
  t.log(`whole app printed ${JSON.stringify(whole.trim())}; cut: ${String(error?.message ?? error).split('\n')[0]}`);
});

s.test('an endless body stops at the first chunk past the manifest\'s size (and so does the engine\'s branch)', async (t) => {
  reset();
  const name = 'libchain_base.wasm';
  const size = site.manifest.modules[name].size;
  const good = fs.readFileSync(site.files[name]);
  const e = endless(good);  // the right bytes, then the same again, forever
  scripted.set(moduleUrl(name), e.handler);
  const fetcher = await createModuleFetcher({ manifest: manifestUrl, core, retry: NO_RETRY, cache: false });
  const t0 = Date.now();
  const r = await fetcher.fetch({ name, requestedBy: '', candidates: [name] });
  const ms = Date.now() - t0;
  assert.equal(r.fetchError?.kind, KINDS.TOO_LARGE, r.error);
  assert.match(r.error, new RegExp(`^${name}: the body is longer than the manifest's size of ${size} bytes \\(\\d+ bytes received\\)`));
  assert.ok(r.fetchError.loaded > size && r.fetchError.loaded <= size + (1 << 20), `received ${r.fetchError.loaded}`);
  assert.ok(await waitFor(() => e.sent.closed), 'the connection was closed');
  const sentAtClose = e.sent.bytes;
  assert.ok(sentAtClose < 64 << 20, `the server wrote ${sentAtClose} bytes`);
  t.log(`refused after ${ms} ms: ${r.fetchError.loaded} bytes received (size ${size}), server wrote ${sentAtClose} bytes before the close`);
});

s.test('a Content-Length over the manifest\'s size is refused before the body is read', async (t) => {
  reset();
  const name = 'libchain_base.wasm';
  const size = site.manifest.modules[name].size;
  scripted.set(moduleUrl(name), (req, res) => {
    res.writeHead(200, { 'content-length': String(size + 10) });
    res.end(Buffer.concat([fs.readFileSync(site.files[name]), Buffer.alloc(10)]));
  });
  const fetcher = await createModuleFetcher({ manifest: manifestUrl, core, retry: NO_RETRY, cache: false });
  const r = await fetcher.fetch({ name, requestedBy: '', candidates: [name] });
  assert.equal(r.fetchError?.kind, KINDS.TOO_LARGE, r.error);
  assert.equal(r.fetchError.loaded, 0);
  assert.match(r.error, new RegExp(`the body is longer than the manifest's size of ${size} bytes \\(the server announces ${size + 10}\\)`));
  t.log(r.error);
});

s.test('the file transport refuses a FIFO and a device instead of waiting or reading forever', async (t) => {
  const dir = path.join(tmp, 'special');
  const special = makeSite({ dir, modules: [...chain, libstd], main: 'chain_main.wasm' });
  const manifest = JSON.parse(fs.readFileSync(special.manifestPath, 'utf8'));
  execFileSync('mkfifo', [path.join(dir, 'pipe.wasm')]);
  manifest.modules['libchain_base.wasm'].url = 'pipe.wasm';
  manifest.modules['libchain_mid.wasm'].url = 'file:///dev/zero';
  fs.writeFileSync(special.manifestPath, JSON.stringify(manifest));
  const fetcher = await createModuleFetcher({ manifest: special.manifestPath, core, retry: NO_RETRY, cache: false });
  for (const [name, shown] of [['libchain_base.wasm', path.join(dir, 'pipe.wasm')], ['libchain_mid.wasm', '/dev/zero']]) {
    const r = await fetcher.fetch({ name, requestedBy: '', candidates: [name] });
    assert.equal(r.error, `${name}: not a regular file (a directory, FIFO or device) (${shown}, file system)`);
    const sync = fetcher.fetchSync({ name, requestedBy: '', candidates: [name] });
    assert.equal(sync.error, r.error);
  }
  const fifoManifest = path.join(dir, 'manifest-pipe.json');
  execFileSync('mkfifo', [fifoManifest]);
  await assert.rejects(createModuleFetcher({ manifest: fifoManifest, core }), /manifest-pipe\.json: not a regular file/);
  t.log('FIFO and /dev/zero refused by fetch, fetchSync and as the manifest');
});

s.test('a module sent a byte at a time: the stall timer never fires, requestTimeoutMs does', async (t) => {
  reset();
  const name = 'libchain_base.wasm';
  const good = fs.readFileSync(site.files[name]);
  scripted.set(moduleUrl(name), (req, res) => {
    res.writeHead(200, { 'content-type': 'application/wasm' });
    let at = 0;
    const timer = setInterval(() => { if (at < good.length) res.write(good.subarray(at, ++at)); }, 20);
    res.on('close', () => clearInterval(timer));
  });
  assert.equal(FETCHER_DEFAULTS.requestTimeoutMs, 300_000);
  const fetcher = await createModuleFetcher({ manifest: manifestUrl, core, retry: NO_RETRY, cache: false,
                                              stallTimeoutMs: 200, requestTimeoutMs: 600 });
  const t0 = Date.now();
  const r = await fetcher.fetch({ name, requestedBy: '', candidates: [name] });
  const ms = Date.now() - t0;
  assert.equal(r.fetchError?.kind, KINDS.TIMEOUT, r.error);
  assert.match(r.error, new RegExp(`^${name}: not complete within 600 ms \\(option requestTimeoutMs\\), after \\d+ bytes`));
  assert.ok(ms >= 590 && ms < 3000, `${ms} ms`);
  t.log(`${r.error.split(' (http')[0]} (${ms} ms)`);
});

s.test('the app\'s files (pack --files) are read no further than their manifest size, regular files only', async (t) => {
  reset();
  const text = Buffer.from('hello, file\n');
  const sha256 = crypto.createHash('sha256').update(text).digest('hex');
  const files = { '/data/a.txt': { url: 'a.txt', sha256, size: text.length, policy: 'eager' } };
  const doc = { ...site.manifest, files };
  // Over HTTP (fetched before main): an endless body stops.
  const e = endless(text);
  scripted.set('/app/a.txt', e.handler);
  await assert.rejects(packedFiles(parseManifest(doc, manifestUrl), { getCore: async () => core }), (err) => {
    assert.equal(err.kind, KINDS.TOO_LARGE);
    assert.match(err.message, new RegExp(`^/data/a\\.txt: the body is longer than the manifest's size of ${text.length} bytes`));
    return true;
  });
  assert.ok(await waitFor(() => e.sent.closed));
  // The same bytes, exactly: accepted.
  scripted.set('/app/a.txt', (req, res) => res.writeHead(200).end(text));
  const [ok] = await packedFiles(parseManifest(doc, manifestUrl), { getCore: async () => core });
  assert.deepEqual(Buffer.from(ok.bytes), text);
  // From the file system (read on first open): a larger file and a FIFO refused before reading.
  const dir = path.join(tmp, 'files');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'a.txt'), Buffer.concat([text, text]));
  execFileSync('mkfifo', [path.join(dir, 'b.txt')]);
  const lazy = { '/data/a.txt': { ...files['/data/a.txt'], policy: 'lazy' }, '/data/b.txt': { ...files['/data/a.txt'], url: 'b.txt', policy: 'lazy' } };
  const entries = await packedFiles(parseManifest({ ...site.manifest, files: lazy }, `file://${dir}/lazylink.json`), { stderr: () => {} });
  const errors = entries.map((f) => { try { f.load(); return 'loaded'; } catch (err) { return err.message; } });
  assert.match(errors[0], /the file has 24 bytes, more than the manifest's size of 12 bytes/);
  assert.match(errors[1], /not a regular file/);
  t.log(`HTTP: endless body refused, the server wrote ${e.sent.bytes} bytes; file system: ${errors.join('; ')}`);
});

s.test('the manifest: an endless one stops at manifestMaxBytes (default 16 MiB), a larger Content-Length at once', async (t) => {
  reset();
  assert.equal(FETCHER_DEFAULTS.manifestMaxBytes, 16 * 2 ** 20);
  const e = endless(Buffer.alloc(1 << 16, 0x20));
  scripted.set('/big/lazylink.json', e.handler);
  const t0 = Date.now();
  await assert.rejects(createModuleFetcher({ manifest: `${base}/big/lazylink.json`, core, retry: NO_RETRY }), (err) => {
    assert.equal(err.kind, KINDS.TOO_LARGE);
    assert.match(err.message, /^lazylink\.json: the body is larger than the limit of 16777216 bytes \(\d+ bytes received; option manifestMaxBytes\)/);
    return true;
  });
  assert.ok(await waitFor(() => e.sent.closed));
  t.log(`endless manifest refused after ${Date.now() - t0} ms, the server wrote ${e.sent.bytes} bytes`);
  scripted.set('/big/lazylink.json', (req, res) => res.writeHead(200, { 'content-length': String(200 << 20) }).end());
  await assert.rejects(createModuleFetcher({ manifest: `${base}/big/lazylink.json`, core, retry: NO_RETRY, manifestMaxBytes: 1000 }),
    /the body is larger than the limit of 1000 bytes \(the server announces 209715200; option manifestMaxBytes\)/);
});

s.test('the manifest request has an overall deadline: no answer, or a byte at a time', async (t) => {
  reset();
  scripted.set('/silent/lazylink.json', () => {});  // never answers
  scripted.set('/slow/lazylink.json', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => res.write(' '), 50);
    res.on('close', () => clearInterval(timer));
  });
  assert.equal(FETCHER_DEFAULTS.manifestTimeoutMs, 30_000);
  for (const where of ['silent', 'slow']) {
    const t0 = Date.now();
    await assert.rejects(createModuleFetcher({ manifest: `${base}/${where}/lazylink.json`, core, manifestTimeoutMs: 400 }), (err) => {
      assert.equal(err.kind, KINDS.TIMEOUT);
      assert.equal(err.message, `lazylink.json: no complete manifest within 400 ms (option manifestTimeoutMs) (${base}/${where}/lazylink.json, no HTTP response)`);
      return true;
    });
    const ms = Date.now() - t0;
    assert.ok(ms >= 390 && ms < 3000, `${where}: ${ms} ms`);
    t.log(`${where}: refused after ${ms} ms`);
  }
  // load() passes the option on.
  await assert.rejects(load(`${base}/silent/lazylink.json`, { core, manifestTimeoutMs: 200 }), /no complete manifest within 200 ms/);
});

const ok = await s.run();
for (const res of open) res.destroy();
server.closeAllConnections?.();
await new Promise((resolve) => server.close(resolve));
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
