// lazylink: every module it links is a side module (emcc -sSIDE_MODULE=1),
// which says so with a dylink.0 section and imports the one memory and
// table of its application domain. A module linked as a program (plain
// emcc, or -sSTANDALONE_WASM) has no dylink.0 and defines its own memory:
// linked anyway, every pointer it hands the host (fd_write's buffers, ...)
// would point into a memory the host does not see, and musl retries a
// write that never progresses forever. The linker (every load: `lazylink
// run`, load()) and the packer refuse such a module at once, saying how to
// build it.
//
//   if (const char* why = link::NotASideModule(module)) return Error(name, why);
#ifndef LAZYLINK_LINK_SIDE_MODULE_H_
#define LAZYLINK_LINK_SIDE_MODULE_H_

#include "loader/wasm/module.h"

namespace lazylink::link {

// Why `module` cannot be linked as a side module, or nullptr.
inline const char* NotASideModule(const wasm::Module& module) {
  if (!module.dylink.present) {
    return "not a side module (it has no dylink.0 section): lazylink links only modules built with "
           "emcc -sSIDE_MODULE=1, the main module too (e.g. emcc -sSIDE_MODULE=1 -O2 main.c -o main.wasm)";
  }
  if (!module.memories.empty()) {
    return "defines its own memory, so it cannot share the application's: lazylink links only modules built "
           "with emcc -sSIDE_MODULE=1 (which import env.memory)";
  }
  return nullptr;
}

}  // namespace lazylink::link

#endif  // LAZYLINK_LINK_SIDE_MODULE_H_
