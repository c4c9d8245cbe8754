// Helpers the linker's unit tests share (linker_test.cc, linker_real_modules_test.cc).
//
//   const PlannedModule* main = test_support::Find(*plan, linker, "main.wasm");
#ifndef LAZYLINK_LINK_LINKER_TEST_SUPPORT_H_
#define LAZYLINK_LINK_LINKER_TEST_SUPPORT_H_

#include <string>

#include "loader/link/linker.h"

namespace lazylink::link::test_support {

// The plan's entry for the module loaded under `name`, or nullptr.
inline const PlannedModule* Find(const Plan& plan, const Linker& linker, const std::string& name) {
  for (const PlannedModule& pm : plan.modules) {
    if (linker.module(pm.id)->name == name) return &pm;
  }
  return nullptr;
}

}  // namespace lazylink::link::test_support

#endif  // LAZYLINK_LINK_LINKER_TEST_SUPPORT_H_
