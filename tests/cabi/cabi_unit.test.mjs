// Unit tests of the JS Canonical ABI (web/cabi/): one test per trap kind,
// cabi_realloc result checks, the JS value mapping (round trips through
// memory and flat values), nested options, and moves between memories.
// Types are hand-written descriptors (docs/type-descriptors.md).
//
//   node --test tests/cabi/cabi_unit.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  CanonicalAbiTrap, CanonicalAbiValueError, CoreValueIter, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS,
  TypeTable, createContext, elemSize, liftFlat, liftFlatValues, load, lowerFlat, lowerFlatValues,
  moveFlat, moveFlatValues, moveStored, store,
} from '../../web/cabi/index.mjs';

const table = new TypeTable();
const T = (desc) => table.type(desc);

function bump(memory, start = 0) {
  const calls = [];
  let next = start;
  const realloc = (oldPtr, oldSize, align, newSize) => {
    calls.push([oldPtr, oldSize, align, newSize].map(Number));
    const ptr = Math.ceil(next / Number(align)) * Number(align);
    memory.copyWithin(ptr, Number(oldPtr), Number(oldPtr) + Math.min(Number(oldSize), Number(newSize)));
    next = ptr + Number(newSize);
    return typeof newSize === 'bigint' ? BigInt(ptr) : ptr;
  };
  return { realloc, calls };
}

function cxWith(bytes, options = {}) {
  const memory = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return createContext({ memory, boundary: 'host -> plugin f', ...options });
}

function roundTrip(type, value, options = {}) {
  const memory = new Uint8Array(4096);
  const t = T(type);
  const cx = cxWith(memory, { realloc: bump(memory, 256).realloc, ...options });
  store(cx, value, t, 0);
  const fromMemory = load(cx, 0, t);
  const flat = lowerFlat(cx, value, t);
  const fromFlat = liftFlat(cx, new CoreValueIter(flat), t);
  return { fromMemory, fromFlat };
}

function assertTrap(f, pattern) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof CanonicalAbiTrap, `expected a CanonicalAbiTrap, got ${e}`);
    assert.match(e.message, /^host -> plugin f: /);
    assert.match(e.message, pattern);
    return true;
  });
}

// --- traps -----------------------------------------------------------------------

test('trap: invalid UTF-8', () => {
  const cx = cxWith([0x61, 0xc3]);
  assertTrap(() => liftFlat(cx, new CoreValueIter([0, 2]), T('string')), /invalid UTF-8 in the string at 0x0 \(2 bytes\)/);
  // An encoded surrogate is not UTF-8 either.
  assertTrap(() => liftFlat(cxWith([0xed, 0xa0, 0x80]), new CoreValueIter([0, 3]), T('string')), /invalid UTF-8/);
});

test('trap: invalid UTF-16 (unpaired surrogate)', () => {
  const cx = cxWith([0x00, 0xd8, 0x61, 0x00], { stringEncoding: 'utf16' });
  assertTrap(() => liftFlat(cx, new CoreValueIter([0, 2]), T('string')), /invalid UTF-16/);
  const tagged = cxWith([0x00, 0xdc], { stringEncoding: 'latin1+utf16' });
  assertTrap(() => liftFlat(tagged, new CoreValueIter([0, 2 ** 31 + 1]), T('string')), /invalid UTF-16/);
});

test('trap: char outside Unicode scalar values', () => {
  const cx = cxWith([]);
  assertTrap(() => liftFlat(cx, new CoreValueIter([0xd800]), T('char')), /char 0xd800 is a surrogate/);
  assertTrap(() => liftFlat(cx, new CoreValueIter([0x110000]), T('char')), /char 0x110000 is outside Unicode/);
  assertTrap(() => load(cxWith([0xff, 0xff, 0xff, 0xff]), 0, T('char')), /outside Unicode/);
});

test('trap: bad discriminant for variant, enum, option and result', () => {
  const cx = cxWith([5, 0, 0, 0, 0, 0, 0, 0]);
  assertTrap(() => liftFlat(cx, new CoreValueIter([2, 0]), T({ k: 'variant', cases: [['a', 'u8'], ['b', null]] })), /variant discriminant 2 is out of range \(2 cases\)/);
  assertTrap(() => load(cx, 0, T({ k: 'enum', labels: ['a', 'b'] })), /enum discriminant 5/);
  assertTrap(() => load(cx, 0, T({ k: 'option', t: 'u8' })), /option discriminant 5/);
  assertTrap(() => liftFlat(cx, new CoreValueIter([2]), T({ k: 'result', ok: null, err: null })), /result discriminant 2/);
});

test('trap: misaligned pointer, even for length 0', () => {
  const cx = cxWith(new Uint8Array(16));
  assertTrap(() => liftFlat(cx, new CoreValueIter([1, 0]), T({ k: 'list', t: 'u32' })), /list pointer 0x1 is not aligned to 4/);
  const utf16 = cxWith(new Uint8Array(16), { stringEncoding: 'utf16' });
  assertTrap(() => liftFlat(utf16, new CoreValueIter([3, 0]), T('string')), /string pointer 0x3 is not aligned to 2/);
});

test('trap: out-of-bounds pointer, even for length 0', () => {
  const cx = cxWith(new Uint8Array(8));
  assertTrap(() => liftFlat(cx, new CoreValueIter([9, 0]), T('string')), /string at 0x9 \(0 bytes\) is out of bounds of memory \(8 bytes\)/);
  assertTrap(() => liftFlat(cx, new CoreValueIter([4, 2]), T({ k: 'list', t: 'u32' })), /out of bounds/);
  // memory64: a pointer beyond 2^53 is out of bounds, not wrapped.
  const cx64 = cxWith(new Uint8Array(8), { addr: 'i64' });
  assertTrap(() => liftFlat(cx64, new CoreValueIter([2n ** 60n, 0n]), T('string')), /out of bounds/);
});

test('trap: string or list longer than 2^28 - 1 bytes', () => {
  const cx = cxWith(new Uint8Array(8));
  assertTrap(() => liftFlat(cx, new CoreValueIter([0, 2 ** 28]), T('string')), /string of 268435456 bytes is longer than the limit of 268435455/);
  const utf16 = cxWith(new Uint8Array(8), { stringEncoding: 'utf16' });
  assertTrap(() => liftFlat(utf16, new CoreValueIter([0, 2 ** 27]), T('string')), /longer than the limit/);
  assertTrap(() => liftFlat(cx, new CoreValueIter([0, 2 ** 26]), T({ k: 'list', t: 'u32' })), /list of 67108864 elements \(268435456 bytes\) is longer than the limit/);
});

test('trap: values pointer of lift_flat_values out of bounds or misaligned', () => {
  const ts = Array.from({ length: 17 }, () => T('u32'));
  const cx = cxWith(new Uint8Array(64));
  assertTrap(() => liftFlatValues(cx, MAX_FLAT_PARAMS, new CoreValueIter([2]), ts), /values pointer 0x2 is not aligned to 4/);
  assertTrap(() => liftFlatValues(cx, MAX_FLAT_PARAMS, new CoreValueIter([4]), ts), /values at 0x4 \(68 bytes\) is out of bounds/);
});

test('trap: cabi_realloc result misaligned or out of bounds', () => {
  const memory = new Uint8Array(64);
  const misaligned = cxWith(memory, { realloc: () => 3 });
  assertTrap(() => lowerFlat(misaligned, [1, 2], T({ k: 'list', t: 'u32' })), /cabi_realloc returned 0x3, which is not aligned to 4/);
  const outside = cxWith(memory, { realloc: () => 60 });
  assertTrap(() => lowerFlat(outside, 'hello', T('string')), /cabi_realloc returned 0x3c for 5 bytes, past the end of memory \(64 bytes\)/);
  // realloc is called (and checked) even for size 0.
  let calls = 0;
  const zero = cxWith(memory, { realloc: () => { calls++; return 65; } });
  assertTrap(() => lowerFlat(zero, '', T('string')), /past the end of memory/);
  assert.equal(calls, 1);
});

test('not a trap: integers truncate, any non-zero bool is true, unknown flag bits are ignored', () => {
  const cx = cxWith([]);
  assert.equal(liftFlat(cx, new CoreValueIter([0x1ff]), T('u8')), 0xff);
  assert.equal(liftFlat(cx, new CoreValueIter([0xffffffff]), T('s16')), -1);
  assert.equal(liftFlat(cx, new CoreValueIter([-1]), T('u32')), 0xffffffff);
  assert.equal(liftFlat(cx, new CoreValueIter([2]), T('bool')), true);
  assert.deepEqual(liftFlat(cx, new CoreValueIter([0xf5]), T({ k: 'flags', labels: ['a', 'b'] })), { a: true, b: false });
});

// --- JS values ------------------------------------------------------------------

test('value errors name the place in the value', () => {
  const memory = new Uint8Array(1024);
  const cx = cxWith(memory, { realloc: bump(memory, 64).realloc });
  const t = T({ k: 'record', fields: [['width', 'u16'], ['tags', { k: 'list', t: 'string' }]] });
  assert.throws(() => store(cx, { width: 70000, tags: [] }, t, 0), (e) => e instanceof CanonicalAbiValueError && /expected u16 .* at \.width, got 70000/.test(e.message));
  assert.throws(() => store(cx, { width: 1, tags: ['a', 5] }, t, 0), /expected a string/);
  assert.throws(() => store(cx, { width: 1 }, t, 0), /missing field "tags"/);
  assert.throws(() => lowerFlat(cx, 'ab', T('char')), /expected a char/);
  assert.throws(() => lowerFlat(cx, '\ud800', T('string')), /unpaired surrogate 0xd800 at index 0/);
  assert.throws(() => lowerFlat(cx, { tag: 'nope' }, T({ k: 'variant', cases: [['a', null]] })), /tag one of a/);
  assert.throws(() => lowerFlat(cx, { c: true }, T({ k: 'flags', labels: ['a'] })), /unknown flag "c"/);
  assert.throws(() => lowerFlat(cx, 1, T({ k: 'own', resource: 'blob' })), /resource handle own<blob> cannot cross this boundary/);
});

test('JS value mapping round-trips through memory and flat values', () => {
  const cases = [
    ['bool', true],
    ['s8', -5],
    ['u64', 2n ** 64n - 1n],
    ['s64', -(2n ** 63n)],
    ['f64', -0.5],
    ['char', '😀'],
    ['string', 'héllo wörld 😀'],
    [{ k: 'list', t: 'u8' }, new Uint8Array([1, 2, 3])],
    [{ k: 'list', t: 's64' }, new BigInt64Array([-1n, 5n])],
    [{ k: 'list', t: 'f32' }, new Float32Array([1.5, -2])],
    [{ k: 'list', t: 'bool' }, [true, false]],
    [{ k: 'list', t: 'u16', n: 3 }, new Uint16Array([7, 8, 9])],
    [{ k: 'list', t: { k: 'list', t: 'string' } }, [['a', 'b'], [], ['c']]],
    [{ k: 'record', fields: [['x', 'u8'], ['name', 'string']] }, { x: 1, name: 'n' }],
    [{ k: 'tuple', ts: ['u8', 'string', 'f32'] }, [1, 'two', 3]],
    [{ k: 'variant', cases: [['a', 'u8'], ['b', 'f64'], ['c', null]] }, { tag: 'b', val: 2.5 }],
    [{ k: 'variant', cases: [['a', 'u8'], ['b', 'f64'], ['c', null]] }, { tag: 'c' }],
    [{ k: 'enum', labels: ['red', 'green'] }, 'green'],
    [{ k: 'flags', labels: ['read', 'write', 'exec'] }, { read: true, write: false, exec: true }],
    [{ k: 'option', t: 'string' }, null],
    [{ k: 'option', t: 'string' }, 'x'],
    [{ k: 'result', ok: 'u32', err: 'string' }, { tag: 'ok', val: 7 }],
    [{ k: 'result', ok: 'u32', err: 'string' }, { tag: 'err', val: 'bad' }],
    [{ k: 'result', ok: null, err: null }, { tag: 'err' }],
    [{ k: 'map', key: 'string', value: 'u32' }, [['a', 1], ['b', 2]]],
  ];
  for (const [type, value] of cases) {
    for (const stringEncoding of ['utf8', 'utf16', 'latin1+utf16']) {
      for (const addr of ['i32', 'i64']) {
        const { fromMemory, fromFlat } = roundTrip(type, value, { stringEncoding, addr });
        assert.deepEqual(fromMemory, value, `${JSON.stringify(type)} ${stringEncoding} ${addr} (memory)`);
        assert.deepEqual(fromFlat, value, `${JSON.stringify(type)} ${stringEncoding} ${addr} (flat)`);
      }
    }
  }
});

test('option<option<T>>: the inner option is tagged', () => {
  const t = { k: 'option', t: { k: 'option', t: 'u8' } };
  for (const value of [null, { tag: 'none' }, { tag: 'some', val: 5 }]) {
    const { fromMemory, fromFlat } = roundTrip(t, value);
    assert.deepEqual(fromMemory, value);
    assert.deepEqual(fromFlat, value);
  }
  // Memory layout: outer discriminant, inner discriminant, payload.
  const memory = new Uint8Array(8);
  store(cxWith(memory), { tag: 'none' }, T(t), 0);
  assert.deepEqual([...memory.subarray(0, 3)], [1, 0, 0]);
});

test('NaN is canonicalized when lowering floats', () => {
  const memory = new Uint8Array(8);
  const view = new DataView(memory.buffer);
  const cx = cxWith(memory);
  view.setUint32(0, 0x7fc00001, true);
  const f = load(cx, 0, T('f32'));
  store(cx, f, T('f32'), 4);
  assert.equal(view.getUint32(4, true), 0x7fc00000);
  const list = new Float32Array(new Uint32Array([0x7fa00000]).buffer);
  const mem2 = new Uint8Array(64);
  const cx2 = cxWith(mem2, { realloc: bump(mem2, 16).realloc });
  const [ptr] = lowerFlat(cx2, list, T({ k: 'list', t: 'f32' }));
  assert.equal(new DataView(mem2.buffer).getUint32(ptr, true), 0x7fc00000);
});

test('lower_flat_values spills past MAX_FLAT_RESULTS: realloc or the caller\'s out pointer', () => {
  const memory = new Uint8Array(256);
  const b = bump(memory, 32);
  const cx = cxWith(memory, { realloc: b.realloc });
  const ts = [T({ k: 'tuple', ts: ['u32', 'string'] })];
  const [ptr] = lowerFlatValues(cx, MAX_FLAT_RESULTS, [[7, 'hi']], ts);
  assert.equal(ptr, 32);
  assert.deepEqual(b.calls[0], [0, 0, 4, 12]);
  assert.deepEqual(liftFlatValues(cx, MAX_FLAT_RESULTS, new CoreValueIter([ptr]), ts), [[7, 'hi']]);
  const out = lowerFlatValues(cx, MAX_FLAT_RESULTS, [[8, 'yo']], ts, new CoreValueIter([0]));
  assert.deepEqual(out, []);
  assert.deepEqual(load(cx, 0, ts[0]), [8, 'yo']);
});

// --- move between memories --------------------------------------------------------

test('move: a record with strings and lists from a utf8 wasm32 memory to a utf16 memory64', () => {
  const t = T({ k: 'record', fields: [['name', 'string'], ['data', { k: 'list', t: 'u16' }], ['tags', { k: 'list', t: 'string' }]] });
  const srcMem = new Uint8Array(1024);
  const src = cxWith(srcMem, { realloc: bump(srcMem, 64).realloc });
  const value = { name: 'ünï', data: new Uint16Array([1, 2]), tags: ['x', 'yz'] };
  const flat = lowerFlat(src, value, t);
  const dstMem = new Uint8Array(1024);
  const dstAlloc = bump(dstMem, 8);
  const dst = cxWith(dstMem, { realloc: dstAlloc.realloc, addr: 'i64', stringEncoding: 'utf16' });
  const moved = moveFlat(src, flat, t, dst);
  assert.equal(typeof moved[0], 'bigint');
  assert.deepEqual(liftFlat(dst, new CoreValueIter(moved), t), value);
  // utf8 "ünï" is 5 bytes: utf8 -> utf16 allocates the worst case (10) then shrinks to 6.
  assert.deepEqual(dstAlloc.calls.slice(0, 2), [[0, 0, 2, 10], [8, 10, 2, 6]]);
  // Memory to memory, and a call's arguments.
  moveStored(src, 0, T('u32'), dst, 0);
  const args = moveFlatValues(src, MAX_FLAT_PARAMS, flat, [t], dst);
  assert.deepEqual(liftFlatValues(dst, MAX_FLAT_PARAMS, new CoreValueIter(args), [t]), [value]);
});

test('move: a trap in the source leaves the destination untouched', () => {
  const src = cxWith([0xff]);
  const dstMem = new Uint8Array(64);
  const dstAlloc = bump(dstMem);
  const dst = cxWith(dstMem, { realloc: dstAlloc.realloc });
  assertTrap(() => moveFlat(src, [0, 1], T('string'), dst), /invalid UTF-8/);
  assert.equal(dstAlloc.calls.length, 0);
});

test('memory growth: views are re-created after realloc grows the memory', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  let next = 0;
  const realloc = (oldPtr, oldSize, align, newSize) => {
    if (next + newSize > memory.buffer.byteLength) memory.grow(1);
    const ptr = Math.ceil(next / align) * align;
    next = ptr + newSize;
    return ptr;
  };
  const cx = createContext({ memory, realloc });
  const big = 'x'.repeat(70000);
  const [ptr, len] = lowerFlat(cx, big, T('string'));
  assert.equal(memory.buffer.byteLength, 2 * 65536);
  assert.equal(liftFlat(cx, new CoreValueIter([ptr, len]), T('string')), big);
  assert.equal(elemSize(T('string'), 'i64'), 16);
});
