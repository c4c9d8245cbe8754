// The Canonical ABI conformance vectors run through an adapter between two
// memories: the caller's memory holds the source value, the adapter moves it
// into the callee's memory (or, for results, back), and the destination's
// bytes, realloc trace and traps are compared with the vector. Used by Node
// (JS adapter) and the Chromium page (wasm and JS adapters) alike.
//
// Categories that involve moving a value: flat_lift (flat -> flat, with its
// traps), heap_lift (memory -> memory, with its traps), nan_canonicalization,
// string_transcode (every encoding pair, exact realloc trace) and store
// (memory -> memory with the destination's bump allocator). layout and
// flatten_functype do not move values (tests/cabi runs them).
//
//   const r = runAdapterVectors({ vectors, descriptors, makeAdapter, createMemory, label: 'js adapter' });
//   // makeAdapter({params, results, caller, callee}) -> the caller's core function
import {
  CanonicalAbiTrap, CoreValueIter, TypeTable, alignment, createContext, elemSize, flattenType,
  liftFlat, load, store, typedArrayFor,
} from '../../web/cabi/index.mjs';

export const ADAPTER_CATEGORIES = ['flat_lift', 'heap_lift', 'nan_canonicalization', 'string_transcode', 'store'];
const PAGE = 65536;

function fromVector(t, v, nested = false) {
  switch (t.k) {
    case 'u64': case 's64': return BigInt(v);
    // A core f32 is an f32: through a real wasm boundary it is rounded.
    case 'f32': return Math.fround(v);
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

function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

function bytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function show(v) {
  return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : ArrayBuffer.isView(x) ? Array.from(x, (e) => (typeof e === 'bigint' ? `${e}n` : e)) : x));
}

function deepEqual(a, b) {
  return show(a) === show(b);
}

/** A bump allocator in `memory` that never reuses memory and records every call. */
function bumpAllocator(memory, start) {
  const trace = [];
  let next = start;
  const realloc = (oldPtr, oldSize, align, newSize) => {
    const [op, os, al, ns] = [oldPtr, oldSize, align, newSize].map(Number);
    trace.push([op, os, al, ns]);
    const ptr = Math.ceil(next / al) * al;
    const bytes = new Uint8Array(memory.buffer);
    bytes.copyWithin(ptr, op, op + Math.min(os, ns));
    next = ptr + ns;
    return typeof newSize === 'bigint' ? BigInt(ptr) : ptr;
  };
  return { realloc, trace, get next() { return next; } };
}

// Types the vectors need beyond their own, made from a vector's type object
// (JS) and text (the C++ core parses it).
function typeSpec(t, text) {
  return { t, text };
}

export function runAdapterVectors({ vectors, descriptors, makeAdapter, createMemory, label, onFail }) {
  const table = new TypeTable(descriptors.types);
  const typeOf = (text) => {
    if (!(text in descriptors.refs)) throw new Error(`no descriptor for type ${text}`);
    return typeSpec(table.type(descriptors.refs[text]), text);
  };
  const memoryFor = (addr, bytes = null, at = 0) => {
    const m = createMemory(addr);
    if (bytes) new Uint8Array(m.buffer).set(bytes, at);
    return m;
  };
  const num = (addr, n) => (addr === 'i64' ? BigInt(n) : Number(n));
  const coreValue = (v, flatType) => {
    if (v && typeof v === 'object' && 'f' in v) return flatType === 'f32' ? Math.fround(v.f) : v.f;
    if (flatType === 'i64') return BigInt(v);
    return typeof v === 'bigint' ? Number(BigInt.asUintN(32, v)) : v;
  };
  const expectTrap = (f) => {
    try {
      f();
    } catch (e) {
      if (e instanceof CanonicalAbiTrap) return '';
      return `threw ${e.name}: ${e.message} instead of a trap`;
    }
    return 'did not trap';
  };

  // A call through an adapter for f(x: t): the callee records its flat arguments.
  const passArgument = (spec, addr, callerMemory, flat, callerEncoding = 'utf8', calleeEncoding = 'utf8') => {
    const calleeMemory = memoryFor(addr);
    const bump = bumpAllocator(calleeMemory, 0);
    let received = null;
    const adapter = makeAdapter({
      params: [spec],
      results: [],
      caller: { memory: callerMemory, addr, encoding: callerEncoding, realloc: null },
      callee: {
        memory: calleeMemory, addr, encoding: calleeEncoding, realloc: bump.realloc,
        target: (...args) => { received = args; },
        postReturn: null,
      },
    });
    adapter(...flat);
    return { received, calleeMemory, bump };
  };

  const checks = {
    flat_lift(v) {
      const spec = typeOf(v.type);
      const flat = flattenType(spec.t, 'i32');
      const core = v.core.map((c, i) => coreValue(c, flat[i]));
      const run = () => passArgument(spec, 'i32', memoryFor('i32'), core);
      if (v.expect === null) return expectTrap(run);
      const { received, calleeMemory } = run();
      const got = liftFlat(createContext({ memory: calleeMemory }), new CoreValueIter(received), spec.t);
      const want = fromVector(spec.t, v.expect);
      return deepEqual(got, want) ? '' : `got ${show(got)}, want ${show(want)}`;
    },

    heap_lift(v) {
      const spec = typeOf(v.type);
      const bytes = hexToBytes(v.memory_hex);
      const flat = flattenType(spec.t, v.addr);
      let core = v.core.map((c, i) => coreValue(c, flat[i]));
      // A wasm memory is whole pages. For a string or a list of pointer-free
      // elements, the vector's memory goes at the end of the page (and the
      // pointer with it, when that keeps its alignment), so that bounds
      // checks see the vector's memory size.
      let at = 0;
      const t = spec.t;
      const simple = t.k === 'string' || (t.k === 'list' && !t.n && !['string', 'list', 'map'].includes(t.t.k));
      if (simple) {
        const shift = PAGE - bytes.length;
        const align = t.k === 'string' ? 1 : alignment(t.t, v.addr);
        if (shift % align === 0) {
          at = shift;
          core = [v.addr === 'i64' ? BigInt.asUintN(64, core[0] + BigInt(shift)) : (core[0] + shift) >>> 0, core[1]];
        }
      }
      const run = () => passArgument(spec, v.addr, memoryFor(v.addr, bytes, at), core);
      if (v.expect === null) return expectTrap(run);
      const { received, calleeMemory } = run();
      const got = liftFlat(createContext({ memory: calleeMemory, addr: v.addr }), new CoreValueIter(received), spec.t);
      const want = fromVector(spec.t, v.expect);
      return deepEqual(got, want) ? '' : `got ${show(got)}, want ${show(want)}`;
    },

    nan_canonicalization(v) {
      const isF32 = v.type === 'f32';
      const bits = BigInt(v.in_bits);
      const out = BigInt(v.out_bits_deterministic);
      const errors = [];
      // In memory: a list<f32|f64> of one element.
      const listType = typeSpec({ k: 'list', t: { k: v.type } }, `list<${v.type}>`);
      const src = new Uint8Array(8);
      if (isF32) new DataView(src.buffer).setUint32(0, Number(bits), true);
      else new DataView(src.buffer).setBigUint64(0, bits, true);
      const m = passArgument(listType, 'i32', memoryFor('i32', src), [0, 1]);
      const view = new DataView(m.calleeMemory.buffer);
      const ptr = Number(m.received[0]);
      const got = isF32 ? BigInt(view.getUint32(ptr, true)) : view.getBigUint64(ptr, true);
      if (got !== out) errors.push(`in memory: 0x${got.toString(16)}`);
      // Flat, in a variant slot joined to i64 (the float travels as bits).
      const variant = typeSpec({ k: 'variant', cases: [{ label: 'f', t: { k: v.type } }, { label: 'i', t: { k: 'u64' } }] },
        `variant{f(${v.type}), i(u64)}`);
      const f = passArgument(variant, 'i32', memoryFor('i32'), [0, bits]);
      if (BigInt(f.received[1]) !== out) errors.push(`flat: 0x${BigInt(f.received[1]).toString(16)}`);
      return errors.join('; ');
    },

    string_transcode(v) {
      const spec = typeSpec({ k: 'string' }, 'string');
      const src = memoryFor(v.addr, hexToBytes(v.src_hex));
      const { received, calleeMemory, bump } = passArgument(spec, v.addr, src,
        [num(v.addr, 0), num(v.addr, v.src_tagged_code_units)], v.src_enc, v.dst_enc);
      const errors = [];
      const [ptr, tagged] = received;
      if (BigInt.asUintN(64, BigInt(tagged)) !== BigInt(v.dst_tagged_code_units) &&
          BigInt.asUintN(32, BigInt(tagged)) !== BigInt(v.dst_tagged_code_units)) {
        errors.push(`tagged code units ${tagged}, want ${v.dst_tagged_code_units}`);
      }
      const bytes = new Uint8Array(calleeMemory.buffer, Number(ptr), v.dst_hex.length / 2);
      if (bytesToHex(bytes) !== v.dst_hex) errors.push(`bytes ${bytesToHex(bytes)}, want ${v.dst_hex}`);
      const want = v.realloc_trace.map((c) => c.map(Number));
      if (!deepEqual(bump.trace, want)) errors.push(`realloc trace ${show(bump.trace)}, want ${show(want)}`);
      return errors.join('; ');
    },

    store(v) {
      // The callee returns the value (spilled: a pointer into its memory);
      // the adapter stores it at the caller's out pointer 0, allocating with
      // the caller's bump allocator. A type of one flat value is returned as
      // tuple<T, T> so that it spills too (its first T is what is compared).
      const spec = typeOf(v.type);
      const onlyOne = flattenType(spec.t, v.addr).length <= 1;
      const result = onlyOne ? typeSpec({ k: 'tuple', ts: [spec.t, spec.t] }, `tuple<${v.type}, ${v.type}>`) : spec;
      const value = fromVector(spec.t, v.value);
      const calleeMemory = memoryFor(v.addr);
      const scratch = bumpAllocator(calleeMemory, 1024);
      const calleeCx = createContext({ memory: calleeMemory, addr: v.addr, realloc: scratch.realloc });
      store(calleeCx, onlyOne ? [value, value] : value, result.t, 16);
      const callerMemory = memoryFor(v.addr);
      const bump = bumpAllocator(callerMemory, elemSize(spec.t, v.addr));
      let posted = 0;
      const adapter = makeAdapter({
        params: [],
        results: [result],
        caller: { memory: callerMemory, addr: v.addr, encoding: 'utf8', realloc: bump.realloc },
        callee: {
          memory: calleeMemory, addr: v.addr, encoding: 'utf8', realloc: null,
          target: () => num(v.addr, 16),
          postReturn: (p) => { if (Number(p) === 16) posted++; },
        },
      });
      adapter(num(v.addr, 0));
      const errors = [];
      const length = Math.max(bump.next, v.memory_hex.length / 2);
      const gotHex = bytesToHex(new Uint8Array(callerMemory.buffer, 0, length));
      const want = onlyOne ? v.memory_hex : v.memory_hex;
      if (gotHex.slice(0, want.length) !== want || (!onlyOne && gotHex !== want)) errors.push(`memory ${gotHex}, want ${want}`);
      const wantTrace = v.realloc_trace.map((c) => c.map(Number));
      if (!deepEqual(bump.trace, wantTrace)) errors.push(`realloc trace ${show(bump.trace)}, want ${show(wantTrace)}`);
      if (posted !== 1) errors.push(`post-return called ${posted} times`);
      // And the value reads back.
      const back = load(createContext({ memory: callerMemory, addr: v.addr }), 0, spec.t);
      if (!deepEqual(back, value)) errors.push(`reads back as ${show(back)}`);
      return errors.join('; ');
    },
  };

  let passed = 0;
  let failed = 0;
  const lines = [];
  for (const category of ADAPTER_CATEGORIES) {
    const list = vectors[category] || [];
    let p = 0;
    let f = 0;
    list.forEach((v, i) => {
      let error;
      try {
        error = checks[category](v);
      } catch (e) {
        error = `threw ${e.name}: ${e.message}`;
      }
      if (error) {
        f++;
        if (f <= 5) (onFail ?? console.log)(`FAIL ${category}[${i}] ${show(v).slice(0, 300)}\n     ${error}`);
      } else {
        p++;
      }
    });
    lines.push(`  ${category}: ${p} passed, ${f} failed`);
    passed += p;
    failed += f;
  }
  lines.push(`canonical-abi vectors (${label}): ${passed} passed, ${failed} failed`);
  return { passed, failed, lines };
}
