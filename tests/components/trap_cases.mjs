// One case per Canonical ABI trap an adapter must raise, with the exact
// message (after the boundary), for both adapter paths. After each trap the
// same adapter is called again with good values: both sides stay usable.
//
//   for (const c of trapCases) runTrapCase(c, makeAdapter) // -> '' or a failure
import { CanonicalAbiTrap, primitive } from '../../web/cabi/index.mjs';

const u8 = primitive('u8');
const u32 = primitive('u32');
const str = { t: primitive('string'), text: 'string' };
const T = (t, text) => ({ t, text });

export const BOUNDARY = 'caller -> callee f';

// Each case: params/results, caller/callee options, the bad call's flat
// arguments, a good call's, what the callee does, and the message.
export const trapCases = [
  {
    name: 'invalid UTF-8',
    params: [str],
    callerBytes: [0xff], bad: [0, 1], good: [1, 0],
    message: 'invalid UTF-8 in the string at 0x0 (1 bytes)',
  },
  {
    name: 'invalid UTF-16 (a lone surrogate)',
    params: [str], callerEncoding: 'utf16', calleeEncoding: 'utf16',
    callerBytes: [0x00, 0xd8, 0x41, 0x00], bad: [0, 1], good: [2, 1],
    message: 'invalid UTF-16 in the string at 0x0 (2 bytes)',
  },
  {
    name: 'char is a surrogate',
    params: [T(primitive('char'), 'char')], bad: [0xd800], good: [0x41],
    message: 'char 0xd800 is a surrogate, not a Unicode scalar value',
  },
  {
    name: 'char outside Unicode',
    params: [T(primitive('char'), 'char')], bad: [0x110000], good: [0x10ffff],
    message: 'char 0x110000 is outside Unicode (max 0x10ffff)',
  },
  {
    name: 'variant discriminant out of range',
    params: [T({ k: 'variant', cases: [{ label: 'a', t: u8 }, { label: 'b', t: null }] }, 'variant{a(u8), b}')],
    bad: [2, 0], good: [0, 7],
    message: 'variant discriminant 2 is out of range (2 cases)',
  },
  {
    name: 'enum discriminant out of range',
    params: [T({ k: 'enum', labels: ['a', 'b', 'c'] }, 'enum{a, b, c}')], bad: [3], good: [2],
    message: 'enum discriminant 3 is out of range (3 cases)',
  },
  {
    name: 'option discriminant out of range (in memory)',
    params: [T({ k: 'list', t: { k: 'option', t: u8 } }, 'list<option<u8>>')],
    callerBytes: [2, 0, 1, 5], bad: [0, 1], good: [2, 1],
    message: 'option discriminant 2 is out of range (2 cases)',
  },
  {
    name: 'result discriminant out of range',
    params: [T({ k: 'result', ok: u8, err: u8 }, 'result<u8, u8>')], bad: [2, 0], good: [1, 3],
    message: 'result discriminant 2 is out of range (2 cases)',
  },
  {
    name: 'misaligned list pointer',
    params: [T({ k: 'list', t: u32 }, 'list<u32>')], bad: [2, 1], good: [4, 1],
    message: 'list pointer 0x2 is not aligned to 4',
  },
  {
    name: 'misaligned string pointer (UTF-16)',
    params: [str], callerEncoding: 'utf16', calleeEncoding: 'utf8', callerBytes: [0x41, 0x41, 0x00],
    bad: [1, 1], good: [0, 1],
    message: 'string pointer 0x1 is not aligned to 2',
  },
  {
    name: 'out-of-bounds pointer, even for length 0',
    params: [T({ k: 'list', t: u8 }, 'list<u8>')], bad: [0x20000, 0], good: [0x10, 0],
    message: 'list at 0x20000 (0 bytes) is out of bounds of memory (65536 bytes)',
  },
  {
    name: 'out-of-bounds string',
    params: [str], bad: [0xfff0, 0x20], good: [0xfff0, 0x10],
    message: 'string at 0xfff0 (32 bytes) is out of bounds of memory (65536 bytes)',
  },
  {
    name: 'string longer than 2^28 - 1 bytes',
    params: [str], bad: [0, 0x10000000], good: [0, 3],
    message: 'string of 268435456 bytes is longer than the limit of 268435455',
  },
  {
    name: 'list longer than 2^28 - 1 bytes',
    params: [T({ k: 'list', t: primitive('u16') }, 'list<u16>')], bad: [0, 0x08000000], good: [0, 2],
    message: 'list of 134217728 elements (268435456 bytes) is longer than the limit of 268435455 bytes',
  },
  {
    name: 'cabi_realloc result misaligned',
    params: [T({ k: 'list', t: u32 }, 'list<u32>')], bad: [0, 1], good: [0, 1],
    badRealloc: () => 2,
    message: 'cabi_realloc returned 0x2, which is not aligned to 4',
  },
  {
    name: 'cabi_realloc result out of bounds',
    params: [T({ k: 'list', t: u32 }, 'list<u32>')], bad: [0, 2], good: [0, 2],
    badRealloc: () => 0xfffc,
    message: 'cabi_realloc returned 0xfffc for 8 bytes, past the end of memory (65536 bytes)',
  },
  {
    name: 'spilled arguments pointer misaligned',
    params: Array.from({ length: 17 }, () => T(u32, 'u32')), bad: [2], good: [4],
    message: 'values pointer 0x2 is not aligned to 4',
  },
  {
    name: 'callee results pointer out of bounds',
    results: [str], bad: [0], good: [0],
    calleeReturns: (bad) => (bad ? 0x10000 : 0x100),
    message: 'values at 0x10000 (8 bytes) is out of bounds of memory (65536 bytes)',
  },
  {
    name: 'caller result pointer out of bounds',
    results: [str], bad: [0xfffc], good: [0x200],
    calleeReturns: () => 0x100,
    message: 'result at 0xfffc (8 bytes) is out of bounds of memory (65536 bytes)',
  },
];

function bump(memory, start) {
  let next = start;
  return (oldPtr, oldSize, align, newSize) => {
    const ptr = Math.ceil(next / align) * align;
    new Uint8Array(memory.buffer).copyWithin(ptr, oldPtr, oldPtr + Math.min(oldSize, newSize));
    next = ptr + newSize;
    return ptr;
  };
}

/** Runs one case; returns '' or what went wrong. */
export function runTrapCase(c, makeAdapter) {
  const callerMemory = new WebAssembly.Memory({ initial: 1 });
  const calleeMemory = new WebAssembly.Memory({ initial: 1 });
  if (c.callerBytes) new Uint8Array(callerMemory.buffer).set(c.callerBytes);
  // The callee's string result at 0x100: "ok" (utf8).
  new Uint8Array(calleeMemory.buffer).set([0x00, 0x01, 0, 0, 2, 0, 0, 0], 0x100);
  new Uint8Array(calleeMemory.buffer).set([0x6f, 0x6b], 0x0100 + 0x0100);
  let useBad = false;
  const good = bump(calleeMemory, 0x1000);
  const realloc = (...a) => (useBad && c.badRealloc ? c.badRealloc(...a) : good(...a));
  let calls = 0;
  const adapter = makeAdapter({
    params: c.params ?? [],
    results: c.results ?? [],
    caller: { memory: callerMemory, addr: 'i32', encoding: c.callerEncoding ?? 'utf8', realloc: bump(callerMemory, 0x1000) },
    callee: {
      memory: calleeMemory, addr: 'i32', encoding: c.calleeEncoding ?? 'utf8', realloc,
      target: () => { calls++; return c.calleeReturns ? c.calleeReturns(useBad) : undefined; },
      postReturn: null,
    },
  });
  useBad = true;
  let error = null;
  try {
    adapter(...c.bad);
  } catch (e) {
    error = e;
  }
  useBad = false;
  if (!error) return 'did not trap';
  if (!(error instanceof CanonicalAbiTrap)) return `threw ${error.name}: ${error.message}`;
  if (error.message !== `${BOUNDARY}: ${c.message}`) return `message "${error.message}", want "${BOUNDARY}: ${c.message}"`;
  const before = calls;
  try {
    adapter(...c.good);
  } catch (e) {
    return `the call after the trap failed: ${e.message}`;
  }
  if (calls !== before + 1) return 'the call after the trap did not reach the callee';
  return '';
}
