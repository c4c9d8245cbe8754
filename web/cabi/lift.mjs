// lazylink: lifting Canonical ABI values into JS values (CanonicalABI.md,
// "Loading", "Flat Lifting", lift_flat_values). The JS value mapping is in
// docs/canonical-abi.md; in short: integers are numbers (u64/s64 BigInt),
// char a one-code-point string, string a string, list<u8> a Uint8Array (all
// numeric lists typed arrays), record an object, tuple an array, variant
// {tag, val}, enum a label, flags an object of booleans, option value or
// null, result {tag: 'ok'|'err', val}, map an array of [key, value].
//
//   const v = load(cx, ptr, t);                       // from memory
//   const v = liftFlat(cx, new CoreValueIter([ptr, len]), t);
//   const args = liftFlatValues(cx, MAX_FLAT_PARAMS, new CoreValueIter(flat), types);
//
// As the spec says: integers truncate, any non-zero bool is true, unknown
// flag bits are ignored, NaNs are canonicalized; the traps are the spec's.

import { MAX_LIST_BYTE_LENGTH, hex } from './context.mjs';
import {
  alignTo, alignment, despecializeCases, discriminantSize, elemSize,
  flattenTypes, flattenVariant, listElement, maxCaseAlignment,
} from './layout.mjs';
import { loadStringFromRange } from './strings.mjs';

export const CANONICAL_F32_NAN_BITS = 0x7fc00000;
export const CANONICAL_F64_NAN_BITS = 0x7ff8000000000000n;

const scratch = new DataView(new ArrayBuffer(8));

/** decode_i32_as_float(): reinterpret bits, canonicalizing NaN. */
export function decodeI32AsFloat(i) {
  scratch.setUint32(0, i >>> 0, true);
  const f = scratch.getFloat32(0, true);
  return Number.isNaN(f) ? NaN : f;
}

/** decode_i64_as_float(). */
export function decodeI64AsFloat(i) {
  scratch.setBigUint64(0, BigInt.asUintN(64, BigInt(i)), true);
  const f = scratch.getFloat64(0, true);
  return Number.isNaN(f) ? NaN : f;
}

/** convert_i32_to_char(): traps outside the Unicode scalar values. */
export function convertI32ToChar(cx, i) {
  i >>>= 0;
  if (i >= 0x110000) throw cx.trap(`char ${hex(i)} is outside Unicode (max 0x10ffff)`);
  if (i >= 0xd800 && i <= 0xdfff) throw cx.trap(`char ${hex(i)} is a surrogate, not a Unicode scalar value`);
  return String.fromCodePoint(i);
}

function traceCase(cx, t, index, count) {
  return cx.trap(`${t.k} discriminant ${index} is out of range (${count} case${count === 1 ? '' : 's'})`);
}

// Typed-array classes for numeric list elements (little-endian hosts copy
// bytes directly; others read element by element).
const TYPED = {
  u8: Uint8Array, s8: Int8Array, u16: Uint16Array, s16: Int16Array, u32: Uint32Array,
  s32: Int32Array, u64: BigUint64Array, s64: BigInt64Array, f32: Float32Array, f64: Float64Array,
};
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The typed-array class used for list<T> of a numeric T, or null. */
export function typedArrayFor(t) {
  return TYPED[t.k] || null;
}

// --- Loading -----------------------------------------------------------------

export function load(cx, ptr, t, nested = false) {
  const v = cx.view();
  switch (t.k) {
    case 'bool': return v.getUint8(ptr) !== 0;
    case 'u8': return v.getUint8(ptr);
    case 'u16': return v.getUint16(ptr, true);
    case 'u32': return v.getUint32(ptr, true);
    case 'u64': return v.getBigUint64(ptr, true);
    case 's8': return v.getInt8(ptr);
    case 's16': return v.getInt16(ptr, true);
    case 's32': return v.getInt32(ptr, true);
    case 's64': return v.getBigInt64(ptr, true);
    case 'f32': return decodeI32AsFloat(v.getUint32(ptr, true));
    case 'f64': return decodeI64AsFloat(v.getBigUint64(ptr, true));
    case 'char': return convertI32ToChar(cx, v.getUint32(ptr, true));
    case 'string': return loadString(cx, ptr);
    case 'list': case 'map': return loadList(cx, ptr, t);
    case 'record': return loadRecord(cx, ptr, t);
    case 'tuple': return loadTuple(cx, ptr, t);
    case 'variant': case 'enum': case 'option': case 'result': return loadVariant(cx, ptr, t, nested);
    case 'flags': return unpackFlagsFromInt(loadInt(cx, ptr, elemSize(t, cx.addr)), t.labels);
    case 'own': case 'borrow': throw unsupportedHandle(cx, t);
    default: throw new TypeError(`unknown type kind ${t.k}`);
  }
}

export function unsupportedHandle(cx, t) {
  return cx.valueError(`resource handle ${t.k}<${t.resource}> cannot cross this boundary: resources are not supported`);
}

function loadInt(cx, ptr, nbytes) {
  const v = cx.view();
  switch (nbytes) {
    case 1: return v.getUint8(ptr);
    case 2: return v.getUint16(ptr, true);
    case 4: return v.getUint32(ptr, true);
    default: return v.getBigUint64(ptr, true);
  }
}

function loadPtr(cx, ptr) {
  return cx.addr === 'i64' ? cx.view().getBigUint64(ptr, true) : cx.view().getUint32(ptr, true);
}

function loadString(cx, ptr) {
  const begin = loadPtr(cx, ptr);
  const taggedCodeUnits = loadPtr(cx, ptr + cx.ptrSize);
  return loadStringFromRange(cx, begin, taggedCodeUnits, cx.liftOptions);
}

function loadList(cx, ptr, t) {
  if (t.k === 'list' && t.n) return loadListFromValidRange(cx, ptr, t.n, t.t);
  const begin = loadPtr(cx, ptr);
  const length = loadPtr(cx, ptr + cx.ptrSize);
  return loadListFromRange(cx, begin, length, listElement(t), t.k === 'map' ? 'map' : 'list');
}

/** load_list_from_range(): traps on length, alignment and bounds (even for length 0). */
export function loadListFromRange(cx, ptr, length, elemType, what = 'list') {
  ptr = cx.toNumber(ptr);
  length = cx.toNumber(length);
  const size = elemSize(elemType, cx.addr);
  if (length * size > MAX_LIST_BYTE_LENGTH) {
    throw cx.trap(`${what} of ${length} elements (${length * size} bytes) is longer than the limit of ${MAX_LIST_BYTE_LENGTH} bytes`);
  }
  cx.checkRange(ptr, length * size, alignment(elemType, cx.addr), what);
  return loadListFromValidRange(cx, ptr, length, elemType);
}

function loadListFromValidRange(cx, ptr, length, elemType) {
  const Typed = TYPED[elemType.k];
  // Moving a value between memories (move.mjs): the lowering side copies
  // straight from a view of the source, which nothing can change before the
  // copy (only the destination's cabi_realloc runs in between). Floats are
  // copied, as their NaNs get canonicalized.
  if (Typed && LITTLE_ENDIAN && cx.liftOptions?.lifted && Typed !== Float32Array && Typed !== Float64Array) {
    const bytes = cx.bytes();
    return new Typed(bytes.buffer, bytes.byteOffset + ptr, length);
  }
  if (Typed) {
    let out;
    if (LITTLE_ENDIAN) {
      const bytes = cx.bytes();
      out = new Typed(bytes.buffer.slice(bytes.byteOffset + ptr, bytes.byteOffset + ptr + length * Typed.BYTES_PER_ELEMENT));
    } else {
      out = new Typed(length);
      for (let i = 0; i < length; i++) out[i] = load(cx, ptr + i * Typed.BYTES_PER_ELEMENT, elemType);
    }
    if (Typed === Float32Array || Typed === Float64Array) {
      for (let i = 0; i < length; i++) if (Number.isNaN(out[i])) out[i] = NaN;
    }
    return out;
  }
  const size = elemSize(elemType, cx.addr);
  const out = new Array(length);
  for (let i = 0; i < length; i++) out[i] = load(cx, ptr + i * size, elemType);
  return out;
}

function loadRecord(cx, ptr, t) {
  const record = {};
  for (const f of t.fields) {
    ptr = alignTo(ptr, alignment(f.t, cx.addr));
    record[f.label] = load(cx, ptr, f.t);
    ptr += elemSize(f.t, cx.addr);
  }
  return record;
}

function loadTuple(cx, ptr, t) {
  const out = [];
  for (const et of t.ts) {
    ptr = alignTo(ptr, alignment(et, cx.addr));
    out.push(load(cx, ptr, et));
    ptr += elemSize(et, cx.addr);
  }
  return out;
}

function loadVariant(cx, ptr, t, nested) {
  const cases = despecializeCases(t);
  const discSize = discriminantSize(cases.length);
  const caseIndex = loadInt(cx, ptr, discSize);
  ptr += discSize;
  if (caseIndex >= cases.length) throw traceCase(cx, t, caseIndex, cases.length);
  ptr = alignTo(ptr, maxCaseAlignment(cases, cx.addr));
  const c = cases[caseIndex];
  const payload = c.t ? load(cx, ptr, c.t, t.k === 'option' && c.t.k === 'option') : undefined;
  return toJsCase(t, caseIndex, c, payload, nested);
}

/** The JS value of a variant-like case (see the module comment). */
export function toJsCase(t, caseIndex, c, payload, nested) {
  switch (t.k) {
    case 'enum': return c.label;
    case 'option':
      if (nested) return caseIndex === 0 ? { tag: 'none' } : { tag: 'some', val: payload };
      return caseIndex === 0 ? null : payload;
    case 'result': {
      const tag = caseIndex === 0 ? 'ok' : 'err';
      return c.t ? { tag, val: payload } : { tag };
    }
    default: return c.t ? { tag: c.label, val: payload } : { tag: c.label };
  }
}

/** unpack_flags_from_int(): unknown bits are ignored. */
export function unpackFlagsFromInt(i, labels) {
  const out = {};
  i = Number(i);
  labels.forEach((l, bit) => { out[l] = ((i >>> bit) & 1) === 1; });
  return out;
}

// --- Flat lifting ------------------------------------------------------------

/** The spec's CoreValueIter over flat values (i32 numbers, i64 BigInts, floats). */
export class CoreValueIter {
  constructor(values) {
    this.values = values;
    this.i = 0;
  }

  next(t) {
    if (this.i >= this.values.length) throw new TypeError(`expected another core value (${t}) after ${this.values.length}`);
    const v = this.values[this.i++];
    switch (t) {
      case 'i32': return typeof v === 'bigint' ? Number(BigInt.asUintN(32, v)) : v >>> 0;
      case 'i64': return BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(v));
      default: return typeof v === 'bigint' ? Number(v) : v;
    }
  }

  done() {
    return this.i === this.values.length;
  }
}

export function liftFlat(cx, vi, t, nested = false) {
  switch (t.k) {
    case 'bool': return vi.next('i32') !== 0;
    case 'u8': return vi.next('i32') & 0xff;
    case 'u16': return vi.next('i32') & 0xffff;
    case 'u32': return vi.next('i32');
    case 'u64': return vi.next('i64');
    case 's8': return (vi.next('i32') << 24) >> 24;
    case 's16': return (vi.next('i32') << 16) >> 16;
    case 's32': return vi.next('i32') | 0;
    case 's64': return BigInt.asIntN(64, vi.next('i64'));
    case 'f32': { const f = vi.next('f32'); return Number.isNaN(f) ? NaN : f; }
    case 'f64': { const f = vi.next('f64'); return Number.isNaN(f) ? NaN : f; }
    case 'char': return convertI32ToChar(cx, vi.next('i32'));
    case 'string': {
      const ptr = vi.next(cx.addr);
      const packedLength = vi.next(cx.addr);
      return loadStringFromRange(cx, ptr, packedLength, cx.liftOptions);
    }
    case 'list': case 'map': return liftFlatList(cx, vi, t);
    case 'record': {
      const record = {};
      for (const f of t.fields) record[f.label] = liftFlat(cx, vi, f.t);
      return record;
    }
    case 'tuple': return t.ts.map((et) => liftFlat(cx, vi, et));
    case 'variant': case 'enum': case 'option': case 'result': return liftFlatVariant(cx, vi, t, nested);
    case 'flags': return unpackFlagsFromInt(vi.next('i32'), t.labels);
    case 'own': case 'borrow': throw unsupportedHandle(cx, t);
    default: throw new TypeError(`unknown type kind ${t.k}`);
  }
}

function liftFlatList(cx, vi, t) {
  if (t.k === 'list' && t.n) {
    const Typed = TYPED[t.t.k];
    const out = Typed ? new Typed(t.n) : new Array(t.n);
    for (let i = 0; i < t.n; i++) out[i] = liftFlat(cx, vi, t.t);
    return out;
  }
  const ptr = vi.next(cx.addr);
  const length = vi.next(cx.addr);
  return loadListFromRange(cx, ptr, length, listElement(t), t.k);
}

function liftFlatVariant(cx, vi, t, nested) {
  const cases = despecializeCases(t);
  const flatTypes = flattenVariant(cases, cx.addr).slice(1);
  const caseIndex = vi.next('i32');
  if (caseIndex >= cases.length) throw traceCase(cx, t, caseIndex, cases.length);
  let k = 0;
  // CoerceValueIter: the payload reads its own flat types out of the joined ones.
  const coerce = {
    next(want) {
      const have = flatTypes[k++];
      const x = vi.next(have);
      if (have === 'i32' && want === 'f32') return decodeI32AsFloat(x);
      if (have === 'i64' && want === 'i32') return Number(BigInt.asUintN(32, x));
      if (have === 'i64' && want === 'f32') return decodeI32AsFloat(Number(BigInt.asUintN(32, x)));
      if (have === 'i64' && want === 'f64') return decodeI64AsFloat(x);
      return x;
    },
  };
  const c = cases[caseIndex];
  const payload = c.t ? liftFlat(cx, coerce, c.t, t.k === 'option' && c.t.k === 'option') : undefined;
  for (; k < flatTypes.length; k++) vi.next(flatTypes[k]);
  return toJsCase(t, caseIndex, c, payload, nested);
}

// --- Lifting values ------------------------------------------------------------

/** A tuple type over `ts`, as lift_flat_values/lower_flat_values use. */
export function tupleOf(ts) {
  return { k: 'tuple', ts };
}

/**
 * lift_flat_values(): flat values, or one pointer to them when they need more
 * than `maxFlat` core values. Returns an array of JS values.
 */
export function liftFlatValues(cx, maxFlat, vi, ts) {
  const flatTypes = flattenTypes(ts, cx.addr);
  if (flatTypes.length > maxFlat) {
    const ptr = cx.toNumber(vi.next(cx.addr));
    const tuple = tupleOf(ts);
    cx.checkRange(ptr, elemSize(tuple, cx.addr), alignment(tuple, cx.addr), 'values');
    return load(cx, ptr, tuple);
  }
  return ts.map((t) => liftFlat(cx, vi, t));
}

