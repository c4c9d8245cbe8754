#!/usr/bin/env node
// Two diagnostic variants of the split start-up site (not what lazylink
// ships), to see how far the loader is from what the page and network allow:
//   bare    no loader at all: the page's one script fetches the manifest
//           and the eager modules (preloaded by the same hints) and compiles
//           the modules. "main" is when that is done: a lower bound for any
//           loader deployed as separate files.
//   bare-inline  bare with the manifest and eager modules inlined in the
//           page (base64): no request after the HTML.
//   inline  the split page with web/dist/lazylink.mjs inlined into its
//           module script (no separate fetch and import() of the bundle).
// Run after bench/startup/run.mjs has made build/bench-startup/split, then
// compare in one run:
//   node bench/startup/bound_sites.mjs --out build/exp
//   node bench/startup/run.mjs --no-proto --extra bare=build/exp/bare --extra bare-inline=build/exp/bare-inline --extra inline=build/exp/inline
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/browser.mjs';
import { parseArgs } from '../lib/driver.mjs';

const opts = parseArgs({ split: path.join(ROOT, 'build/bench-startup/split'), out: path.join(ROOT, 'build/exp') },
  'usage: bound_sites.mjs [--split SITE_DIR] [--out DIR]');
const split = path.resolve(opts.split);
const page = fs.readFileSync(path.join(split, 'index.html'), 'utf8');
const scriptStart = page.indexOf('<script type="module">');
const scriptEnd = page.indexOf('</script>', scriptStart) + '</script>'.length;
if (scriptStart < 0 || scriptEnd < scriptStart) throw new Error(`${split}/index.html: no module script`);
const withoutModulePreload = (html) => html.replace('<link rel="modulepreload" href="/web/dist/lazylink.mjs">\n', '');

function copySite(name) {
  const dir = path.join(path.resolve(opts.out), name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(split, dir, { recursive: true });
  return dir;
}

// bare
{
  const manifest = JSON.parse(fs.readFileSync(path.join(split, 'lazylink.json'), 'utf8'));
  const urls = Object.values(manifest.modules).filter((m) => m.policy === 'eager').map((m) => m.url);
  const script = `<script type="module">
  const marks = { script: performance.now() };
  const bytes = await Promise.all(${JSON.stringify(['lazylink.json', ...urls])}.map((u) => fetch(u).then((r) => r.arrayBuffer())));
  marks.bytes = performance.now();
  await Promise.all(bytes.slice(1).map((b) => WebAssembly.compile(b)));
  marks.main = marks.query = performance.now();
  window.__lazylinkResult = { ok: true, code: 0, marks, stdout: '', modules: [] };
</script>`;
  const dir = copySite('bare');
  fs.writeFileSync(path.join(dir, 'index.html'), withoutModulePreload(page.slice(0, scriptStart) + script + page.slice(scriptEnd)));
}

// bare-inline: like bare, with the manifest and the eager modules inlined
// in the page as base64 (no request after the HTML at all).
{
  const manifest = JSON.parse(fs.readFileSync(path.join(split, 'lazylink.json'), 'utf8'));
  const urls = Object.values(manifest.modules).filter((m) => m.policy === 'eager').map((m) => m.url);
  const b64 = urls.map((u) => fs.readFileSync(path.join(split, u)).toString('base64'));
  const script = `<script type="module">
  const marks = { script: performance.now() };
  const manifest = ${JSON.stringify(manifest)};
  const bytes = ${JSON.stringify(b64)}.map((s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0)));
  marks.bytes = performance.now();
  await Promise.all(bytes.map((b) => WebAssembly.compile(b)));
  marks.main = marks.query = performance.now() + 0 * Object.keys(manifest).length;
  window.__lazylinkResult = { ok: true, code: 0, marks, stdout: '', modules: [] };
</script>`;
  const dir = copySite('bare-inline');
  const head = page.slice(0, scriptStart).replace(/<link rel="preload"[^>]*>\n/g, '');
  fs.writeFileSync(path.join(dir, 'index.html'), withoutModulePreload(head + script + page.slice(scriptEnd)));
}

// inline
{
  const bundle = fs.readFileSync(path.join(ROOT, 'web/dist/lazylink.mjs'), 'utf8');
  const exportAt = bundle.lastIndexOf('export{');
  const loadName = /export\{[^}]*?([\w$]+) as load\b/.exec(bundle.slice(exportAt))?.[1];
  if (exportAt < 0 || !loadName) throw new Error('web/dist/lazylink.mjs: no `load` in its final export statement');
  const code = bundle.slice(0, exportAt)
    .replaceAll('import.meta.url', 'new URL("/web/dist/lazylink.mjs", location.href).href')
    .replaceAll('import("./lazylink-component-model.mjs")', 'import("/web/dist/lazylink-component-model.mjs")');
  if (code.includes('</script')) throw new Error('the bundle contains </script');
  const own = page.slice(scriptStart + '<script type="module">'.length, scriptEnd - '</script>'.length)
    .replace("const { load } = await import('/web/dist/lazylink.mjs');", `const load = ${loadName};`);
  const dir = copySite('inline');
  // The page's own code in a block: its names cannot clash with the bundle's.
  fs.writeFileSync(path.join(dir, 'index.html'), withoutModulePreload(
    `${page.slice(0, scriptStart)}<script type="module">\n${code}\n{${own}}\n</script>${page.slice(scriptEnd)}`));
}
console.log(`wrote ${['bare', 'bare-inline', 'inline'].map((n) => path.join(opts.out, n)).join(', ')}`);
