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
