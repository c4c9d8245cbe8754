// The embind surface of the core that every other binding file builds on:
// version and a self check the browser smoke test calls.
#include <emscripten/bind.h>

#include <string>

#include "loader/support/expected.h"

namespace lazylink {
namespace {

std::string Version() { return "0.1.0"; }

// Exercises the error path of the core (Expected/LL_TRY, no exceptions) so
// the smoke test knows the wasm build of the core behaves like the native one.
Expected<int> Halve(int x) {
  if (x % 2) return Error("selfcheck", Msg("odd value ", x), 0x1a);
  return x / 2;
}
Expected<int> Quarter(int x) {
  LL_TRY(int h, Halve(x));
  return Halve(h);
}
std::string SelfCheck() {
  auto ok = Quarter(8);
  auto bad = Quarter(6);
  if (!ok.ok() || *ok != 2 || bad.ok()) return "broken";
  return bad.error().Format();
}

EMSCRIPTEN_BINDINGS(lazylink_core) {
  emscripten::function("version", &Version);
  emscripten::function("selfCheck", &SelfCheck);
}

}  // namespace
}  // namespace lazylink
