// lazylink: the linker of one application domain.
//
// An application domain is one linear memory, one funcref table, one shared
// __stack_pointer and one libstd instance. The Linker decides everything
// about it that can be decided without running code: which modules to load
// and in what order, where each module's data and table slots go, what every
// import binds to, what every GOT entry holds, and which calls go through a
// PLT. It is pure C++ and platform neutral; the JS edge (web/) fetches bytes,
// compiles, instantiates and runs what the Plan says.
//
// A load is a transaction: nothing becomes visible to the domain until
// Commit(), and Abort() gives back every region, slot and name it took.
//
//   Linker linker(options);
//   linker.SetHostFunctions(host);              // what the JS runtime provides
//   linker.BeginLoad("main.wasm", kRtldNow | kRtldGlobal, "");
//   while (!linker.Pending().empty())            // NEEDED closure
//     for (const ModuleRequest& r : linker.Pending())
//       linker.Provide(r.name, url, bytes, size);  // or ProvideError(...)
//   Expected<Plan> plan = linker.MakePlan();     // all link errors at once
//   ... the edge instantiates per plan ...
//   linker.Commit();                             // or linker.Abort()
#ifndef LAZYLINK_LINK_LINKER_H_
#define LAZYLINK_LINK_LINKER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "loader/link/region_allocator.h"
#include "loader/link/standard_library.h"
#include "loader/link/symbols.h"
#include "loader/support/expected.h"
#include "loader/wasm/module.h"

namespace lazylink::link {

using ModuleId = uint32_t;
inline constexpr ModuleId kNoModule = 0xffffffffu;
// SlotFill::module value meaning "an export of this plan's PLT module".
inline constexpr ModuleId kPltModule = 0xfffffffeu;

// dlopen flags, with musl's values (what app code passes through dlopen).
enum : uint32_t {
  kRtldLazy = 1,
  kRtldNow = 2,
  kRtldNoLoad = 4,
  kRtldGlobal = 256,
  kRtldLocal = 0,
  kRtldNoDelete = 4096,
};

struct LinkerOptions {
  uint32_t null_guard = 1024;         // bytes at address 0 never handed out
  uint32_t stack_size = 1u << 20;     // the shared stack, placed low ("stack first")
  // The memory's initial size: initial_memory bytes (Emscripten's
  // INITIAL_MEMORY, stack and static data included), or more where the
  // stack, the first modules' data and initial_heap bytes of heap room need it.
  uint32_t initial_memory = 16u << 20;
  uint32_t initial_heap = 0;
  uint32_t max_memory_pages = 32768;  // 2 GiB
  // Directories (or URL prefixes) searched for NEEDED and dlopen names,
  // after the requester's RUNTIME_PATH and before its own directory.
  std::vector<std::string> search_paths;
  // Loaded before any module that is not itself one of these, when not yet
  // loaded: apps do not carry their own libc.
  std::vector<std::string> implicit_needed = {kLibstd};
  // Replaces implicit_needed[0] when a module of the load uses Emscripten's
  // JS-based C++ exceptions (link::UsesJsExceptions), unless a
  // standard library is already loaded. Empty: never.
  std::string exceptions_libstd = kLibstdExceptions;
  // PLT trampolines forward with return_call_indirect (wasm tail calls)
  // instead of call_indirect + return: one frame fewer on every call through
  // the PLT. The host sets it where the engine validates tail calls.
  bool tail_calls = false;
};

// A function the host (the JS runtime) provides. `type` empty means the host
// accepts whatever signature the import declares (e.g. invoke_*). A name
// ending in '*' matches every import with that prefix ("invoke_*").
struct HostFunction {
  std::string module;  // "env", "wasi_snapshot_preview1", ...
  std::string name;
  std::optional<wasm::FuncType> type;
};

// How one import is satisfied.
enum class Binding : uint8_t {
  kMemory = 0,       // the domain's memory
  kTable = 1,        // the domain's table
  kStackPointer = 2, // the shared __stack_pointer
  kMemoryBase = 3,   // this module's __memory_base (value in PlannedModule)
  kTableBase = 4,    // this module's __table_base
  kValue = 5,        // an i32 global holding `a`, mutable if `b` (GOT.mem, GOT.func, data)
  kModuleFunc = 6,   // export `b` of module `a`
  kHostFunc = 7,     // host function `a` (index into SetHostFunctions' list)
  kPltFunc = 8,      // PLT export `a` ("t<a>")
  kMissingWeak = 9,  // weak undefined function: a stub that traps, naming it
  kModuleGlobal = 10,// global export `b` of module `a`
};

struct ImportBinding {
  Binding kind = Binding::kValue;
  uint32_t a = 0;
  uint32_t b = 0;
};

// After `module` (or the PLT) is instantiated: table[slot] = export `export_index`
// (for the PLT: "t<export_index>", or "r<export_index>" if `resolver`).
struct SlotFill {
  uint32_t slot = 0;
  ModuleId module = kNoModule;
  uint32_t export_index = 0;
  bool resolver = false;
};

// A function symbol a module not loaded yet defines (the manifest's index):
// calls to it are bound through a PLT resolver and load that module.
struct LazySymbol {
  std::string symbol;
  std::string module;
  wasm::FuncType type;  // as importers call it
  bool data = false;    // a data symbol: never bound lazily, see NeededNames
};

struct PlannedModule {
  ModuleId id = kNoModule;
  uint32_t memory_base = 0;
  uint32_t memory_size = 0;
  bool zero_memory = false;  // the region may hold old bytes: zero it first
  uint32_t table_base = 0;
  uint32_t table_size = 0;
  std::vector<ImportBinding> imports;  // one per import, in import order
  std::vector<SlotFill> slot_fills;    // right after this module instantiates
  // The module's GOT in its memory (wasm::MemoryGot): the values to write
  // at memory_base + got_offset before instantiation, one i32 per entry.
  uint32_t got_offset = 0;
  std::vector<uint32_t> got_values;
  // Export indices to call after instantiation, or -1.
  int32_t apply_data_relocs = -1;  // exported and not already the start function
  int32_t call_ctors = -1;
};

struct Plan {
  uint32_t txn = 0;
  // New modules in instantiation order, which is also constructor order:
  // dependencies first (see docs/linking.md).
  std::vector<PlannedModule> modules;
  // The PLT module (empty if none): trampolines "t<k>" doing call_indirect
  // through canonical table slots, and thunks for host functions whose
  // address is taken. Instantiated before `modules`.
  std::vector<uint8_t> plt;
  std::vector<uint32_t> plt_host_imports;  // host function per PLT import "h"."<k>"
  std::vector<SlotFill> plt_fills;         // slots pointing into the PLT
  std::vector<SlotFill> live_fills;        // slots of already-live modules
  uint32_t table_size = 0;   // the table must have at least this many slots
  uint32_t memory_size = 0;  // the memory must have at least this many bytes
  // Set by the first load of a domain.
  bool first = false;
  uint32_t stack_low = 0;
  uint32_t stack_high = 0;   // initial __stack_pointer
  uint32_t heap_base = 0;
  // Counters, for reports.
  uint32_t symbols_bound = 0;
  uint32_t got_entries = 0;
  uint32_t plt_entries = 0;
  uint32_t lazy_entries = 0;  // new lazily bound symbols
};

// A module the current transaction still needs the bytes of.
struct ModuleRequest {
  std::string name;          // as NEEDED or dlopen names it
  std::string requested_by;  // module name, or "" for the root
  std::vector<std::string> candidates;  // locations to try, in order
};

struct LoadedModule {
  ModuleId id = kNoModule;
  std::string name;
  std::string location;
  std::unique_ptr<wasm::Module> module;
  SymbolIndex symbols;
  std::vector<ModuleId> needed;
  uint32_t flags = 0;
  uint32_t group = 0;  // 0: global scope; otherwise an RTLD_LOCAL group
  uint32_t memory_base = 0, memory_size = 0;
  bool memory_from_heap = false;  // region came from the app's allocator
  uint32_t table_base = 0, table_size = 0;
  uint32_t refcount = 0;
  bool live = false;  // committed
  std::vector<uint32_t> owned_slots;  // canonical slots of its functions
  // Functions its own element segment places in its table region (at
  // __table_base): function index -> position in the region, the first
  // if there are several. Such a function's canonical slot is that one:
  // the engine writes it at instantiation, and it goes with the region.
  std::unordered_map<uint32_t, uint32_t> elem_slots;

  // The slot its element segment gives function `func`, if any.
  std::optional<uint32_t> ElemSlot(uint32_t func) const {
    auto it = elem_slots.find(func);
    if (it == elem_slots.end() || it->second >= table_size) return std::nullopt;
    return table_base + it->second;
  }
  bool InTableRegion(uint32_t slot) const { return slot >= table_base && slot - table_base < table_size; }
  // Live modules bound directly to this one (function imports, GOT.mem
  // addresses in its region): it cannot be unloaded while they are loaded.
  std::vector<ModuleId> users;
};

// Where a dlsym result points.
struct SymbolAddress {
  SymbolKind kind = SymbolKind::kData;
  uint32_t value = 0;  // address (data), table slot (function)
  ModuleId module = kNoModule;
  // A function's slot that the edge must fill now (fill.module live).
  std::optional<SlotFill> fill;
};

// The app's own allocator (libstd's memalign/free), used for module data
// once the app is running. Set by the edge.
class HeapAllocator {
 public:
  virtual ~HeapAllocator() = default;
  virtual std::optional<uint32_t> Allocate(uint32_t size, uint32_t align) = 0;
  virtual void Free(uint32_t address) = 0;
};

class Linker {
 public:
  explicit Linker(LinkerOptions options = {});
  ~Linker();
  Linker(const Linker&) = delete;
  Linker& operator=(const Linker&) = delete;

  void SetHostFunctions(std::vector<HostFunction> functions);
  // Symbols of modules that load on first call (replaces the index; entries
  // of modules already loaded are ignored). A NEEDED entry naming one of
  // those modules is deferred: it loads when one of its functions is first
  // called, not with the module that needs it.
  void SetLazyIndex(std::vector<LazySymbol> symbols);
  // The symbol and module behind a lazily bound slot (the PLT resolver's
  // argument), or nullptr once its module is loaded.
  const LazySymbol* LazyTarget(uint32_t slot) const;
  void SetHeapAllocator(HeapAllocator* heap) { heap_ = heap; }

  // Starts loading `name` (and its NEEDED closure). `requester_location` is
  // where the module calling dlopen came from ("" for the root). If the
  // module is already loaded, the transaction is empty and Pending() is too;
  // MakePlan() then returns a plan without modules.
  Status BeginLoad(std::string_view name, uint32_t flags, std::string_view requester_location);
  bool InTransaction() const { return txn_ != nullptr; }

  std::vector<ModuleRequest> Pending() const;
  // The bytes of a pending module; parsed here (not kept). A parse error is
  // returned and also fails the transaction's plan.
  Status Provide(std::string_view name, std::string_view location, const uint8_t* data,
                 size_t size);
  // The same, for a module parsed elsewhere (tests, tools).
  Status ProvideParsed(std::string_view name, std::string_view location, wasm::Module module);
  // A pending module could not be fetched.
  void ProvideError(std::string_view name, std::string_view message);

  // Decides everything. On error (every undefined symbol, every signature
  // mismatch, every failed fetch, all reported together) the transaction is
  // aborted.
  Expected<Plan> MakePlan();
  // The edge instantiated and initialised everything in the plan.
  ModuleId Commit();
  // Something failed after MakePlan: give everything back.
  void Abort();

  // dlsym. `handle` is a module id, or kNoModule for RTLD_DEFAULT (global scope).
  Expected<SymbolAddress> Lookup(ModuleId handle, std::string_view name);
  // dlclose: drops a reference; unloads a group nobody else uses.
  Status Unload(ModuleId id, std::vector<uint32_t>* freed_slots = nullptr);

  const LoadedModule* module(ModuleId id) const;
  std::optional<ModuleId> FindLoaded(std::string_view name) const;
  const std::vector<std::unique_ptr<LoadedModule>>& modules() const { return modules_; }
  bool started() const { return started_; }
  uint32_t heap_base() const { return heap_base_; }
  uint32_t stack_low() const { return stack_low_; }
  uint32_t stack_high() const { return stack_high_; }
  uint32_t table_high_water() const { return static_cast<uint32_t>(table_.HighWater()); }

 private:
  struct Txn;
  struct Definition {
    ModuleId module = kNoModule;
    const ModuleSymbol* symbol = nullptr;
  };

  Error PlanFailure(std::vector<Error> errors);
  void EnqueueNeeded(ModuleId requester);
  void MaybeEnqueueImplicit();
  std::vector<std::string> NeededNames(const LoadedModule& m) const;
  std::vector<std::string> Candidates(std::string_view name, std::string_view requester_location,
                                      const wasm::Module* requester) const;
  std::optional<Definition> Resolve(std::string_view name, uint32_t group) const;
  void ReleaseTxnResources();
  void UnloadOne(ModuleId id, std::vector<uint32_t>* freed_slots);
  friend class Planner;

  LinkerOptions options_;
  std::vector<HostFunction> host_;
  std::unordered_map<std::string, uint32_t> host_index_;
  std::vector<std::pair<std::string, uint32_t>> host_prefixes_;  // "env.invoke_" -> index
  std::optional<uint32_t> FindHost(std::string_view module, std::string_view name) const;
  HeapAllocator* heap_ = nullptr;

  std::vector<std::unique_ptr<LoadedModule>> modules_;  // index = ModuleId
  std::unordered_map<std::string, ModuleId> by_name_;
  // Global scope: first definition wins; a strong definition replaces a weak one.
  std::unordered_map<std::string_view, Definition> global_;
  // RTLD_LOCAL groups: group id -> symbol map.
  std::map<uint32_t, std::unordered_map<std::string_view, Definition>> groups_;
  uint32_t next_group_ = 1;
  // Canonical function slots: (module, function index) -> table slot; host
  // functions whose address is taken get one too (thunks in a PLT).
  std::map<std::pair<ModuleId, uint32_t>, uint32_t> canonical_;
  std::unordered_map<uint32_t, uint32_t> host_slots_;
  // Lazy binding: the index, and the slots handed out for it.
  std::unordered_map<std::string, LazySymbol> lazy_index_;
  std::unordered_set<std::string> lazy_modules_;
  struct LazySlot {
    uint32_t slot = 0;
    const LazySymbol* target = nullptr;  // into lazy_index_
  };
  std::unordered_map<std::string, LazySlot> lazy_slots_;  // by symbol
  std::unordered_map<uint32_t, std::string> lazy_by_slot_;

  RegionAllocator memory_;  // the loader's own ranges (startup area)
  RegionAllocator table_;
  bool started_ = false;
  uint32_t heap_base_ = 0;
  uint32_t stack_low_ = 0, stack_high_ = 0;

  std::unique_ptr<Txn> txn_;
  uint32_t next_txn_ = 1;
};

}  // namespace lazylink::link

#endif  // LAZYLINK_LINK_LINKER_H_
