// The bind-local build tool for Node (em++ with NODERAWFS): what the
// Emscripten build uses to bind libstd locally, without needing the native
// `lazylink` CLI. Same arguments as `lazylink bind-local`:
//   node lazylink_bind_local.js IN.wasm -o OUT.wasm [--keep SYM]... [--keep-file F]... [--immutable-got] [--slot-calls SYM]... [--slot-calls-kept] [--own-slots] [--own-slots-all] [--got-in-memory] [-q]
#include <cstdio>
#include <cstring>
#include <string>

#include "loader/rewrite/bind_local_tool.h"

int main(int argc, char** argv) {
  lazylink::rewrite::BindLocalFileArgs args;
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if ((a == "-o" || a == "--output") && has_value) {
      args.output = argv[++i];
    } else if (a == "--keep" && has_value) {
      args.keep.push_back(argv[++i]);
    } else if (a == "--keep-file" && has_value) {
      args.keep_files.push_back(argv[++i]);
    } else if (a == "--slot-calls" && has_value) {
      args.slot_calls.push_back(argv[++i]);
    } else if (a == "--slot-calls-kept") {
      args.slot_calls_kept = true;
    } else if (a == "--own-slots") {
      args.own_slots = true;
    } else if (a == "--own-slots-all") {
      args.own_slots_all = true;
    } else if (a == "--got-in-memory") {
      args.got_in_memory = true;
    } else if (a == "--immutable-got") {
      args.immutable_got = true;
    } else if (a == "-q" || a == "--quiet") {
      args.quiet = true;
    } else if (!a.empty() && a[0] != '-' && args.input.empty()) {
      args.input = a;
    } else {
      std::fprintf(stderr, "usage: lazylink_bind_local IN.wasm -o OUT.wasm [--keep SYM]... [--keep-file F]... [--immutable-got] [--slot-calls SYM]... [--slot-calls-kept] [--own-slots] [--own-slots-all] [--got-in-memory] [-q]\n");
      return 2;
    }
  }
  if (args.input.empty() || args.output.empty()) {
    std::fprintf(stderr, "usage: lazylink_bind_local IN.wasm -o OUT.wasm [--keep SYM]... [--keep-file F]... [--immutable-got] [--slot-calls SYM]... [--slot-calls-kept] [--own-slots] [--own-slots-all] [--got-in-memory] [-q]\n");
    return 2;
  }
  return lazylink::rewrite::BindLocalFile(args);
}
