// What the engine supports, probed once with tiny modules: multi-memory
// decides between the generated wasm adapters and the JS adapter; SIMD speeds
// up UTF-8 validation in the wasm adapters; tail calls let an adapter hand
// the callee's result straight back.
//
//   import { engineFeatures } from './features.mjs';
//   engineFeatures().multiMemory   // true in Chromium, false in Node 20

// (module (import "a" "m0" (memory 0)) (import "a" "m1" (memory 0))
//   (func (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy 0 1))
const MULTI_MEMORY = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x07, 0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00,
  0x02, 0x11, 0x02, 0x01, 0x61, 0x02, 0x6d, 0x30, 0x02, 0x00, 0x00,
  0x01, 0x61, 0x02, 0x6d, 0x31, 0x02, 0x00, 0x00,
  0x03, 0x02, 0x01, 0x00,
  0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0a, 0x00, 0x01, 0x0b,
]);

// (module (func (result i32) v128.const 0 i8x16.bitmask))
const SIMD = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
  0x03, 0x02, 0x01, 0x00,
  0x0a, 0x18, 0x01, 0x16, 0x00, 0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0xfd, 0x64, 0x0b,
]);

// (module (func $f) (func return_call $f))
const TAIL_CALLS = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
  0x03, 0x03, 0x02, 0x00, 0x00,
  0x0a, 0x09, 0x02, 0x02, 0x00, 0x0b, 0x04, 0x00, 0x12, 0x00, 0x0b,
]);

let cached = null;

function validates(bytes) {
  try {
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

export function engineFeatures() {
  cached ??= Object.freeze({
    multiMemory: validates(MULTI_MEMORY), simd: validates(SIMD), tailCalls: validates(TAIL_CALLS),
  });
  return cached;
}

/** A memory of the given address type ('i32', or 'i64' for memory64), or throws. */
export function createMemory({ initial = 1, maximum, addr = 'i32' } = {}) {
  if (addr === 'i32') return new WebAssembly.Memory({ initial, ...(maximum ? { maximum } : {}) });
  // The JS API spells the option `address` (older engines: `index`), and
  // takes BigInt sizes for memory64 in newer engines.
  const attempts = [
    { address: 'i64', initial: BigInt(initial) },
    { address: 'i64', initial },
    { index: 'i64', initial: BigInt(initial) },
    { index: 'i64', initial },
  ];
  for (const desc of attempts) {
    try {
      const m = new WebAssembly.Memory(desc);
      return m;
    } catch {
      // next spelling
    }
  }
  throw new Error('this engine cannot create a memory64 memory');
}
