// The JS adapter: joins a caller component's import to a callee component's
// export where the engine has no multi-memory (Node 20). The Canonical ABI's
// `canon lower` on the caller's side fused with `canon lift` on the callee's,
// built on web/cabi's move primitives; post-return is called, cabi_realloc
// results are checked and every trap names the boundary.
//
//   const f = createJsAdapter({ func, caller: callerCx, callee: calleeCx,
//                               callee_export, post_return });
//   // f has the caller's lowered core signature: f(...flatArgs[, outPtr])
import {
  CoreValueIter, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flattenTypes, moveFlatValues,
} from '../cabi/index.mjs';

/**
 * func: {params: [{label, t}], results: [{label, t}]} (TypeTable.func).
 * caller, callee: web/cabi contexts (memory, addr, encoding, realloc, boundary).
 * target: the callee's core export; postReturn: its post-return or null.
 */
export function createJsAdapter({ func, caller, callee, target, postReturn = null }) {
  const paramTypes = func.params.map((p) => p.t);
  const resultTypes = func.results.map((r) => r.t);
  const fast = scalarAdapter(paramTypes, resultTypes, target, postReturn);
  if (fast) return fast;
  const spilledResults = flattenTypes(resultTypes, caller.addr).length > MAX_FLAT_RESULTS;
  return function adapter(...args) {
    const flatParams = spilledResults ? args.slice(0, -1) : args;
    const calleeArgs = moveFlatValues(caller, MAX_FLAT_PARAMS, flatParams, paramTypes, callee);
    const raw = target(...calleeArgs);
    const rawList = raw === undefined ? [] : [raw];
    const outParam = spilledResults ? new CoreValueIter([args[args.length - 1]]) : null;
    const out = moveFlatValues(callee, MAX_FLAT_RESULTS, rawList, resultTypes, caller, outParam);
    if (postReturn) postReturn(...rawList);
    return out.length ? out[0] : undefined;
  };
}

// Scalars only (no char: it can trap; no memory either side): lift and
// lower fused into one conversion per value, with no per-call allocation.
// Each is what liftFlat followed by lowerFlat does to a core value.
const SCALAR_MOVES = {
  bool: (v) => (v !== 0 ? 1 : 0),
  u8: (v) => v & 0xff,
  s8: (v) => (v << 24) >> 24,
  u16: (v) => v & 0xffff,
  s16: (v) => (v << 16) >> 16,
  u32: (v) => v,
  s32: (v) => v,
  u64: (v) => v,
  s64: (v) => v,
  f32: (v) => (v !== v ? NaN : v),  // canonical NaN, as lifting does
  f64: (v) => (v !== v ? NaN : v),
};

function scalarAdapter(paramTypes, resultTypes, target, postReturn) {
  // Beyond 16 flat parameters they travel in memory: the general path.
  if (resultTypes.length > MAX_FLAT_RESULTS || paramTypes.length > MAX_FLAT_PARAMS) return null;
  const all = [...paramTypes, ...resultTypes];
  if (!all.every((t) => Object.hasOwn(SCALAR_MOVES, t.k))) return null;
  const moves = paramTypes.map((t) => SCALAR_MOVES[t.k]);
  const out = resultTypes.length ? SCALAR_MOVES[resultTypes[0].k] : null;
  let call;
  switch (moves.length) {
    case 0: call = () => target(); break;
    case 1: { const [m0] = moves; call = (a) => target(m0(a)); break; }
    case 2: { const [m0, m1] = moves; call = (a, b) => target(m0(a), m1(b)); break; }
    case 3: { const [m0, m1, m2] = moves; call = (a, b, c) => target(m0(a), m1(b), m2(c)); break; }
    default: call = (...args) => target(...args.map((v, i) => moves[i](v)));
  }
  if (postReturn) {
    return (...args) => {
      const raw = call(...args);
      const r = out ? out(raw) : undefined;
      if (out) postReturn(raw); else postReturn();
      return r;
    };
  }
  return out ? (...args) => out(call(...args)) : (...args) => { call(...args); };
}
