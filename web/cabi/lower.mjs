// lazylink: lowering JS values into Canonical ABI values (CanonicalABI.md,
// "Storing", "Flat Lowering", lower_flat_values). Takes the JS value mapping
// of lift.mjs; a JS value that does not fit its type throws
// CanonicalAbiValueError, naming the place in the value.
//
//   store(cx, value, t, ptr);                      // into memory at ptr
//   const flat = lowerFlat(cx, value, t);          // [i32 numbers, i64 BigInts, floats]
//   const flat = lowerFlatValues(cx, MAX_FLAT_RESULTS, [result], types, outParamIter);

import { MAX_LIST_BYTE_LENGTH } from './context.mjs';
import {
  alignTo, alignment, despecializeCases, discriminantSize, elemSize, flattenType,
  flattenTypes, flattenVariant, listElement, maxCaseAlignment,
} from './layout.mjs';
import {
  CANONICAL_F32_NAN_BITS, CANONICAL_F64_NAN_BITS, tupleOf, typedArrayFor, unsupportedHandle,
} from './lift.mjs';
import { storeStringIntoRange } from './strings.mjs';

const scratch = new DataView(new ArrayBuffer(8));
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** encode_float_as_i32(): the bits, with NaN canonicalized (deterministic profile). */
export function encodeFloatAsI32(f) {
  if (Number.isNaN(f)) return CANONICAL_F32_NAN_BITS;
  scratch.setFloat32(0, f, true);
  return scratch.getUint32(0, true);
}

/** encode_float_as_i64(): as a BigInt. */
export function encodeFloatAsI64(f) {
  if (Number.isNaN(f)) return CANONICAL_F64_NAN_BITS;
  scratch.setFloat64(0, f, true);
  return scratch.getBigUint64(0, true);
}

// --- JS value checks -------------------------------------------------------------

const INT_RANGES = {
  u8: [0, 0xff], s8: [-0x80, 0x7f], u16: [0, 0xffff], s16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff], s32: [-0x80000000, 0x7fffffff],
};

function where(path) {
  return path ? ` at ${path}` : '';
}

function checkInt(cx, v, k, path) {
  const [lo, hi] = INT_RANGES[k];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw cx.valueError(`expected ${k} (an integer in ${lo}..${hi})${where(path)}, got ${describe(v)}`);
  }
  return v;
}

function checkInt64(cx, v, k, path) {
  let b;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  else throw cx.valueError(`expected ${k} (a BigInt)${where(path)}, got ${describe(v)}`);
  const ok = k === 'u64' ? b >= 0n && b < 2n ** 64n : b >= -(2n ** 63n) && b < 2n ** 63n;
  if (!ok) throw cx.valueError(`${k} out of range${where(path)}: ${b}`);
  return b;
}

function checkFloat(cx, v, k, path) {
  if (typeof v !== 'number') throw cx.valueError(`expected ${k} (a number)${where(path)}, got ${describe(v)}`);
  return v;
}

/** char_to_i32(): a one-code-point string that is a Unicode scalar value. */
function charToI32(cx, v, path) {
  if (typeof v !== 'string' || v.length === 0 || v.length > 2) {
    throw cx.valueError(`expected a char (one code point)${where(path)}, got ${describe(v)}`);
  }
  const cp = v.codePointAt(0);
  if ((cp > 0xffff ? 2 : 1) !== v.length || (cp >= 0xd800 && cp <= 0xdfff)) {
    throw cx.valueError(`expected a char (one Unicode scalar value)${where(path)}, got ${describe(v)}`);
  }
  return cp;
}

function describe(v) {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return ArrayBuffer.isView(v) ? v.constructor.name : 'an object';
  return String(v);
}

/** The case index and payload of a variant-like JS value (match_case). */
function matchCase(cx, v, t, nested, path) {
  const cases = despecializeCases(t);
  switch (t.k) {
    case 'enum': {
      const i = typeof v === 'string' ? t.labels.indexOf(v) : -1;
      if (i < 0) throw cx.valueError(`expected one of ${t.labels.slice(0, 8).join(', ')}${t.labels.length > 8 ? ', ...' : ''}${where(path)}, got ${describe(v)}`);
      return [i, undefined];
    }
    case 'option':
      if (!nested) return v === null || v === undefined ? [0, undefined] : [1, v];
      if (v && v.tag === 'none') return [0, undefined];
      if (v && v.tag === 'some') return [1, v.val];
      throw cx.valueError(`expected {tag: 'none'} or {tag: 'some', val} (an option inside an option)${where(path)}, got ${describe(v)}`);
    case 'result':
      if (v && v.tag === 'ok') return [0, v.val];
      if (v && v.tag === 'err') return [1, v.val];
      throw cx.valueError(`expected {tag: 'ok' | 'err', val}${where(path)}, got ${describe(v)}`);
    default: {
      const i = v && typeof v.tag === 'string' ? cases.findIndex((c) => c.label === v.tag) : -1;
      if (i < 0) throw cx.valueError(`expected {tag, val} with tag one of ${cases.map((c) => c.label).slice(0, 8).join(', ')}${where(path)}, got ${describe(v && v.tag !== undefined ? v.tag : v)}`);
      return [i, v.val];
    }
  }
}

/** pack_flags_into_int(): from an object of booleans. */
function packFlagsIntoInt(cx, v, labels, path) {
  if (!v || typeof v !== 'object') throw cx.valueError(`expected flags (an object of booleans)${where(path)}, got ${describe(v)}`);
  let i = 0;
  labels.forEach((l, bit) => { if (v[l]) i |= 1 << bit; });
  for (const key of Object.keys(v)) {
    if (!labels.includes(key)) throw cx.valueError(`unknown flag ${JSON.stringify(key)}${where(path)}`);
  }
  return i >>> 0;
}

function listValues(cx, v, t, path) {
  if (t.k === 'map') {
    const entries = v instanceof Map ? [...v.entries()] : v;
    if (!Array.isArray(entries)) throw cx.valueError(`expected a map (an array of [key, value] or a Map)${where(path)}, got ${describe(v)}`);
    return entries;
  }
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) {
    throw cx.valueError(`expected a list (an array or typed array)${where(path)}, got ${describe(v)}`);
  }
  if (t.n && v.length !== t.n) throw cx.valueError(`expected ${t.n} elements${where(path)}, got ${v.length}`);
  return v;
}

// --- Storing ---------------------------------------------------------------------

export function store(cx, v, t, ptr, nested = false, path = '') {
  const view = cx.view();
  switch (t.k) {
    case 'bool': view.setUint8(ptr, v ? 1 : 0); return;
    case 'u8': view.setUint8(ptr, checkInt(cx, v, 'u8', path)); return;
    case 's8': view.setInt8(ptr, checkInt(cx, v, 's8', path)); return;
    case 'u16': view.setUint16(ptr, checkInt(cx, v, 'u16', path), true); return;
    case 's16': view.setInt16(ptr, checkInt(cx, v, 's16', path), true); return;
    case 'u32': view.setUint32(ptr, checkInt(cx, v, 'u32', path), true); return;
    case 's32': view.setInt32(ptr, checkInt(cx, v, 's32', path), true); return;
    case 'u64': view.setBigUint64(ptr, checkInt64(cx, v, 'u64', path), true); return;
    case 's64': view.setBigInt64(ptr, checkInt64(cx, v, 's64', path), true); return;
    case 'f32': view.setUint32(ptr, encodeFloatAsI32(checkFloat(cx, v, 'f32', path)), true); return;
    case 'f64': view.setBigUint64(ptr, encodeFloatAsI64(checkFloat(cx, v, 'f64', path)), true); return;
    case 'char': view.setUint32(ptr, charToI32(cx, v, path), true); return;
    case 'string': {
      const [begin, taggedCodeUnits] = storeStringIntoRange(cx, v);
      storePtr(cx, begin, ptr);
      storePtr(cx, taggedCodeUnits, ptr + cx.ptrSize);
      return;
    }
    case 'list': case 'map': storeList(cx, v, ptr, t, path); return;
    case 'record': storeRecord(cx, v, ptr, t, path); return;
    case 'tuple': storeTuple(cx, v, ptr, t, path); return;
    case 'variant': case 'enum': case 'option': case 'result': storeVariant(cx, v, ptr, t, nested, path); return;
    case 'flags': storeInt(cx, packFlagsIntoInt(cx, v, t.labels, path), ptr, elemSize(t, cx.addr)); return;
    case 'own': case 'borrow': throw unsupportedHandle(cx, t);
    default: throw new TypeError(`unknown type kind ${t.k}`);
  }
}

function storeInt(cx, i, ptr, nbytes) {
  const view = cx.view();
  if (nbytes === 1) view.setUint8(ptr, i);
  else if (nbytes === 2) view.setUint16(ptr, i, true);
  else view.setUint32(ptr, i, true);
}

function storePtr(cx, v, ptr) {
  if (cx.addr === 'i64') cx.view().setBigUint64(ptr, BigInt(v), true);
  else cx.view().setUint32(ptr, Number(v) >>> 0, true);
}

function storeList(cx, v, ptr, t, path) {
  const values = listValues(cx, v, t, path);
  if (t.k === 'list' && t.n) {
    storeListIntoValidRange(cx, values, ptr, t.t, path);
    return;
  }
  const [begin, length] = storeListIntoRange(cx, values, listElement(t), path);
  storePtr(cx, begin, ptr);
  storePtr(cx, length, ptr + cx.ptrSize);
}

/** store_list_into_range(): returns [ptr, length]. */
export function storeListIntoRange(cx, values, elemType, path = '') {
  const size = elemSize(elemType, cx.addr);
  const byteLength = values.length * size;
  if (byteLength > MAX_LIST_BYTE_LENGTH) {
    throw cx.valueError(`list of ${values.length} elements (${byteLength} bytes) is longer than the Canonical ABI allows${where(path)}`);
  }
  const ptr = cx.callRealloc(0, 0, alignment(elemType, cx.addr), byteLength);
  storeListIntoValidRange(cx, values, ptr, elemType, path);
  return [ptr, values.length];
}

function storeListIntoValidRange(cx, values, ptr, elemType, path) {
  const Typed = typedArrayFor(elemType);
  if (Typed && values instanceof Typed && LITTLE_ENDIAN) {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    cx.bytes().set(bytes, ptr);
    if (Typed === Float32Array || Typed === Float64Array) canonicalizeNaNs(cx, values, ptr, elemType);
    return;
  }
  const size = elemSize(elemType, cx.addr);
  for (let i = 0; i < values.length; i++) {
    store(cx, values[i], elemType, ptr + i * size, false, `${path}[${i}]`);
  }
}

function canonicalizeNaNs(cx, values, ptr, elemType) {
  const view = cx.view();
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) continue;
    if (elemType.k === 'f32') view.setUint32(ptr + 4 * i, CANONICAL_F32_NAN_BITS, true);
    else view.setBigUint64(ptr + 8 * i, CANONICAL_F64_NAN_BITS, true);
  }
}

function storeRecord(cx, v, ptr, t, path) {
  if (!v || typeof v !== 'object') throw cx.valueError(`expected a record (an object)${where(path)}, got ${describe(v)}`);
  for (const f of t.fields) {
    if (!(f.label in v)) throw cx.valueError(`missing field ${JSON.stringify(f.label)}${where(path)}`);
    ptr = alignTo(ptr, alignment(f.t, cx.addr));
    store(cx, v[f.label], f.t, ptr, false, `${path}.${f.label}`);
    ptr += elemSize(f.t, cx.addr);
  }
}

function storeTuple(cx, v, ptr, t, path) {
  if (!Array.isArray(v) || v.length !== t.ts.length) {
    throw cx.valueError(`expected a tuple (an array of ${t.ts.length})${where(path)}, got ${describe(v)}`);
  }
  t.ts.forEach((et, i) => {
    ptr = alignTo(ptr, alignment(et, cx.addr));
    store(cx, v[i], et, ptr, false, `${path}[${i}]`);
    ptr += elemSize(et, cx.addr);
  });
}

function storeVariant(cx, v, ptr, t, nested, path) {
  const cases = despecializeCases(t);
  const [caseIndex, caseValue] = matchCase(cx, v, t, nested, path);
  const discSize = discriminantSize(cases.length);
  storeInt(cx, caseIndex, ptr, discSize);
  ptr += discSize;
  ptr = alignTo(ptr, maxCaseAlignment(cases, cx.addr));
  const c = cases[caseIndex];
  if (c.t) store(cx, caseValue, c.t, ptr, t.k === 'option' && c.t.k === 'option', `${path}(${c.label})`);
}

// --- Flat lowering -----------------------------------------------------------------

/** lower_flat(): i32 as unsigned numbers, i64 as BigInts, f32/f64 as numbers. */
export function lowerFlat(cx, v, t, nested = false, path = '') {
  switch (t.k) {
    case 'bool': return [v ? 1 : 0];
    case 'u8': case 'u16': case 'u32': return [checkInt(cx, v, t.k, path) >>> 0];
    case 's8': case 's16': case 's32': return [checkInt(cx, v, t.k, path) >>> 0];
    case 'u64': case 's64': return [BigInt.asUintN(64, checkInt64(cx, v, t.k, path))];
    case 'f32': return [Number.isNaN(checkFloat(cx, v, 'f32', path)) ? NaN : v];
    case 'f64': return [Number.isNaN(checkFloat(cx, v, 'f64', path)) ? NaN : v];
    case 'char': return [charToI32(cx, v, path)];
    case 'string': {
      const [ptr, taggedCodeUnits] = storeStringIntoRange(cx, v);
      return [cx.fromNumber(ptr), taggedCodeUnits];
    }
    case 'list': case 'map': {
      const values = listValues(cx, v, t, path);
      if (t.k === 'list' && t.n) {
        const flat = [];
        for (let i = 0; i < t.n; i++) flat.push(...lowerFlat(cx, values[i], t.t, false, `${path}[${i}]`));
        return flat;
      }
      const [ptr, length] = storeListIntoRange(cx, values, listElement(t), path);
      return [cx.fromNumber(ptr), cx.fromNumber(length)];
    }
    case 'record': {
      if (!v || typeof v !== 'object') throw cx.valueError(`expected a record (an object)${where(path)}, got ${describe(v)}`);
      const flat = [];
      for (const f of t.fields) {
        if (!(f.label in v)) throw cx.valueError(`missing field ${JSON.stringify(f.label)}${where(path)}`);
        flat.push(...lowerFlat(cx, v[f.label], f.t, false, `${path}.${f.label}`));
      }
      return flat;
    }
    case 'tuple': {
      if (!Array.isArray(v) || v.length !== t.ts.length) {
        throw cx.valueError(`expected a tuple (an array of ${t.ts.length})${where(path)}, got ${describe(v)}`);
      }
      return t.ts.flatMap((et, i) => lowerFlat(cx, v[i], et, false, `${path}[${i}]`));
    }
    case 'variant': case 'enum': case 'option': case 'result': return lowerFlatVariant(cx, v, t, nested, path);
    case 'flags': return [packFlagsIntoInt(cx, v, t.labels, path)];
    case 'own': case 'borrow': throw unsupportedHandle(cx, t);
    default: throw new TypeError(`unknown type kind ${t.k}`);
  }
}

function lowerFlatVariant(cx, v, t, nested, path) {
  const cases = despecializeCases(t);
  const [caseIndex, caseValue] = matchCase(cx, v, t, nested, path);
  const flatTypes = flattenVariant(cases, cx.addr).slice(1);
  const c = cases[caseIndex];
  const payload = [];
  if (c.t) {
    const own = lowerFlat(cx, caseValue, c.t, t.k === 'option' && c.t.k === 'option', `${path}(${c.label})`);
    const haves = flattenType(c.t, cx.addr);
    own.forEach((fv, i) => {
      const have = haves[i];
      const want = flatTypes[i];
      if (have === 'f32' && want === 'i32') payload.push(encodeFloatAsI32(fv));
      else if (have === 'i32' && want === 'i64') payload.push(BigInt(fv >>> 0));
      else if (have === 'f32' && want === 'i64') payload.push(BigInt(encodeFloatAsI32(fv)));
      else if (have === 'f64' && want === 'i64') payload.push(encodeFloatAsI64(fv));
      else payload.push(fv);
    });
  }
  for (let i = payload.length; i < flatTypes.length; i++) payload.push(flatTypes[i] === 'i64' ? 0n : 0);
  return [caseIndex, ...payload];
}

/**
 * lower_flat_values(): flat values, or, past `maxFlat`, a pointer to the
 * values stored as a tuple: allocated with cabi_realloc, or (outParam, a
 * CoreValueIter) at the pointer the caller passed.
 */
export function lowerFlatValues(cx, maxFlat, vs, ts, outParam = null) {
  if (vs.length !== ts.length) throw cx.valueError(`expected ${ts.length} values, got ${vs.length}`);
  const flatTypes = flattenTypes(ts, cx.addr);
  if (flatTypes.length > maxFlat) {
    const tuple = tupleOf(ts);
    const size = elemSize(tuple, cx.addr);
    const align = alignment(tuple, cx.addr);
    let ptr;
    let flat;
    if (outParam === null) {
      ptr = cx.callRealloc(0, 0, align, size);
      flat = [cx.fromNumber(ptr)];
    } else {
      ptr = cx.toNumber(outParam.next(cx.addr));
      flat = [];
      cx.checkRange(ptr, size, align, 'result');
    }
    store(cx, vs, tuple, ptr);
    return flat;
  }
  return ts.flatMap((t, i) => lowerFlat(cx, vs[i], t, false, `[${i}]`));
}
