// lazylink: moving values from one component's memory to another's in one
// step — the JS adapter's core. Lifts with the source context and lowers
// with the destination context; strings keep their source encoding and
// code-unit count in between (the spec's String tuple), so transcoding makes
// exactly the spec's cabi_realloc calls.
//
//   const dstFlat = moveFlat(srcCx, srcFlat, t, dstCx);          // one value
//   const dstArgs = moveFlatValues(srcCx, MAX_FLAT_PARAMS, srcFlat, types, dstCx);
//   moveStored(srcCx, srcPtr, t, dstCx, dstPtr);                  // memory to memory

import { CoreValueIter, liftFlat, liftFlatValues, load } from './lift.mjs';
import { lowerFlat, lowerFlatValues, store } from './lower.mjs';

function withLiftedStrings(cx, f) {
  const saved = cx.liftOptions;
  cx.liftOptions = { lifted: true };
  try {
    return f();
  } finally {
    cx.liftOptions = saved;
  }
}

/** Lifts one value from flat values in `src` and lowers it to flat values in `dst`. */
export function moveFlat(src, flat, t, dst) {
  const v = withLiftedStrings(src, () => liftFlat(src, new CoreValueIter(flat), t));
  return lowerFlat(dst, v, t);
}

/** lift_flat_values on `src` then lower_flat_values on `dst` (a call's arguments or results). */
export function moveFlatValues(src, maxFlat, flat, ts, dst, outParam = null) {
  const vs = withLiftedStrings(src, () => liftFlatValues(src, maxFlat, new CoreValueIter(flat), ts));
  return lowerFlatValues(dst, maxFlat, vs, ts, outParam);
}

/** load from `src` at srcPtr, store into `dst` at dstPtr. */
export function moveStored(src, srcPtr, t, dst, dstPtr) {
  const v = withLiftedStrings(src, () => load(src, srcPtr, t));
  store(dst, v, t, dstPtr);
}
