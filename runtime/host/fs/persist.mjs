// Directories of an app's file system that survive a page reload:
// load(url, { persist: ['/data'] }) (web/lazylink.mjs). Their content is
// kept in IndexedDB (one database per app, one record per path) and put
// back before main runs; while the program runs, every change to the file
// system schedules a write of what changed under those directories, in the
// background (IndexedDB is asynchronous: nothing blocks the program or the
// main thread). `flush()` resolves when everything written so far is
// stored (App.run awaits it when main returns).
import { MemDir, MemFile, MemLink } from './memfs.mjs';

const STORE = 'entries';

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function transactionDone(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

const normalize = (p) => `/${p.split('/').filter(Boolean).join('/')}`;

// Opens the app's database and reads what is stored under `dirs`.
// -> { dirs, db, records: [{path, type, mode, mtime, data?, target?}] }
export async function openPersistence(appKey, dirs, { indexedDB = globalThis.indexedDB } = {}) {
  if (!indexedDB) throw new Error('persist: this platform has no IndexedDB (persistent directories work in browsers)');
  const roots = dirs.map(normalize);
  for (const r of roots) if (r === '/') throw new Error('persist: name directories, not "/"');
  const open = indexedDB.open(`lazylink-fs ${appKey}`, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  const db = await request(open);
  const tx = db.transaction(STORE, 'readonly');
  const [keys, values] = await Promise.all([request(tx.objectStore(STORE).getAllKeys()),
    request(tx.objectStore(STORE).getAll())]);
  const under = (p) => roots.some((r) => p === r || p.startsWith(`${r}/`));
  const records = keys.map((k, i) => ({ path: k, ...values[i] })).filter((r) => under(r.path))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  return { dirs: roots, db, records };
}

// Puts the stored records into fs (a vfs.mjs FileSystem) and starts
// following changes. Returns { flush() }.
export function attachPersistence(fs, { dirs, db, records }, { onError = () => {} } = {}) {
  const ensureDir = (path) => path.split('/').filter(Boolean).reduce((dir, name) => {
    let next = dir.lookup(name);
    if (!next) next = dir.mkdir(name, 0o777);
    return next.mount ?? next;
  }, fs.root);
  for (const d of dirs) ensureDir(d);
  for (const r of records) {
    const slash = r.path.lastIndexOf('/');
    const parent = ensureDir(r.path.slice(0, slash));
    const name = r.path.slice(slash + 1);
    if (!name || parent.lookup(name)) continue;
    if (r.type === 'dir') parent.mkdir(name, r.mode);
    else if (r.type === 'link') parent.symlink(name, r.target);
    else parent.add(name, new MemFile(r.mode, new Uint8Array(r.data)));
    const node = parent.lookup(name);
    node.mtime = r.mtime;
  }

  // What was stored last: path -> {node, version}.
  let stored = new Map();
  const snapshot = () => {
    const out = new Map();
    const walk = (dir, path) => {
      for (const [name, node] of dir.children) {
        const p = `${path}/${name}`;
        out.set(p, node);
        if (node instanceof MemDir) walk(node, p);
      }
    };
    for (const d of dirs) {
      let r = null;
      try { r = fs.resolve(d); } catch { /* removed by the program */ }
      if (r && r.node instanceof MemDir) walk(r.node, d);
    }
    return out;
  };
  stored = new Map([...snapshot()].map(([p, node]) => [p, { node, version: node.version ?? 0, mtime: node.mtime }]));

  let scheduled = null;
  let writing = Promise.resolve();
  const sync = () => {
    scheduled = null;
    const now = snapshot();
    const puts = [];
    const deletes = [];
    for (const [p, node] of now) {
      const old = stored.get(p);
      const version = node.version ?? 0;
      if (old && old.node === node && old.version === version && old.mtime === node.mtime) continue;
      const rec = { type: node instanceof MemDir ? 'dir' : node instanceof MemLink ? 'link' : 'file',
        mode: node.perm, mtime: node.mtime };
      if (node instanceof MemLink) rec.target = node.target;
      else if (node instanceof MemFile) rec.data = node.bytes();
      else if (!(node instanceof MemDir)) continue;  // devices are not stored
      puts.push([p, rec]);
    }
    for (const p of stored.keys()) if (!now.has(p)) deletes.push(p);
    stored = new Map([...now].map(([p, node]) => [p, { node, version: node.version ?? 0, mtime: node.mtime }]));
    if (!puts.length && !deletes.length) return;
    writing = writing.then(async () => {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      for (const p of deletes) store.delete(p);
      for (const [p, rec] of puts) store.put(rec, p);
      await transactionDone(tx);
    }).catch((e) => onError(e));
  };
  fs.onChange = () => {
    if (!scheduled) scheduled = setTimeout(sync, 0);
  };
  return {
    flush() {
      if (scheduled) {
        clearTimeout(scheduled);
        sync();
      }
      return writing;
    },
  };
}
