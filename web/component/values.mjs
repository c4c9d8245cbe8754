// The JS view of components: a component's exports called with JS values,
// and JS functions serving a component's imports — the same mapping as
// web/cabi (docs/canonical-abi.md), plus, at the call layer: a function
// whose single result is result<T, E> returns T or throws a ComponentError
// carrying E; named results come back as an object.
//
//   const render = exportFunction({ func, cx, target: exports['ns:pkg/i#render'],
//                                   postReturn, boundary: 'js -> plugin ns:pkg/i#render' });
//   try { svg = render('Sales', [{label: 'a', value: 1}]); } catch (e) { e.payload }
//   const log = importFunction({ func, cx: () => cx, impl: (msg) => console.log(msg) });
import {
  CoreValueIter, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flattenTypes, liftFlatValues,
  lowerFlatValues,
} from '../cabi/index.mjs';

/** The error value of a result<T, E> (thrown by exports, thrown to answer an import). */
export class ComponentError extends Error {
  constructor(payload, boundary = '') {
    const shown = typeof payload === 'string' ? payload : JSON.stringify(payload, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
    super(boundary ? `${boundary}: returned an error: ${shown}` : `component error: ${shown}`);
    this.name = 'ComponentError';
    this.payload = payload;
    this.boundary = boundary;
  }
}

function singleResult(func) {
  return func.results.length === 1 && !func.results[0].label;
}

/** JS-callable export. `cx` is the component's context (or a function returning it). */
export function exportFunction({ func, cx, target, postReturn = null, boundary = '', guard = null }) {
  const paramTypes = func.params.map((p) => p.t);
  const resultTypes = func.results.map((r) => r.t);
  const context = typeof cx === 'function' ? cx : () => cx;
  const call = (...args) => {
    if (args.length !== paramTypes.length) {
      throw new TypeError(`${boundary}: expected ${paramTypes.length} argument(s), got ${args.length}`);
    }
    const c = context();
    const flat = lowerFlatValues(c, MAX_FLAT_PARAMS, args, paramTypes);
    const raw = target(...flat);
    const rawList = raw === undefined ? [] : [raw];
    const values = liftFlatValues(c, MAX_FLAT_RESULTS, new CoreValueIter(rawList), resultTypes);
    if (postReturn) postReturn(...rawList);
    if (resultTypes.length === 0) return undefined;
    if (!singleResult(func)) return Object.fromEntries(func.results.map((r, i) => [r.label, values[i]]));
    const v = values[0];
    if (resultTypes[0].k === 'result') {
      if (v.tag === 'err') throw new ComponentError(v.val, boundary);
      return v.val;
    }
    return v;
  };
  return guard ? (...args) => guard(() => call(...args)) : call;
}

/** A core function serving an import with a JS implementation. */
export function importFunction({ func, cx, impl, boundary = '', addr = 'i32' }) {
  const paramTypes = func.params.map((p) => p.t);
  const resultTypes = func.results.map((r) => r.t);
  const context = typeof cx === 'function' ? cx : () => cx;
  const spilled = flattenTypes(resultTypes, addr).length > MAX_FLAT_RESULTS;
  const isResult = singleResult(func) && resultTypes[0].k === 'result';
  return (...flat) => {
    const c = context();
    const flatParams = spilled ? flat.slice(0, -1) : flat;
    const args = liftFlatValues(c, MAX_FLAT_PARAMS, new CoreValueIter(flatParams), paramTypes);
    let value;
    if (isResult) {
      try {
        value = { tag: 'ok', val: impl(...args) };
      } catch (e) {
        if (!(e instanceof ComponentError)) throw e;
        value = { tag: 'err', val: e.payload };
      }
    } else {
      value = impl(...args);
    }
    let values;
    if (resultTypes.length === 0) values = [];
    else if (singleResult(func)) values = [value];
    else values = func.results.map((r) => value?.[r.label]);
    const out = lowerFlatValues(c, MAX_FLAT_RESULTS, values, resultTypes,
      spilled ? new CoreValueIter([flat[flat.length - 1]]) : null);
    return out.length ? out[0] : undefined;
  };
}
