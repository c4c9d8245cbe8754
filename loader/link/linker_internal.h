// lazylink: the Linker's transaction state, shared by linker.cc and plan.cc.
// Not part of the public API.
#ifndef LAZYLINK_LINK_LINKER_INTERNAL_H_
#define LAZYLINK_LINK_LINKER_INTERNAL_H_

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "loader/link/linker.h"

namespace lazylink::link {

struct Linker::Txn {
  uint32_t id = 0;
  uint32_t flags = 0;
  std::string root;                 // module name of the root
  std::string requester_location;
  ModuleId existing = kNoModule;    // the root was already loaded
  std::vector<ModuleId> provided;   // new modules, in the order bytes arrived
  std::vector<ModuleRequest> pending;
  std::vector<Error> errors;
  std::set<std::string> failed;     // requests that failed: not asked for again
  bool planned = false;
  bool first = false;               // the domain's first load
  bool implicit_done = false;       // implicit libraries decided
  std::vector<std::string> implicit;  // what the root implicitly needs
  uint32_t group = 0;
  // What MakePlan took, given back by Abort.
  struct Region {
    uint32_t start;
    bool from_heap;
  };
  std::vector<Region> regions;
  std::vector<uint32_t> table_regions;
  std::vector<std::pair<ModuleId, uint32_t>> new_canonical;
  std::vector<uint32_t> new_host_slots;  // host function indices
  std::vector<uint32_t> single_slots;    // slots allocated one by one
  std::vector<std::string> new_lazy;        // lazy slots created (symbols)
  std::vector<std::string> consumed_lazy;   // lazy slots whose module loads now
  // Symbols the new modules define, by name, in load order.
  std::unordered_map<std::string_view, Definition> overlay;
  // (user, provider) bindings to record at commit.
  std::vector<std::pair<ModuleId, ModuleId>> uses;
};

}  // namespace lazylink::link

#endif  // LAZYLINK_LINK_LINKER_INTERNAL_H_
