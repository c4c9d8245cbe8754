// The invoke_ wrappers on their own, in Node, wasm (catch_all and the unwind
// counter, as Node 20 has no JSTag; JSTag where the engine has it) and JS:
// arguments and results of every kind (i64 split into halves and as
// BigInts), a C++ unwind caught (stack pointer restored, __THREW__ set),
// anything else passed on (stack pointer restored), and an unwind that
// escaped to JavaScript earlier not taken for the exception passing now.
//   node invoke_wasm.test.mjs
import assert from 'node:assert/strict';
import { ExitStatus, createHost } from '../../runtime/host/index.mjs';
import { JS_TAG, wasmInvokeSupported } from '../../runtime/host/invoke_wasm.mjs';
import { CppException } from '../../runtime/host/unwind.mjs';

const VT = { i: 0x7f, j: 0x7e, f: 0x7d, d: 0x7c };
const uleb = (n, out) => { do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); };
const str = (s, out) => { uleb(s.length, out); for (const c of s) out.push(c.charCodeAt(0)); };
const section = (id, body, out) => { out.push(id); uleb(body.length, out); out.push(...body); };
const type = (params, results, out) => {
  out.push(0x60); uleb(params.length, out); out.push(...params); uleb(results.length, out); out.push(...results);
};

// A wasm function of Emscripten signature `sig` that calls JS `fn` with its
// arguments (i64 as BigInt) and returns its result: what sits in the table.
function calleeFor(sig, fn) {
  const params = [...sig.slice(1)].map((c) => VT[c]);
  const results = sig[0] === 'v' ? [] : [VT[sig[0]]];
  const b = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  const t = [1]; type(params, results, t); section(1, t, b);
  const im = [1]; str('h', im); str('f', im); im.push(0, 0); section(2, im, b);
  section(3, [1, 0], b);
  const ex = [1]; str('g', ex); ex.push(0, 1); section(7, ex, b);
  const code = [0];
  params.forEach((_, i) => { code.push(0x20); uleb(i, code); });
  code.push(0x10, 0, 0x0b);
  const body = []; uleb(code.length, body); body.push(...code);
  section(10, [1, ...body], b);
  return new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(b)), { h: { f: fn } }).exports.g;
}

// The bytes of a module importing env.invoke_<sig> with its type split
// (legalized) or not: what the factory reads to tell the two apart.
function importerBytes(sig, bigint) {
  const params = [VT.i];
  for (const c of sig.slice(1)) {
    if (c === 'j' && !bigint) params.push(VT.i, VT.i);
    else params.push(VT[c]);
  }
  const results = sig[0] === 'v' ? [] : [sig[0] === 'j' && !bigint ? VT.i : VT[sig[0]]];
  const b = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  const t = [1]; type(params, results, t); section(1, t, b);
  const im = [1]; str('env', im); str(`invoke_${sig}`, im); im.push(0, 0); section(2, im, b);
  return new Uint8Array(b);
}

// A host with a domain of its own (table, __stack_pointer) and a fake
// libstd (setThrew records, stackSave/stackRestore on the same global).
function setup(wasmInvoke) {
  const host = createHost({ wasmInvoke });
  const table = new WebAssembly.Table({ element: 'anyfunc', initial: 8 });
  const stackPointer = new WebAssembly.Global({ value: 'i32', mutable: true }, 5000);
  host.attach({ table, stackPointer });
  const threw = [];
  host.onLibstd({
    setThrew: (a, b) => threw.push([a, b]),
    stackSave: () => stackPointer.value,
    stackRestore: (v) => { stackPointer.value = v; },
  });
  const factory = host.functions.find((f) => f[1] === 'invoke_*')[3];
  const ctx = host.context;
  const invoke = (sig, bigint = false) => factory(`invoke_${sig}`, importerBytes(sig, bigint));
  return { host, ctx, table, stackPointer, threw, invoke };
}

let passed = 0;
let failed = 0;
function check(name, fn) {
  try {
    fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n${e.stack}`);
  }
}

const kinds = wasmInvokeSupported() ? [true, false] : [false];
for (const wasmInvoke of kinds) {
  const kind = wasmInvoke ? `wasm (${JS_TAG ? 'JSTag' : 'catch_all'})` : 'JS';
  check(`${kind}: arguments and results of every kind`, () => {
    const s = setup(wasmInvoke);
    const f32 = Math.fround(1.25);
    const cases = [
      ['v', [], () => undefined, undefined],
      ['iii', [7, -3], (a, b) => a * b, -21],
      ['fff', [f32, 2], (a, b) => a + b, Math.fround(3.25)],
      ['ddi', [2.5, 4], (a, b) => a * b, 10],
    ];
    for (const [sig, args, fn, want] of cases) {
      s.table.set(1, calleeFor(sig, fn));
      const inv = s.invoke(sig);
      if (wasmInvoke) assert.ok(inv instanceof Function && /native code/.test(String(inv)), `${sig}: not a wasm function`);
      assert.equal(inv(1, ...args), want, sig);
    }
    assert.equal(s.ctx.invokeStats.wasm > 0, wasmInvoke);
  });

  check(`${kind}: i64 split into halves (legalized) and as BigInts (-sWASM_BIGINT)`, () => {
    const s = setup(wasmInvoke);
    // (x: i32, y: i64) -> i64: y * x + 1
    s.table.set(2, calleeFor('jij', (x, y) => y * BigInt(x) + 1n));
    const y = 0x1_2345_6789n;
    const legal = s.invoke('jij', false);
    const lo = legal(2, 3, Number(y & 0xffffffffn), Number(y >> 32n));
    const want = y * 3n + 1n;
    assert.equal(lo >>> 0, Number(want & 0xffffffffn));
    assert.equal(s.ctx.tempRet0 >>> 0, Number(want >> 32n), 'high half through tempRet0');
    const big = s.invoke('jij', true);
    assert.equal(big(2, 3, y), want);
  });

  check(`${kind}: a C++ unwind is caught: stack pointer restored, __THREW__ set, zero returned`, () => {
    const s = setup(wasmInvoke);
    s.table.set(3, calleeFor('ii', () => {
      s.stackPointer.value = 4000;  // the callee moved the stack
      s.ctx.throwUnwind(new CppException(1234, 0));
    }));
    assert.equal(s.invoke('ii')(3, 9), 0);
    assert.equal(s.stackPointer.value, 5000);
    assert.deepEqual(s.threw, [[1, 0]]);
  });

  check(`${kind}: anything else passes through, the stack pointer restored`, () => {
    const s = setup(wasmInvoke);
    s.table.set(4, calleeFor('vi', () => {
      s.stackPointer.value = 4000;
      throw new ExitStatus(3);
    }));
    assert.throws(() => s.invoke('vi')(4, 0), (e) => e instanceof ExitStatus && e.status === 3);
    assert.equal(s.stackPointer.value, 5000);
    assert.deepEqual(s.threw, []);
    s.table.set(5, calleeFor('v', () => { throw new TypeError('a JS error'); }));
    assert.throws(() => s.invoke('v')(5), TypeError);
    assert.deepEqual(s.threw, []);
  });

  check(`${kind}: an unwind that escaped to JavaScript earlier is not the exception passing now`, () => {
    const s = setup(wasmInvoke);
    // An uncaught C++ exception out of a call made from JS (no invoke_).
    const escaping = calleeFor('v', () => s.ctx.throwUnwind(new CppException(1, 0)));
    assert.throws(() => escaping(), CppException);
    // Then exit() inside an invoke_: it must end the program, not be
    // taken for that exception.
    s.table.set(6, calleeFor('v', () => { throw new ExitStatus(0); }));
    assert.throws(() => s.invoke('v')(6), ExitStatus);
    assert.deepEqual(s.threw, []);
    // And an unwind thrown now is still caught.
    s.table.set(7, calleeFor('v', () => s.ctx.throwUnwind(new CppException(2, 0))));
    s.invoke('v')(7);
    assert.deepEqual(s.threw, [[1, 0]]);
  });
}
console.log(`invoke_wasm (node): ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
