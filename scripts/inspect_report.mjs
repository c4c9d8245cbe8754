// Prints one line per module from `lazylink inspect --json` outputs.
import fs from 'node:fs';

const rows = process.argv.slice(2).map((file) => {
  const m = JSON.parse(fs.readFileSync(file, 'utf8'));
  const imports = m.imports ?? [];
  const count = (role) => imports.filter((i) => i.role === role).length;
  return {
    module: m.file,
    bytes: m.size,
    memory: m.dylink?.mem_info?.memory_size ?? 0,
    table: m.dylink?.mem_info?.table_size ?? 0,
    needed: (m.dylink?.needed ?? []).join(' ') || '-',
    funcs: imports.filter((i) => i.kind === 'func').length,
    gotMem: count('got-mem'),
    gotFunc: count('got-func'),
    exports: (m.exports ?? []).length,
  };
});
const cols = ['module', 'bytes', 'memory', 'table', 'funcs', 'gotMem', 'gotFunc', 'exports', 'needed'];
const head = { module: 'module', bytes: 'bytes', memory: 'data', table: 'slots', funcs: 'fn imports',
  gotMem: 'GOT.mem', gotFunc: 'GOT.func', exports: 'exports', needed: 'NEEDED' };
const width = Object.fromEntries(cols.map((c) => [c, Math.max(head[c].length, ...rows.map((r) => String(r[c]).length))]));
const line = (r) => cols.map((c) => (typeof r[c] === 'number' ? String(r[c]).padStart(width[c]) : String(r[c]).padEnd(width[c]))).join('  ');
console.log(line(head));
for (const r of rows.sort((a, b) => a.module.localeCompare(b.module))) console.log(line(r));
