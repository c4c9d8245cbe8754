// Prototype PLT trampolines for the call-cost benchmark, emitted here (not
// by the linker) to try changes to the PLT's code before proposing them:
//   'call'  what loader/link/plt.cc emits: local.get*, i32.const SLOT,
//           call_indirect through the imported table (the control)
//   'tail'  the same with return_call_indirect (tail call, wasm 3.0): the
//           callee returns straight to the caller, no PLT frame left
//   'ref'   no table: the target sits in a global of type (ref null $t),
//           set once by `bind` (ref.cast from funcref); the entry does
//           global.get + call_ref (typed function references, wasm 3.0):
//           no bounds or signature check on the call
//   'refTail'  the same with return_call_ref
// One function `t0` of type (i32) -> i32 per module; 'ref' modules also
// export `bind(funcref)` instead of importing a table.
function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
function sleb(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
const str = (s) => [...uleb(s.length), ...new TextEncoder().encode(s)];
const section = (id, body) => [id, ...uleb(body.length), ...body];

export function refTrampolineModule(tail) {
  // types: 0 = (i32) -> i32, 1 = (funcref) -> ()
  const types = section(1, [2, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 1, 0x70, 0]);
  const funcs = section(3, [2, 0, 1]);
  // global 0: (mut (ref null 0)) = ref.null 0
  const globals = section(6, [1, 0x63, 0, 1, 0xd0, 0, 0x0b]);
  const exports = section(7, [2, ...str('t0'), 0x00, 0, ...str('bind'), 0x00, 1]);
  const t0 = [0, 0x20, 0, 0x23, 0, tail ? 0x15 : 0x14, 0, 0x0b];
  const bind = [0, 0x20, 0, 0xfb, 0x17, 0, 0x24, 0, 0x0b];
  const code = section(10, [2, ...uleb(t0.length), ...t0, ...uleb(bind.length), ...bind]);
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...funcs, ...globals, ...exports, ...code]);
}

export function trampolineModule(slot, mode) {
  if (mode === 'ref' || mode === 'refTail') return refTrampolineModule(mode === 'refTail');
  const op = { call: 0x11, tail: 0x13 }[mode];
  if (op === undefined) throw new Error(`unknown trampoline mode ${mode}`);
  const types = section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]);
  const imports = section(2, [1, ...str('env'), ...str('__indirect_function_table'), 0x01, 0x70, 0x00, 0x00]);
  const funcs = section(3, [1, 0]);
  const exports = section(7, [1, ...str('t0'), 0x00, 0]);
  const body = [0, 0x20, 0, 0x41, ...sleb(slot), op, 0, 0, 0x0b];
  const code = section(10, [1, ...uleb(body.length), ...body]);
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...funcs, ...exports, ...code]);
}
