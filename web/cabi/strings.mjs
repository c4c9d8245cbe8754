// lazylink: Canonical ABI strings (CanonicalABI.md, load_string_from_range,
// store_string_into_range and the transcoding functions). The realloc call
// sequences are the spec's, call for call.
//
// A lifted string is either a JS string or, when its source encoding matters
// (the move primitive, move.mjs), a LiftedString that remembers the source
// encoding and code-unit count as the spec's String tuple does. A plain JS
// string being lowered is treated as UTF-16 with `length` code units.

import { MAX_STRING_BYTE_LENGTH, hex } from './context.mjs';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf16Decoder = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** The spec's String = (text, encoding, tagged_code_units), plus the source bytes. */
export class LiftedString {
  constructor(text, encoding, codeUnits, isUtf16, bytes) {
    this.text = text;
    this.encoding = encoding;   // 'utf8' | 'utf16' | 'latin1+utf16'
    this.codeUnits = codeUnits; // untagged
    this.isUtf16 = isUtf16;     // latin1+utf16 only: the tag was set
    this.bytes = bytes;         // Uint8Array copy of the source bytes
  }

  toString() {
    return this.text;
  }
}

function decodeLatin1(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x2000) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x2000));
  }
  return s;
}

/** load_string_from_range(): traps on length, alignment, bounds and invalid code units. */
export function loadStringFromRange(cx, ptr, taggedCodeUnits, { lifted = false } = {}) {
  let alignment;
  let byteLength;
  let encoding;
  let units;
  let isUtf16 = false;
  const tag = cx.utf16Tag;
  switch (cx.stringEncoding) {
    case 'utf8':
      alignment = 1;
      units = cx.toNumber(taggedCodeUnits);
      byteLength = units;
      encoding = 'utf-8';
      break;
    case 'utf16':
      alignment = 2;
      units = cx.toNumber(taggedCodeUnits);
      byteLength = 2 * units;
      encoding = 'utf-16le';
      break;
    default: { // latin1+utf16
      alignment = 2;
      let t = taggedCodeUnits;
      if (typeof tag === 'bigint') {
        t = BigInt.asUintN(64, BigInt(t));
        isUtf16 = (t & tag) !== 0n;
        if (isUtf16) t ^= tag;
      } else {
        t >>>= 0;
        isUtf16 = t >= tag;
        if (isUtf16) t -= tag;
      }
      units = cx.toNumber(t);
      byteLength = isUtf16 ? 2 * units : units;
      encoding = isUtf16 ? 'utf-16le' : 'latin1';
    }
  }
  ptr = cx.toNumber(ptr);
  if (byteLength > MAX_STRING_BYTE_LENGTH) {
    throw cx.trap(`string of ${byteLength} bytes is longer than the limit of ${MAX_STRING_BYTE_LENGTH}`);
  }
  cx.checkRange(ptr, byteLength, alignment, 'string');
  const bytes = cx.bytes().subarray(ptr, ptr + byteLength);
  let text;
  if (encoding === 'latin1') {
    text = decodeLatin1(bytes);
  } else {
    try {
      text = (encoding === 'utf-8' ? utf8Decoder : utf16Decoder).decode(bytes);
    } catch {
      throw cx.trap(`invalid ${encoding === 'utf-8' ? 'UTF-8' : 'UTF-16'} in the string at ${hex(ptr)} (${byteLength} bytes)`);
    }
  }
  if (!lifted) return text;
  // A view, not a copy: the move stores it before the source can change.
  return new LiftedString(text, cx.stringEncoding, units, isUtf16, bytes);
}

/** Checks a JS string being lowered: it must be valid UTF-16 (no lone surrogates). */
function checkWellFormed(cx, s) {
  if (typeof s.isWellFormed === 'function' ? s.isWellFormed() : !/\p{Surrogate}/u.test(s)) return;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { i++; continue; }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      throw cx.valueError(`string has an unpaired surrogate ${hex(c)} at index ${i}`);
    }
  }
}

function writeUtf16(cx, ptr, s, from = 0) {
  const bytes = cx.bytes();
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    bytes[ptr + 2 * i] = c & 0xff;
    bytes[ptr + 2 * i + 1] = c >>> 8;
  }
}

function writeLatin1(cx, ptr, s) {
  const bytes = cx.bytes();
  for (let i = 0; i < s.length; i++) bytes[ptr + i] = s.charCodeAt(i);
}

function hasNonLatin1(s) {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return true;
  return false;
}

/** The string's UTF-8 length without encoding it. */
function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/**
 * store_string_into_range(): returns [ptr, taggedCodeUnits] as numbers (the
 * tagged value as a BigInt for memory64). `v` is a JS string or LiftedString.
 */
export function storeStringIntoRange(cx, v) {
  let src;
  let srcEncoding;
  let srcCodeUnits;
  let srcSimple;
  let bytes = null;
  if (v instanceof LiftedString) {
    src = v.text;
    srcEncoding = v.encoding;
    srcCodeUnits = v.codeUnits;
    srcSimple = srcEncoding === 'latin1+utf16' ? (v.isUtf16 ? 'utf16' : 'latin1') : srcEncoding;
    bytes = v.bytes;
  } else if (typeof v === 'string') {
    checkWellFormed(cx, v);
    src = v;
    srcEncoding = 'utf16';
    srcSimple = 'utf16';
    srcCodeUnits = v.length;
  } else {
    throw cx.valueError(`expected a string, got ${typeof v}`);
  }
  if ((srcSimple === 'utf16' ? 2 : 1) * srcCodeUnits > MAX_STRING_BYTE_LENGTH) {
    throw cx.valueError(`string of ${srcCodeUnits} code units is longer than the Canonical ABI allows`);
  }
  const copy = (unitSize, align, enc) =>
    storeStringCopy(cx, src, srcCodeUnits, unitSize, align, enc, enc === srcSimple ? bytes : null);
  switch (cx.stringEncoding) {
    case 'utf8':
      if (srcSimple === 'utf8') return copy(1, 1, 'utf8');
      if (srcSimple === 'utf16') return storeUtf16ToUtf8(cx, src, srcCodeUnits);
      return storeLatin1ToUtf8(cx, src, srcCodeUnits);
    case 'utf16':
      if (srcSimple === 'utf8') return storeUtf8ToUtf16(cx, src, srcCodeUnits);
      if (srcSimple === 'utf16') return copy(2, 2, 'utf16');
      return storeStringCopy(cx, src, srcCodeUnits, 2, 2, 'utf16', null);
    default: // latin1+utf16
      if (srcEncoding === 'utf8' || srcEncoding === 'utf16') {
        return storeStringToLatin1OrUtf16(cx, src, srcCodeUnits);
      }
      if (srcSimple === 'latin1') return copy(1, 2, 'latin1');
      return storeProbablyUtf16ToLatin1OrUtf16(cx, src, srcCodeUnits);
  }
}

function tagged(cx, units, isUtf16) {
  if (!isUtf16) return cx.fromNumber(units);
  return cx.addr === 'i64' ? BigInt(units) | cx.utf16Tag : (units + cx.utf16Tag) >>> 0;
}

/** store_string_copy(): same code-unit count; `bytes` (if given) are the source's own bytes. */
function storeStringCopy(cx, src, srcCodeUnits, dstCodeUnitSize, dstAlignment, dstEncoding, bytes) {
  const dstByteLength = dstCodeUnitSize * srcCodeUnits;
  const ptr = cx.callRealloc(0, 0, dstAlignment, dstByteLength);
  if (bytes && bytes.length === dstByteLength) {
    cx.bytes().set(bytes, ptr);
  } else if (dstEncoding === 'utf8') {
    utf8Encoder.encodeInto(src, cx.bytes().subarray(ptr, ptr + dstByteLength));
  } else if (dstEncoding === 'utf16') {
    writeUtf16(cx, ptr, src);
  } else {
    writeLatin1(cx, ptr, src);
  }
  return [ptr, cx.fromNumber(srcCodeUnits)];
}

function storeUtf16ToUtf8(cx, src, srcCodeUnits) {
  return storeStringToUtf8(cx, src, srcCodeUnits, srcCodeUnits * 3);
}

function storeLatin1ToUtf8(cx, src, srcCodeUnits) {
  return storeStringToUtf8(cx, src, srcCodeUnits, srcCodeUnits * 2);
}

/** store_string_to_utf8(): optimistic ASCII copy, then the worst case, then shrink. */
function storeStringToUtf8(cx, src, srcCodeUnits, worstCaseSize) {
  let ptr = cx.callRealloc(0, 0, 1, srcCodeUnits);
  let bytes = cx.bytes();
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c < 0x80) {
      bytes[ptr + i] = c;
      continue;
    }
    // Everything before i was ASCII: one byte per code unit and per code point.
    ptr = cx.callRealloc(ptr, srcCodeUnits, 1, worstCaseSize);
    bytes = cx.bytes();
    const rest = utf8Encoder.encodeInto(src.slice(i), bytes.subarray(ptr + i, ptr + worstCaseSize));
    const encodedLength = i + rest.written;
    if (worstCaseSize > encodedLength) ptr = cx.callRealloc(ptr, worstCaseSize, 1, encodedLength);
    return [ptr, cx.fromNumber(encodedLength)];
  }
  return [ptr, cx.fromNumber(srcCodeUnits)];
}

/** store_utf8_to_utf16(): the worst case (2 bytes per UTF-8 byte), then shrink. */
function storeUtf8ToUtf16(cx, src, srcCodeUnits) {
  const worstCaseSize = 2 * srcCodeUnits;
  let ptr = cx.callRealloc(0, 0, 2, worstCaseSize);
  writeUtf16(cx, ptr, src);
  const encodedLength = 2 * src.length;
  if (encodedLength < worstCaseSize) ptr = cx.callRealloc(ptr, worstCaseSize, 2, encodedLength);
  return [ptr, cx.fromNumber(src.length)];
}

/** store_string_to_latin1_or_utf16(): Latin-1 while it fits, then inflate to UTF-16. */
function storeStringToLatin1OrUtf16(cx, src, srcCodeUnits) {
  let ptr = cx.callRealloc(0, 0, 2, srcCodeUnits);
  let dstByteLength = 0;
  let bytes = cx.bytes();
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c < 0x100) {
      bytes[ptr + dstByteLength] = c;
      dstByteLength += 1;
      continue;
    }
    const worstCaseSize = 2 * srcCodeUnits;
    ptr = cx.callRealloc(ptr, srcCodeUnits, 2, worstCaseSize);
    bytes = cx.bytes();
    for (let j = dstByteLength - 1; j >= 0; j--) {
      bytes[ptr + 2 * j] = bytes[ptr + j];
      bytes[ptr + 2 * j + 1] = 0;
    }
    // The UTF-16 code units from here on (index i == dstByteLength).
    writeUtf16(cx, ptr, src, i);
    const encodedLength = 2 * src.length;
    if (worstCaseSize > encodedLength) ptr = cx.callRealloc(ptr, worstCaseSize, 2, encodedLength);
    return [ptr, tagged(cx, src.length, true)];
  }
  if (dstByteLength < srcCodeUnits) ptr = cx.callRealloc(ptr, srcCodeUnits, 2, dstByteLength);
  return [ptr, cx.fromNumber(dstByteLength)];
}

/** store_probably_utf16_to_latin1_or_utf16(): UTF-16 first, deflate to Latin-1 if it fits. */
function storeProbablyUtf16ToLatin1OrUtf16(cx, src, srcCodeUnits) {
  const srcByteLength = 2 * srcCodeUnits;
  let ptr = cx.callRealloc(0, 0, 2, srcByteLength);
  writeUtf16(cx, ptr, src);
  if (hasNonLatin1(src)) return [ptr, tagged(cx, src.length, true)];
  const latin1Size = src.length;
  const bytes = cx.bytes();
  for (let i = 0; i < latin1Size; i++) bytes[ptr + i] = bytes[ptr + 2 * i];
  ptr = cx.callRealloc(ptr, srcByteLength, 1, latin1Size);
  return [ptr, cx.fromNumber(latin1Size)];
}

export { utf8Length };
