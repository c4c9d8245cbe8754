// Messages of the traps the generated wasm adapters report through their
// `trap` import (loader/component/adapter.h, TrapKind), worded exactly as
// the JS Canonical ABI (web/cabi) words the same traps, so both adapter paths
// say the same thing.
//
//   const trap = adapterTrap({ boundaries: ['host -> plugin ns:pkg/i#f'], memories: [m0, m1] });
//   // imports.a.trap = trap   — throws CanonicalAbiTrap
import { CanonicalAbiTrap, MAX_LIST_BYTE_LENGTH, MAX_STRING_BYTE_LENGTH } from '../cabi/index.mjs';

const WHAT = ['string', 'list', 'values', 'result', 'map'];
const DISCRIMINANT = ['variant', 'enum', 'option', 'result'];

function hex(n) {
  return `0x${BigInt.asUintN(64, BigInt(n)).toString(16)}`;
}

function memoryLength(m) {
  return m ? m.buffer.byteLength : 0;
}

/** The trap's message (without the boundary). */
export function trapMessage(code, a, b, memories) {
  const kind = code & 15;
  const what = (code >> 4) & 15;
  const side = (code >> 8) & 1;
  const w = WHAT[what] ?? 'value';
  const n = (x) => Number(BigInt.asUintN(64, BigInt(x)));
  switch (kind) {
    case 1: return `${w} pointer ${hex(a)} is not aligned to ${n(b)}`;
    case 2: return `${w} at ${hex(a)} (${n(b)} bytes) is out of bounds of memory (${memoryLength(memories[side])} bytes)`;
    case 3: return `string of ${n(a)} bytes is longer than the limit of ${MAX_STRING_BYTE_LENGTH}`;
    case 4: {
      const count = n(a);
      const bytes = count * n(b);
      return `${w} of ${count} elements (${bytes} bytes) is longer than the limit of ${MAX_LIST_BYTE_LENGTH} bytes`;
    }
    case 5: return `invalid UTF-8 in the string at ${hex(a)} (${n(b)} bytes)`;
    case 6: return `invalid UTF-16 in the string at ${hex(a)} (${n(b)} bytes)`;
    case 7: return `char ${hex(a)} is outside Unicode (max 0x10ffff)`;
    case 8: return `char ${hex(a)} is a surrogate, not a Unicode scalar value`;
    case 9: {
      const count = n(b);
      return `${DISCRIMINANT[what] ?? 'variant'} discriminant ${n(a)} is out of range (${count} case${count === 1 ? '' : 's'})`;
    }
    case 10: return `cabi_realloc returned ${hex(a)}, which is not aligned to ${n(b)}`;
    case 11: return `cabi_realloc returned ${hex(a)} for ${n(b)} bytes, past the end of memory (${memoryLength(memories[side])} bytes)`;
    default: return `trap ${code} (${a}, ${b})`;
  }
}

/**
 * The `trap` import of an adapter module: (fn, code, a, b) -> throws.
 * boundaries[fn] names the boundary of adapter function fn; memories are
 * [caller memory, callee memory] (or a function returning them).
 */
export function adapterTrap({ boundaries, memories }) {
  return (fn, code, a, b) => {
    const mems = typeof memories === 'function' ? memories() : memories;
    throw new CanonicalAbiTrap(trapMessage(code, a, b, mems), boundaries[fn] ?? `adapter function ${fn}`);
  };
}
