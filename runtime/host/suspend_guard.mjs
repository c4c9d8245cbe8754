// A wasm shim around a JSPI suspending import (the lazy resolver of
// web/domain.mjs, emscripten_sleep in library.mjs), so that a call that cannot
// suspend says which module and symbol it needed and what to do, instead of
// the engine's bare `SuspendError: trying to suspend JS frames`.
//
// JSPI refuses to suspend when a JavaScript frame sits between the
// WebAssembly.promising entry and the suspending import (a host function
// that called back into wasm), or when wasm was entered without promising
// at all. The engine then throws WebAssembly.SuspendError at the import
// call, before the resolver's JS runs, so only a wasm frame around that
// call can see it, with the table slot at hand:
//
//   (func (export "resolve") (param $slot i32)
//     try
//       local.get $slot  call $resolve        ;; the WebAssembly.Suspending
//     catch $js                               ;; WebAssembly.JSTag: a JS exception
//       local.set $e
//       local.get $slot  local.get $e  call $fallback   ;; JS, after the unwind
//     end)
//
// fallback(slot, e) either finishes the load synchronously (a module
// prefetched earlier links without waiting) and returns, so the call goes
// ahead, or throws: the same error for anything but a SuspendError, a
// LinkError naming module and symbol for a SuspendError.
//
// Needs WebAssembly.JSTag (Chromium with JSPI has it); without it the
// resolver is used as it is.

function guardBytes() {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    // types: 0 (i32) -> (), 1 (i32 externref) -> (), 2 (externref) -> ()
    0x01, 0x0e, 0x03, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x02, 0x7f, 0x6f, 0x00, 0x60, 0x01, 0x6f, 0x00,
    // imports: g.resolve (func 0), g.fallback (func 1), g.js (tag, type 2)
    0x02, 0x22, 0x03,
    0x01, 0x67, 0x07, 0x72, 0x65, 0x73, 0x6f, 0x6c, 0x76, 0x65, 0x00, 0x00,
    0x01, 0x67, 0x08, 0x66, 0x61, 0x6c, 0x6c, 0x62, 0x61, 0x63, 0x6b, 0x00, 0x01,
    0x01, 0x67, 0x02, 0x6a, 0x73, 0x04, 0x00, 0x02,
    // one function of type 0
    0x03, 0x02, 0x01, 0x00,
    // export "resolve" = func 2
    0x07, 0x0b, 0x01, 0x07, 0x72, 0x65, 0x73, 0x6f, 0x6c, 0x76, 0x65, 0x00, 0x02,
    // code: one local externref; try; local.get 0; call 0; catch 0; local.set 1;
    // local.get 0; local.get 1; call 1; end; end
    0x0a, 0x17, 0x01, 0x15, 0x01, 0x01, 0x6f,
    0x06, 0x40, 0x20, 0x00, 0x10, 0x00, 0x07, 0x00, 0x21, 0x01, 0x20, 0x00, 0x20, 0x01, 0x10, 0x01, 0x0b,
    0x0b,
  ]);
}

let guardModule;
function compiledGuard() {
  if (guardModule === undefined) {
    guardModule = null;
    try {
      if (typeof WebAssembly.JSTag === 'object' && WebAssembly.JSTag !== null) {
        guardModule = new WebAssembly.Module(guardBytes());
      }
    } catch {
      guardModule = null;
    }
  }
  return guardModule;
}

// The resolver to give the PLT: `suspending` (a WebAssembly.Suspending)
// behind the shim, or `suspending` itself where the engine lacks JSTag.
export function guardSuspending(suspending, fallback) {
  const module = compiledGuard();
  if (!module) return suspending;
  const g = { resolve: suspending, fallback, js: WebAssembly.JSTag };
  return new WebAssembly.Instance(module, { g }).exports.resolve;
}

export function isSuspendError(e) {
  return typeof WebAssembly.SuspendError === 'function' && e instanceof WebAssembly.SuspendError;
}
