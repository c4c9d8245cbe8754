// lazylink: `lazylink pack`, minus the file system.
//
// Reads an application's built modules, decides which must load before
// `main` runs (eager) and which can wait until first called (lazy), names
// each by content, and describes them all in the manifest (docs/manifest.md).
// Platform neutral: the CLI reads and writes the files.
//
//   std::vector<PackInput> in = {{"main.wasm", bytes0}, {"libsqlite.wasm", bytes1}};
//   Expected<PackResult> r = Pack(in, {});
//   write r->ManifestJson() to lazylink.json and each module to its url.
#ifndef LAZYLINK_MANIFEST_PACK_H_
#define LAZYLINK_MANIFEST_PACK_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loader/support/expected.h"

namespace lazylink::manifest {

enum class Policy { kEager, kLazy, kPrefetch };
const char* PolicyName(Policy p);
bool ParsePolicy(const std::string& text, Policy* out);

struct PackInput {
  std::string name;  // file name, as NEEDED names it ("libfoo.wasm")
  std::vector<uint8_t> bytes;
};

// A function the host (lazylink's JS runtime) provides, as
// `node web/cli.mjs host-functions` lists them: "env", "clock_gettime",
// "iii" (Emscripten-style signature, result first; "" accepts any). A name
// ending in '*' stands for every name with that prefix ("invoke_*").
struct HostFunctionSpec {
  std::string module;
  std::string name;
  std::string sig;
};

struct PackOptions {
  std::map<std::string, Policy> overrides;  // module name -> policy
  std::string main;  // the main module's name; found by its `main` export if empty
  // Calls into lazy and prefetch modules go through the callee's GOT.func
  // table slot (rewrite::BindLocalOptions::slot_calls) instead of a PLT
  // trampoline: once bound, such a call costs one call_indirect.
  bool slot_calls = true;
  // Each module's GOT imports move into its own memory
  // (rewrite::MoveGotToMemory, `bind-local --got-in-memory`): the loader
  // then writes their values in one copy instead of binding one import per
  // entry. Modules that already keep their GOT in memory are left alone.
  bool got_in_memory = true;
  // The functions whose address each module takes through its GOT.func
  // entries and which it defines go into its own element segment
  // (rewrite::AddOwnSlots, `bind-local --own-slots`): their canonical
  // slots are then written by the engine at instantiation, not one by one.
  bool own_slots = true;
  // What the host provides. Set, every import of every module (lazy ones
  // included) must resolve to a module being packed or to one of these, or
  // pack fails naming module and symbol. Unset: imports no module defines
  // are not checked (signatures and NEEDED still are).
  std::optional<std::vector<HostFunctionSpec>> host_functions;
  // Symbols that may stay undefined (`--allow-undefined`): something the
  // app provides at run time (a dlopen'ed module, its own JS).
  std::vector<std::string> allow_undefined;
  // --malloc emmalloc: the standard library pack adds is
  // libstd-emmalloc.wasm (an app with C++ exceptions is refused).
  bool emmalloc = false;
  // Called when no standard library (link::IsStandardLibrary) is among the
  // inputs, with the variant the modules need (libstd.wasm, or
  // libstd-eh.wasm when one uses C++ exceptions) and the main module's
  // name; returns its bytes, or an error saying where it looked. Unset:
  // the app must bring its own.
  std::function<Expected<std::vector<uint8_t>>(const std::string& libstd, const std::string& main)>
      find_standard_library;
};

struct PackedModule {
  std::string name;
  std::string url;  // name.<16 hex>.wasm
  std::string sha256;
  uint64_t size = 0;
  std::vector<std::string> needed;
  Policy policy = Policy::kLazy;
  std::string reason;
  std::vector<std::string> exports;  // function and data symbols, sorted
  std::vector<uint8_t> bytes;        // what to write to `url` (rewritten: slot_calls, own_slots, got_in_memory)
  uint32_t slot_calls = 0;           // calls rewritten to go through a slot
  uint32_t slot_functions = 0;       // functions those calls reach
  uint32_t got_in_memory = 0;        // GOT entries moved into the module's memory
  uint32_t own_slots = 0;            // functions added to its element segment
};

// One entry of the lazy-binding index: a symbol of a lazy or prefetch module.
struct IndexedSymbol {
  std::string module;
  std::string sig;  // Emscripten style ("iii"); "" for a data symbol
};

struct PackResult {
  std::string main;
  std::string added_standard_library;  // what find_standard_library supplied, or ""
  std::vector<PackedModule> modules;  // sorted by name
  std::map<std::string, IndexedSymbol> symbols;
  // The manifest, byte-identical for identical inputs.
  std::string ManifestJson() const;
};

Expected<PackResult> Pack(const std::vector<PackInput>& inputs, const PackOptions& options);

}  // namespace lazylink::manifest

#endif  // LAZYLINK_MANIFEST_PACK_H_
