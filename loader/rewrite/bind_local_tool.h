// lazylink: the file-level driver of BindLocal, shared by `lazylink
// bind-local` (native) and the Node build tool used while building libstd
// (bind_local_node.cc).
//
//   BindLocalFile({"in.wasm", "out.wasm", {"malloc", "_Znw*"}, {}, false});
#ifndef LAZYLINK_REWRITE_BIND_LOCAL_TOOL_H_
#define LAZYLINK_REWRITE_BIND_LOCAL_TOOL_H_

#include <string>
#include <vector>

namespace lazylink::rewrite {

struct BindLocalFileArgs {
  std::string input;
  std::string output;
  std::vector<std::string> keep;        // names or "prefix*"
  std::vector<std::string> keep_files;  // files of such patterns, one per line, '#' comments
  bool immutable_got = false;          // see BindLocalOptions
  std::vector<std::string> slot_calls;  // see BindLocalOptions
  // The kept (preemptible) functions' calls go through their slots too, so
  // the loader needs no PLT trampoline for them (libstd's malloc & co.).
  bool slot_calls_kept = false;
  // Then move the GOT imports into the module's memory (got_memory.h): the
  // result needs lazylink's loader, which reads its lazylink.got section.
  bool got_in_memory = false;
  // Before that, the functions the module takes the address of (GOT.func)
  // and defines go into its own element segment (own_slots.h).
  bool own_slots = false;
  bool own_slots_all = false;  // every exported function (OwnSlotsOptions::all_exported)
  bool quiet = false;
};

// Reads, rewrites and writes (to a temporary file renamed into place, so a
// failure leaves no partial output). Prints a one-line summary unless quiet;
// errors go to stderr. Returns the exit status (0 or 1).
int BindLocalFile(const BindLocalFileArgs& args);

}  // namespace lazylink::rewrite

#endif  // LAZYLINK_REWRITE_BIND_LOCAL_TOOL_H_
