#!/usr/bin/env node
// Checks that `lazylink inspect --json` agrees with `wasm-objdump -x` (wabt)
// on every import, export and dylink field of every module given.
//
//   node inspect_vs_objdump.mjs --lazylink build/bin/lazylink \
//        [--objdump wasm-objdump] FILE.wasm|DIR...
//
// Directories are searched (not recursively) for *.wasm. Exits 1 on any
// disagreement (listing them), 2 on a usage or tool error, and prints how
// many fields it compared. Fields wabt does not print (dylink.0
// RUNTIME_PATH, unknown subsections, symbol flags above 0x1ff) are not
// compared; the JSON schema is docs/inspect-json.md.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';

function usage(msg) {
  console.error(`inspect_vs_objdump: ${msg}`);
  console.error('usage: inspect_vs_objdump.mjs --lazylink BIN [--objdump BIN] FILE.wasm|DIR...');
  process.exit(2);
}

const args = process.argv.slice(2);
let lazylink = null;
let objdump = 'wasm-objdump';
const inputs = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--lazylink') lazylink = args[++i];
  else if (args[i] === '--objdump') objdump = args[++i];
  else inputs.push(args[i]);
}
if (!lazylink) usage('--lazylink is required');
if (inputs.length === 0) usage('no modules given');

const files = [];
for (const input of inputs) {
  let st;
  try {
    st = statSync(input);
  } catch {
    usage(`${input} does not exist (build the Emscripten configuration first)`);
  }
  if (st.isDirectory()) {
    for (const name of readdirSync(input).sort()) {
      if (name.endsWith('.wasm')) files.push(join(input, name));
    }
  } else {
    files.push(input);
  }
}
if (files.length === 0) usage(`no .wasm files in ${inputs.join(', ')}`);

function run(bin, argv) {
  try {
    return execFileSync(bin, argv, { encoding: 'utf8', maxBuffer: 1 << 30 });
  } catch (e) {
    console.error(`inspect_vs_objdump: ${bin} ${argv.join(' ')} failed:\n${e.stderr || e.message}`);
    process.exit(2);
  }
}

// --- wasm-objdump -x, parsed into the same shape as our JSON ------------------

// wabt's symbol flag words for a flags value, or null when wabt cannot
// print them (it stops at flags it does not know).
function wabtFlagWords(flags) {
  if (flags & ~0x1ff) return null;
  const words = [];
  if (flags & 0x10) words.push('undefined');
  if (flags & 0x20) words.push('exported');
  if (flags & 0x40) words.push('explicit_name');
  if (flags & 0x80) words.push('no_strip');
  if (flags & 0x100) words.push('tls');
  words.push('binding=' + ['global', 'weak', 'local', '(null)'][flags & 3]);
  words.push('vis=' + (flags & 4 ? 'hidden' : 'default'));
  return words.sort().join(' ');
}

function parseObjdump(text) {
  const out = {
    counts: {},
    dylink: null,
    imports: [],
    exports: [],
    start: null,
    functionNames: new Map(),
  };
  let section = null;
  let custom = null;
  let list = null; // the dylink list being read: needed, exports, imports
  for (const line of text.split('\n')) {
    const header = /^(\w+)(?:\[(\d+)\])?:$/.exec(line);
    if (header) {
      section = header[1];
      custom = null;
      list = null;
      if (header[2] !== undefined) out.counts[section] = Number(header[2]);
      continue;
    }
    if (section === 'Custom') {
      let m;
      if ((m = /^ - name: "(.*)"$/.exec(line))) {
        custom = m[1];
        if (custom === 'dylink.0' || custom === 'dylink') {
          out.dylink = { section: custom, mem_info: {}, needed: [], export_info: [], import_info: [] };
        }
        continue;
      }
      if ((custom === 'dylink.0' || custom === 'dylink') && out.dylink) {
        const d = out.dylink;
        if ((m = /^ - (mem_size|mem_p2align|table_size|table_p2align)\s*: (\d+)$/.exec(line))) {
          d.mem_info[m[1]] = Number(m[2]);
        } else if ((m = /^ - (needed_dynlibs|exports|imports)\[(\d+)\]:$/.exec(line))) {
          list = m[1];
          d[`${list}_count`] = Number(m[2]);
        } else if ((m = /^  - (.*)$/.exec(line)) && list === 'needed_dynlibs') {
          d.needed.push(m[1]);
        } else if ((m = /^  - (.*) \[ (.*) \]$/.exec(line)) && list === 'exports') {
          d.export_info.push({ name: m[1], flags: m[2].split(' ').sort().join(' ') });
        } else if ((m = /^  - (.*) \[ (.*) \]$/.exec(line)) && list === 'imports') {
          d.import_info.push({ name: m[1], flags: m[2].split(' ').sort().join(' ') });
        } else if (line.trim() !== '') {
          d.unparsed = (d.unparsed || []).concat(line);
        }
      } else if (custom === 'name') {
        if ((m = /^ - func\[(\d+)\] <(.*)>$/.exec(line))) out.functionNames.set(Number(m[1]), m[2]);
      }
      continue;
    }
    let m;
    if (section === 'Import' && (m = /^ - (func|global|memory|table|tag)\[(\d+)\] (.*) <- (.*)$/.exec(line))) {
      out.imports.push({ kind: m[1], index: Number(m[2]), detail: m[3], name: m[4] });
    } else if (section === 'Export' && (m = /^ - (func|global|memory|table|tag)\[(\d+)\](?: <.*>)? -> "(.*)"$/.exec(line))) {
      out.exports.push({ kind: m[1], index: Number(m[2]), name: m[3] });
    } else if (section === 'Start' && (m = /^ - start function: (\d+)/.exec(line))) {
      out.start = Number(m[1]);
    }
  }
  return out;
}

// How wasm-objdump describes an import's type, from our JSON.
function importDetail(imp) {
  const limits = (l) =>
    `initial=${l.min}` + (l.max !== null ? ` max=${l.max}` : '') + (l.shared ? ' shared' : '') +
    (l.is64 ? ' i64' : '');
  switch (imp.kind) {
    case 'func':
    case 'tag':
      return `sig=${imp.type_index}`;
    case 'global':
      return `${imp.type} mutable=${imp.mutable ? 1 : 0}`;
    case 'memory':
      return `pages: ${limits(imp.limits)}`;
    case 'table':
      return `type=${imp.elem_type} ${limits(imp.limits)}`;
  }
  return '?';
}

// --- comparison ----------------------------------------------------------------

const totals = { modules: 0, imports: 0, exports: 0, dylink: 0, names: 0, other: 0, skipped: 0 };
const failures = [];

function compareModule(file) {
  const name = basename(file);
  const ours = JSON.parse(run(lazylink, ['inspect', '--json', file]));
  const theirs = parseObjdump(run(objdump, ['-x', file]));
  const problems = [];
  const check = (what, a, b, bucket) => {
    totals[bucket] += 1;
    if (a !== b) problems.push(`${what}: lazylink says ${JSON.stringify(a)}, wasm-objdump says ${JSON.stringify(b)}`);
  };

  // Imports: count, then each one's kind, index, name and type.
  check('import count', ours.imports.length, theirs.counts.Import ?? 0, 'imports');
  check('import lines', ours.imports.length, theirs.imports.length, 'imports');
  ours.imports.forEach((imp, i) => {
    const t = theirs.imports[i];
    if (!t) return;
    const where = `import ${i}`;
    check(`${where} kind`, imp.kind, t.kind, 'imports');
    check(`${where} index`, imp.index, t.index, 'imports');
    check(`${where} name`, `${imp.module}.${imp.field}`, t.name, 'imports');
    // For functions and tags wabt adds " <name>" after the signature.
    const detail = imp.kind === 'func' || imp.kind === 'tag' ? t.detail.replace(/ <.*>$/, '') : t.detail;
    check(`${where} type`, importDetail(imp), detail, 'imports');
  });

  // Exports.
  check('export count', ours.exports.length, theirs.counts.Export ?? 0, 'exports');
  check('export lines', ours.exports.length, theirs.exports.length, 'exports');
  ours.exports.forEach((exp, i) => {
    const t = theirs.exports[i];
    if (!t) return;
    check(`export ${i} kind`, exp.kind, t.kind, 'exports');
    check(`export ${i} index`, exp.index, t.index, 'exports');
    check(`export ${i} name`, exp.name, t.name, 'exports');
  });

  // dylink.0 (or the legacy dylink section).
  const od = theirs.dylink;
  const d = ours.dylink;
  check('dylink section', d ? d.section : null, od ? od.section : null, 'dylink');
  if (d && od) {
    if (d.mem_info) {
      check('mem_size', d.mem_info.memory_size, od.mem_info.mem_size, 'dylink');
      check('mem_p2align', d.mem_info.memory_align, od.mem_info.mem_p2align, 'dylink');
      check('table_size', d.mem_info.table_size, od.mem_info.table_size, 'dylink');
      check('table_p2align', d.mem_info.table_align, od.mem_info.table_p2align, 'dylink');
    } else {
      check('mem_info present', false, Object.keys(od.mem_info).length > 0, 'dylink');
    }
    check('needed count', d.needed.length, od.needed.length, 'dylink');
    d.needed.forEach((lib, i) => check(`needed ${i}`, lib, od.needed[i], 'dylink'));
    check('export info count', d.export_info.length, od.export_info.length, 'dylink');
    d.export_info.forEach((e, i) => {
      const t = od.export_info[i] || {};
      check(`export info ${i} name`, e.name, t.name, 'dylink');
      const words = wabtFlagWords(e.flags);
      if (words === null) totals.skipped += 1;
      else check(`export info ${i} (${e.name}) flags`, words, t.flags, 'dylink');
    });
    check('import info count', d.import_info.length, od.import_info.length, 'dylink');
    d.import_info.forEach((e, i) => {
      const t = od.import_info[i] || {};
      check(`import info ${i} name`, `${e.module}.${e.field}`, t.name, 'dylink');
      const words = wabtFlagWords(e.flags);
      if (words === null) totals.skipped += 1;
      else check(`import info ${i} (${e.field}) flags`, words, t.flags, 'dylink');
    });
    if (od.unparsed) problems.push(`wasm-objdump printed dylink lines this check does not know: ${od.unparsed.join(' | ')}`);
  }

  // The rest that both print: counts, start, function names.
  check('type count', ours.types.length, theirs.counts.Type ?? 0, 'other');
  check('function count', ours.functions.defined, theirs.counts.Function ?? 0, 'other');
  check('code count', ours.functions.defined, theirs.counts.Code ?? 0, 'other');
  check('global count', ours.globals.length, theirs.counts.Global ?? 0, 'other');
  check('data segment count', ours.data.length, theirs.counts.Data ?? 0, 'other');
  check('element segment count', ours.elements.length, theirs.counts.Elem ?? 0, 'other');
  check('start', ours.start ? ours.start.index : null, theirs.start, 'other');
  if (ours.names) {
    check('function name count', ours.names.functions.length, theirs.functionNames.size, 'names');
    for (const { index, name: fn } of ours.names.functions) {
      check(`function name ${index}`, fn, theirs.functionNames.get(index), 'names');
    }
  } else {
    check('function names', 0, theirs.functionNames.size, 'names');
  }

  totals.modules += 1;
  if (problems.length) failures.push({ name, problems });
  const status = problems.length ? `${problems.length} DISAGREEMENTS` : 'agree';
  console.log(`  ${name}: ${ours.imports.length} imports, ${ours.exports.length} exports, ` +
              `${d ? d.export_info.length + d.import_info.length + d.needed.length + 4 : 0} dylink fields: ${status}`);
}

console.log(`inspect_vs_objdump: ${files.length} modules, lazylink inspect --json vs ${objdump} -x`);
for (const file of files) compareModule(file);

for (const { name, problems } of failures) {
  console.log(`\n${name}:`);
  for (const p of problems.slice(0, 40)) console.log(`  ${p}`);
  if (problems.length > 40) console.log(`  ... and ${problems.length - 40} more`);
}
const compared = totals.imports + totals.exports + totals.dylink + totals.names + totals.other;
console.log(`\ncompared ${compared} fields in ${totals.modules} modules: ${totals.imports} import, ` +
            `${totals.exports} export, ${totals.dylink} dylink, ${totals.names} function-name and ` +
            `${totals.other} other fields` +
            (totals.skipped ? ` (${totals.skipped} symbol flags wabt cannot print, not compared)` : ''));
if (failures.length) {
  console.log(`FAILED: ${failures.length} of ${totals.modules} modules disagree`);
  process.exit(1);
}
console.log('OK: lazylink inspect and wasm-objdump agree');
