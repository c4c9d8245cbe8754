// lazylink: the Canonical ABI in JS, driven by type descriptors from the C++
// core. See docs/canonical-abi.md (what is implemented, the JS value mapping,
// the traps) and docs/type-descriptors.md (the descriptor format).
//
//   import { TypeTable, createContext, liftFlat, lowerFlat, CoreValueIter } from './web/cabi/index.mjs';
//   const table = new TypeTable(desc.types);
//   const t = table.type(ref);
//   const cx = createContext({ memory, realloc, stringEncoding: 'utf8', boundary: 'host -> plugin' });
//   const value = liftFlat(cx, new CoreValueIter([ptr, len]), t);

export { TypeTable, PRIMITIVES, primitive, typeToString } from './types.mjs';
export {
  MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, alignTo, alignment, despecializeCases, despecializeFields,
  discriminantSize, elemSize, flattenFuncType, flattenType, flattenTypes, flattenVariant, join,
  maxCaseAlignment, ptrSize,
} from './layout.mjs';
export {
  CanonicalAbiTrap, CanonicalAbiValueError, Context, MAX_LIST_BYTE_LENGTH,
  MAX_STRING_BYTE_LENGTH, STRING_ENCODINGS, createContext,
} from './context.mjs';
export { LiftedString, loadStringFromRange, storeStringIntoRange } from './strings.mjs';
export {
  CANONICAL_F32_NAN_BITS, CANONICAL_F64_NAN_BITS, CoreValueIter, convertI32ToChar,
  decodeI32AsFloat, decodeI64AsFloat, liftFlat, liftFlatValues, load, loadListFromRange, tupleOf,
  typedArrayFor, unpackFlagsFromInt,
} from './lift.mjs';
export {
  encodeFloatAsI32, encodeFloatAsI64, lowerFlat, lowerFlatValues, store, storeListIntoRange,
} from './lower.mjs';
export { moveFlat, moveFlatValues, moveStored } from './move.mjs';
