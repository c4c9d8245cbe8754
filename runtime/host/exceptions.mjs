// C++ exceptions as Emscripten 3.1.6 compiles them without wasm exception
// handling (-fexceptions): a throw is a JS throw of a CppException, calls
// that may throw go through invoke_<sig> (unwind.mjs), and a landing pad asks
// __cxa_find_matching_catch_<N>(types...) which catch clause applies. The
// type matching itself (base classes, pointer conversions) is libstd-eh's
// exported __cxa_can_catch; this file keeps the bookkeeping.
//
// Memory layout (our own; app code never reads it):
//   thrown object - 16: exception header, allocated with the object by
//     __cxa_allocate_exception:
//       +0 refcount (i32)  +4 type_info*  +8 destructor (table index)
//       +12 caught (u8)    +13 rethrown (u8)
//   catch record (malloc'ed 12 bytes, what landing pads pass around):
//       +0 thrown object   +4 adjusted pointer
//       +8 1 if the adjusted pointer is already the caught pointer's value
//          (__cxa_can_catch matched a pointer type), else 0
//
// An exception nobody catches ends the program like a native terminate:
// `terminate called after throwing an instance of 'T'` (+ what()), status 134.
import { CppException } from './unwind.mjs';

const ENV = 'env';
const HEADER = 16;
const H_REFCOUNT = 0;
const H_TYPE = 4;
const H_DESTRUCTOR = 8;
const H_CAUGHT = 12;
const H_RETHROWN = 13;
const RECORD = 12;
const R_BASE = 0;
const R_ADJUSTED = 4;
const R_IS_VALUE = 8;
const RTLD_DEFAULT_ID = 0xffffffff;

export function exceptionFunctions(ctx) {
  // Exceptions being handled, innermost last (catch record addresses).
  const caught = [];
  let last = 0;       // the thrown object currently propagating
  let uncaught = 0;   // thrown and not yet caught (std::uncaught_exceptions)

  const lib = () => ctx.libstd;
  // For messages naming C++ functions (the loader's, for one).
  ctx.demangle = (name) => demangle(ctx, name);
  const header = (obj) => obj - HEADER;
  const typeOf = (obj) => ctx.u32(header(obj) + H_TYPE);
  const flag = (obj, off) => ctx.u8[header(obj) + off] !== 0;
  const setFlag = (obj, off, v) => { ctx.u8[header(obj) + off] = v ? 1 : 0; };

  const newRecord = (base) => {
    const r = lib().malloc(RECORD) >>> 0;
    if (!r) ctx.abort('out of memory while catching a C++ exception');
    ctx.setU32(r + R_BASE, base);
    ctx.setU32(r + R_ADJUSTED, base);
    ctx.setU32(r + R_IS_VALUE, 0);
    return r;
  };

  // What the catch clause receives: the (adjusted) object address, or for a
  // pointer type the pointer value itself.
  const caughtPointer = (record) => {
    const base = ctx.u32(record + R_BASE);
    const adjusted = ctx.u32(record + R_ADJUSTED);
    if (ctx.u32(record + R_IS_VALUE)) return adjusted;
    const type = typeOf(base);
    if (type && lib().__cxa_is_pointer_type(type)) return ctx.u32(base);
    return adjusted || base;
  };

  const addRef = (obj) => {
    ctx.setI32(header(obj) + H_REFCOUNT, ctx.i32(header(obj) + H_REFCOUNT) + 1);
  };
  // Drops a reference; the last one destroys and frees the object, unless it
  // is being rethrown (its next handler takes a new reference).
  const release = (obj) => {
    const count = ctx.i32(header(obj) + H_REFCOUNT) - 1;
    ctx.setI32(header(obj) + H_REFCOUNT, count);
    if (count > 0 || flag(obj, H_RETHROWN)) return;
    const destructor = ctx.u32(header(obj) + H_DESTRUCTOR);
    if (destructor) ctx.domain.table.get(destructor)(obj);
    lib().free(header(obj));
  };

  const throwObject = (obj) => {
    last = obj;
    ctx.throwUnwind(new CppException(obj, typeOf(obj)));
  };

  const findMatchingCatch = (...types) => {
    const thrown = last;
    if (!thrown) {
      ctx.tempRet0 = 0;
      return 0;
    }
    const record = newRecord(thrown);
    const thrownType = typeOf(thrown);
    if (!thrownType) {
      ctx.tempRet0 = 0;
      return record;
    }
    for (const type of types) {
      // null: catch (...); the same type_info: an exact match.
      if (type === 0 || type === thrownType) break;
      if (lib().__cxa_can_catch(type, thrownType, record + R_ADJUSTED)) {
        if (lib().__cxa_is_pointer_type(type)) ctx.setU32(record + R_IS_VALUE, 1);
        ctx.tempRet0 = type;
        return record;
      }
    }
    // The landing pad compares this selector with each clause's
    // llvm_eh_typeid_for; no typed match falls through to catch (...) or
    // to the cleanup that resumes.
    ctx.tempRet0 = thrownType;
    return record;
  };

  const rethrow = () => {
    const record = caught.pop();
    if (record === undefined) {
      ctx.abort('throw; with no exception being handled (std::terminate)');
    }
    const obj = ctx.u32(record + R_BASE);
    if (!flag(obj, H_RETHROWN)) {
      // Leave the record for __cxa_end_catch of the handler being left,
      // which the landing pad still runs; mark the object so that the
      // reference it drops does not free it.
      caught.push(record);
      setFlag(obj, H_RETHROWN, true);
      setFlag(obj, H_CAUGHT, false);
      uncaught++;
    } else {
      lib().free(record);
    }
    throwObject(obj);
  };

  return [
    [ENV, '__cxa_allocate_exception', 'ii', (size) => {
      const p = lib().malloc((size >>> 0) + HEADER) >>> 0;
      if (!p) ctx.abort(`out of memory allocating a C++ exception of ${size >>> 0} bytes`);
      ctx.u8.fill(0, p, p + HEADER);
      return p + HEADER;
    }],
    [ENV, '__cxa_free_exception', 'vi', (obj) => { lib().free(header(obj >>> 0)); }],
    [ENV, '__cxa_throw', 'viii', (obj, type, destructor) => {
      obj >>>= 0;
      const h = header(obj);
      ctx.setI32(h + H_REFCOUNT, 0);
      ctx.setU32(h + H_TYPE, type);
      ctx.setU32(h + H_DESTRUCTOR, destructor);
      setFlag(obj, H_CAUGHT, false);
      setFlag(obj, H_RETHROWN, false);
      uncaught++;
      throwObject(obj);
    }],
    [ENV, '__cxa_rethrow', 'v', rethrow],
    [ENV, '__cxa_find_matching_catch_*', '', () => findMatchingCatch],
    [ENV, '__cxa_begin_catch', 'ii', (record) => {
      record >>>= 0;
      if (!record) return 0;
      const obj = ctx.u32(record + R_BASE);
      if (!flag(obj, H_CAUGHT)) {
        setFlag(obj, H_CAUGHT, true);
        uncaught--;
      }
      setFlag(obj, H_RETHROWN, false);
      caught.push(record);
      addRef(obj);
      return caughtPointer(record);
    }],
    [ENV, '__cxa_end_catch', 'v', () => {
      lib().setThrew(0, 0);
      const record = caught.pop();
      if (record === undefined) return;
      release(ctx.u32(record + R_BASE));
      lib().free(record);
      last = 0;
    }],
    [ENV, '__cxa_get_exception_ptr', 'ii', (record) => (record ? caughtPointer(record >>> 0) : 0)],
    [ENV, '__resumeException', 'vi', (record) => {
      record >>>= 0;
      // No record: the unwind in flight was not a C++ exception (a longjmp
      // through C++ cleanups); keep it going.
      if (!record) ctx.throwUnwind(ctx.unwinding ?? new CppException(0, 0));
      const obj = ctx.u32(record + R_BASE);
      if (!last) last = obj;
      lib().free(record);
      throwObject(obj);
    }],
    [ENV, 'llvm_eh_typeid_for', 'ii', (type) => type],
    [ENV, '__cxa_uncaught_exceptions', 'i', () => uncaught],
    [ENV, '__cxa_current_primary_exception', 'i', () => {
      if (!caught.length) return 0;
      const obj = ctx.u32(caught[caught.length - 1] + R_BASE);
      addRef(obj);
      return obj;
    }],
    [ENV, '__cxa_rethrow_primary_exception', 'vi', (obj) => {
      obj >>>= 0;
      if (!obj) return;
      caught.push(newRecord(obj));
      setFlag(obj, H_RETHROWN, true);
      rethrow();
    }],
    [ENV, '__cxa_increment_exception_refcount', 'vi', (obj) => { if (obj) addRef(obj >>> 0); }],
    [ENV, '__cxa_decrement_exception_refcount', 'vi', (obj) => { if (obj) release(obj >>> 0); }],
    [ENV, '__cxa_call_unexpected', 'vi', () => {
      ctx.abort('an exception violated a dynamic exception specification (std::unexpected)');
    }],
  ];
}

// The type name of a thrown object's type_info, demangled when libstd can.
export function exceptionTypeName(ctx, type) {
  if (!type) return null;
  try {
    return demangle(ctx, ctx.cstring(ctx.u32(type + 4)));  // std::type_info: vptr, __type_name
  } catch {
    return null;
  }
}

// A mangled C++ name (a symbol, or a type_info's type name) demangled with
// libstd's __cxa_demangle, or the name itself.
export function demangle(ctx, mangled) {
  const demangle = ctx.libstd?.__cxa_demangle;
  if (!demangle) return mangled;
  try {
    return ctx.withStackString(mangled, (p) => {
      const { stackAlloc } = ctx.libstd;
      const status = stackAlloc(4) >>> 0;
      ctx.setI32(status, -1);
      const out = demangle(p, 0, 0, status) >>> 0;
      if (!out || ctx.i32(status) !== 0) return mangled;
      const text = ctx.cstring(out);
      ctx.libstd.free(out);
      return text;
    });
  } catch {
    return mangled;
  }
}

// what() of a thrown object whose type derives from std::exception, or null.
function exceptionWhat(ctx, obj, type) {
  try {
    const r = ctx.domain.lookup(RTLD_DEFAULT_ID, '_ZTISt9exception');
    if (!r.ok) return null;
    const { stackSave, stackAlloc, stackRestore, __cxa_can_catch } = ctx.libstd;
    const sp = stackSave();
    try {
      const slot = stackAlloc(4) >>> 0;
      ctx.setU32(slot, obj);
      if (!__cxa_can_catch(r.value, type, slot)) return null;
      const self = ctx.u32(slot);
      // std::exception's vtable: complete and deleting destructors, then what().
      const vtable = ctx.u32(self);
      const what = ctx.domain.table.get(ctx.u32(vtable + 8));
      return ctx.cstring(what(self) >>> 0, 4096);
    } finally {
      stackRestore(sp);
    }
  } catch {
    return null;
  }
}

// The message a native C++ runtime prints for an exception nobody caught.
export function describeUncaught(ctx, e) {
  const name = exceptionTypeName(ctx, e.type);
  let text = name ? `terminate called after throwing an instance of '${name}'`
                  : 'terminate called after throwing a C++ exception of unknown type';
  const what = e.ptr && e.type ? exceptionWhat(ctx, e.ptr, e.type) : null;
  if (what !== null) text += `\n  what():  ${what}`;
  return text;
}
