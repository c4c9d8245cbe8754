// Runs every Canonical ABI conformance vector through the JS Canonical ABI
// (web/cabi/), with type descriptors produced by the C++ core
// (cabi_describe_vectors). Prints pass counts per category and fails on any
// mismatch.
//
//   node tests/cabi/vectors.test.mjs VECTORS_JSON VECTOR_TYPES_JSON
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

import {
  CanonicalAbiTrap, CoreValueIter, TypeTable, alignment, createContext, elemSize,
  flattenFuncType, flattenType, liftFlat, load, lowerFlat, moveFlat, store, typedArrayFor,
} from '../../web/cabi/index.mjs';
import { parseJsonWithBigInts } from './json_bigint.mjs';

const [vectorsPath, typesPath] = process.argv.slice(2);
if (!vectorsPath || !typesPath) {
  console.error('usage: node vectors.test.mjs VECTORS_JSON VECTOR_TYPES_JSON');
  process.exit(2);
}
const vectors = parseJsonWithBigInts(readFileSync(vectorsPath, 'utf8'));
const descriptors = JSON.parse(readFileSync(typesPath, 'utf8'));
const table = new TypeTable(descriptors.types);

function typeOf(text) {
  if (!(text in descriptors.refs)) throw new Error(`no descriptor for type ${text}`);
  return table.type(descriptors.refs[text]);
}

// --- vector values -> the JS value mapping -----------------------------------

function fromVector(t, v, nested = false) {
  switch (t.k) {
    case 'u64': case 's64': return BigInt(v);
    case 'char': return String.fromCodePoint(v.char);
    case 'string': return v.string;
    case 'list': case 'map': {
      const elem = t.k === 'map' ? { k: 'tuple', ts: [t.key, t.value] } : t.t;
      const items = v.map((e) => fromVector(elem, e));
      const Typed = t.k === 'list' ? typedArrayFor(t.t) : null;
      return Typed ? Typed.from(items) : items;
    }
    case 'record': return Object.fromEntries(t.fields.map((f) => [f.label, fromVector(f.t, v[f.label])]));
    case 'tuple': return t.ts.map((et, i) => fromVector(et, v[i]));
    case 'enum': return v.case;
    case 'flags': return Object.fromEntries(t.labels.map((l) => [l, v.includes(l)]));
    case 'option': {
      const payload = v.case === 'some' ? fromVector(t.t, v.val, t.t.k === 'option') : undefined;
      if (nested) return v.case === 'none' ? { tag: 'none' } : { tag: 'some', val: payload };
      return v.case === 'none' ? null : payload;
    }
    case 'result': {
      const payloadType = v.case === 'ok' ? t.ok : t.err;
      const tag = v.case === 'ok' ? 'ok' : 'err';
      return payloadType ? { tag, val: fromVector(payloadType, v.val) } : { tag };
    }
    case 'variant': {
      const c = t.cases.find((x) => x.label === v.case);
      return c.t ? { tag: v.case, val: fromVector(c.t, v.val) } : { tag: v.case };
    }
    default: return v;
  }
}

function coreValue(v, flatType) {
  if (v && typeof v === 'object' && 'f' in v) return v.f;
  if (flatType === 'i64') return BigInt(v);
  return typeof v === 'bigint' ? Number(v) : v;
}

function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

function bytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A bump allocator that never reuses memory and records every call. */
function bumpAllocator(memory, start) {
  const trace = [];
  let next = start;
  const realloc = (oldPtr, oldSize, align, newSize) => {
    const [op, os, al, ns] = [oldPtr, oldSize, align, newSize].map(Number);
    trace.push([op, os, al, ns]);
    const ptr = Math.ceil(next / al) * al;
    memory.copyWithin(ptr, op, op + Math.min(os, ns));
    next = ptr + ns;
    return typeof newSize === 'bigint' ? BigInt(ptr) : ptr;
  };
  return { realloc, trace, get next() { return next; } };
}

function expectTrap(f) {
  try {
    f();
  } catch (e) {
    if (e instanceof CanonicalAbiTrap) return '';
    return `threw ${e.name}: ${e.message} instead of a trap`;
  }
  return 'did not trap';
}

function show(v) {
  return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : ArrayBuffer.isView(x) ? Array.from(x, (e) => (typeof e === 'bigint' ? `${e}n` : e)) : x));
}

// --- categories -----------------------------------------------------------------

const checks = {
  layout(v) {
    const t = typeOf(v.type);
    const errors = [];
    for (const addr of ['i32', 'i64']) {
      const want = v[addr];
      const got = { size: elemSize(t, addr), align: alignment(t, addr), flat: flattenType(t, addr) };
      if (!isDeepStrictEqual(got, { size: Number(want.size), align: Number(want.align), flat: want.flat })) {
        errors.push(`${addr}: got ${show(got)}`);
      }
    }
    return errors.join('; ');
  },

  flatten_functype(v) {
    const ft = { params: v.params.map(typeOf), results: v.results.map(typeOf) };
    const errors = [];
    for (const context of ['lift', 'lower']) {
      const got = flattenFuncType(ft, v.addr, context);
      if (!isDeepStrictEqual(got, v[context])) errors.push(`${context}: got ${show(got)}`);
    }
    return errors.join('; ');
  },

  flat_lift(v) {
    const t = typeOf(v.type);
    const cx = createContext({ memory: new Uint8Array(0), boundary: 'flat_lift' });
    const flat = flattenType(t, 'i32');
    const core = v.core.map((c, i) => coreValue(c, flat[i]));
    if (v.expect === null) return expectTrap(() => liftFlat(cx, new CoreValueIter(core), t));
    const got = liftFlat(cx, new CoreValueIter(core), t);
    const want = fromVector(t, v.expect);
    return isDeepStrictEqual(got, want) ? '' : `got ${show(got)}, want ${show(want)}`;
  },

  heap_lift(v) {
    const t = typeOf(v.type);
    const cx = createContext({ memory: hexToBytes(v.memory_hex), addr: v.addr, boundary: 'heap_lift' });
    const flat = flattenType(t, v.addr);
    const core = v.core.map((c, i) => coreValue(c, flat[i]));
    if (v.expect === null) return expectTrap(() => liftFlat(cx, new CoreValueIter(core), t));
    const got = liftFlat(cx, new CoreValueIter(core), t);
    const want = fromVector(t, v.expect);
    return isDeepStrictEqual(got, want) ? '' : `got ${show(got)}, want ${show(want)}`;
  },

  nan_canonicalization(v) {
    const t = typeOf(v.type);
    const size = v.type === 'f32' ? 4 : 8;
    const bits = BigInt(v.in_bits);
    const out = BigInt(v.out_bits_deterministic);
    const errors = [];
    const readBits = (mem) => (size === 4 ? BigInt(new DataView(mem.buffer).getUint32(0, true)) : new DataView(mem.buffer).getBigUint64(0, true));
    // Memory to memory: load then store.
    const src = new Uint8Array(8);
    if (size === 4) new DataView(src.buffer).setUint32(0, Number(bits), true);
    else new DataView(src.buffer).setBigUint64(0, bits, true);
    const dst = new Uint8Array(8);
    const value = load(createContext({ memory: src }), 0, t);
    store(createContext({ memory: dst }), value, t, 0);
    if (readBits(dst) !== out) errors.push(`load+store wrote 0x${readBits(dst).toString(16)}`);
    // Through a variant whose joined flat type carries the float as integer bits.
    const variant = { k: 'variant', cases: [{ label: 'f', t }, { label: 'i', t: { k: 'u64' } }] };
    const cx = createContext({ memory: new Uint8Array(0) });
    const lifted = liftFlat(cx, new CoreValueIter([0, size === 4 ? bits : bits]), variant);
    const [, payload] = lowerFlat(cx, lifted, variant);
    if (BigInt(payload) !== out) errors.push(`flat variant gave 0x${BigInt(payload).toString(16)}`);
    return errors.join('; ');
  },

  string_transcode(v) {
    const src = hexToBytes(v.src_hex);
    const srcCx = createContext({ memory: src, addr: v.addr, stringEncoding: v.src_enc, boundary: 'src' });
    const dstMemory = new Uint8Array(65536);
    const bump = bumpAllocator(dstMemory, 0);
    const dstCx = createContext({ memory: dstMemory, addr: v.addr, stringEncoding: v.dst_enc, realloc: bump.realloc, boundary: 'dst' });
    const toFlat = (n) => (v.addr === 'i64' ? BigInt(n) : Number(n));
    const [ptr, taggedOut] = moveFlat(srcCx, [toFlat(0), toFlat(v.src_tagged_code_units)], { k: 'string' }, dstCx);
    const errors = [];
    if (BigInt(taggedOut) !== BigInt(v.dst_tagged_code_units)) {
      errors.push(`tagged code units ${taggedOut}, want ${v.dst_tagged_code_units}`);
    }
    const want = v.dst_hex;
    const got = bytesToHex(dstMemory.subarray(Number(ptr), Number(ptr) + want.length / 2));
    if (got !== want) errors.push(`bytes ${got}, want ${want}`);
    const wantTrace = v.realloc_trace.map((c) => c.map(Number));
    if (!isDeepStrictEqual(bump.trace, wantTrace)) errors.push(`realloc trace ${show(bump.trace)}, want ${show(wantTrace)}`);
    return errors.join('; ');
  },

  store(v) {
    const t = typeOf(v.type);
    const memory = new Uint8Array(65536);
    const bump = bumpAllocator(memory, elemSize(t, v.addr));
    const cx = createContext({ memory, addr: v.addr, realloc: bump.realloc, boundary: 'store' });
    store(cx, fromVector(t, v.value), t, 0);
    const errors = [];
    const got = bytesToHex(memory.subarray(0, Math.max(bump.next, v.memory_hex.length / 2)));
    if (got !== v.memory_hex) errors.push(`memory ${got}, want ${v.memory_hex}`);
    const wantTrace = v.realloc_trace.map((c) => c.map(Number));
    if (!isDeepStrictEqual(bump.trace, wantTrace)) errors.push(`realloc trace ${show(bump.trace)}, want ${show(wantTrace)}`);
    return errors.join('; ');
  },
};

let passed = 0;
let failed = 0;
const lines = [];
for (const [category, check] of Object.entries(checks)) {
  const list = vectors[category] || [];
  let p = 0;
  let f = 0;
  list.forEach((v, i) => {
    let error;
    try {
      error = check(v);
    } catch (e) {
      error = `threw ${e.name}: ${e.message}`;
    }
    if (error) {
      f++;
      if (f <= 5) console.log(`FAIL ${category}[${i}] ${show(v).slice(0, 300)}\n     ${error}`);
    } else {
      p++;
    }
  });
  lines.push(`  ${category}: ${p} passed, ${f} failed`);
  passed += p;
  failed += f;
}
const known = Object.keys(checks);
for (const key of Object.keys(vectors)) {
  if (Array.isArray(vectors[key]) && !known.includes(key)) {
    lines.push(`  ${key}: ${vectors[key].length} NOT RUN (unknown category)`);
    failed += vectors[key].length;
  }
}
console.log(lines.join('\n'));
console.log(`canonical-abi vectors (js): ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
