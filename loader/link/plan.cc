// Linker::MakePlan: load order, placement, symbol resolution, GOT contents,
// PLT entries and signature checks for one load transaction.
//
// Rules (tool-conventions DynamicLinking.md; docs/linking.md says more):
// - load order is breadth first from the root over NEEDED, like ld.so; the
//   global scope searches already-loaded modules first, then the new ones in
//   load order; the first definition wins, except that a strong definition
//   beats a weak one;
// - instantiation (and constructor) order is dependencies first;
// - a function import binds directly to the provider's export when the
//   provider is instantiated earlier; otherwise (cycles, a module importing
//   its own preemptible export) it goes through a PLT trampoline and the
//   function's canonical table slot;
// - GOT.mem.X holds X's absolute address, GOT.func.X its canonical slot.
#include <algorithm>
#include <deque>
#include <functional>
#include <set>
#include <unordered_set>

#include "loader/link/linker.h"
#include "loader/link/linker_internal.h"
#include "loader/link/plt.h"

namespace lazylink::link {

namespace {

bool HasI64(const wasm::FuncType& t) {
  auto is64 = [](wasm::ValType v) { return v == wasm::ValType::kI64; };
  return std::any_of(t.params.begin(), t.params.end(), is64) ||
         std::any_of(t.results.begin(), t.results.end(), is64);
}

std::string ImportName(const wasm::Import& imp) { return imp.module + "." + imp.field; }

constexpr uint32_t kMaxAlignLog2 = 16;  // 64 KiB: more is surely corrupt

}  // namespace

Expected<Plan> Linker::MakePlan() {
  if (!txn_) return Error("linker", "no load in progress");
  Txn& t = *txn_;
  std::vector<Error> errors = t.errors;
  for (const ModuleRequest& r : t.pending) {
    errors.push_back(Error(r.name, r.requested_by.empty()
                                       ? std::string("was never provided")
                                       : Msg("needed by ", r.requested_by, " was never provided")));
  }
  if (!errors.empty()) return PlanFailure(std::move(errors));
  t.planned = true;

  Plan plan;
  plan.txn = t.id;
  plan.first = t.first;
  if (t.existing != kNoModule) return plan;  // already loaded: a new reference only

  // NEEDED names -> ids, now that every module of the closure is here.
  for (ModuleId id : t.provided) {
    LoadedModule& m = *modules_[id];
    m.needed.clear();
    for (const std::string& name : NeededNames(m)) {
      auto it = by_name_.find(name);
      if (it == by_name_.end()) {
        errors.push_back(Error(m.name, Msg("needs ", name, ", which was not loaded")));
        continue;
      }
      if (std::find(m.needed.begin(), m.needed.end(), it->second) == m.needed.end()) {
        m.needed.push_back(it->second);
      }
    }
  }
  if (!errors.empty()) return PlanFailure(std::move(errors));

  const ModuleId root = by_name_.at(t.root);
  std::unordered_set<ModuleId> is_new(t.provided.begin(), t.provided.end());

  // Load order: breadth first over NEEDED (new modules only).
  std::vector<ModuleId> load_order;
  {
    std::deque<ModuleId> queue{root};
    std::set<ModuleId> seen{root};
    while (!queue.empty()) {
      const ModuleId id = queue.front();
      queue.pop_front();
      if (is_new.count(id)) load_order.push_back(id);
      for (ModuleId dep : modules_[id]->needed) {
        if (seen.insert(dep).second) queue.push_back(dep);
      }
    }
  }
  // Instantiation order: dependencies first (depth-first post-order).
  std::vector<ModuleId> inst_order;
  std::unordered_map<ModuleId, uint32_t> inst_pos;
  {
    std::set<ModuleId> visited;
    std::function<void(ModuleId)> visit = [&](ModuleId id) {
      if (!visited.insert(id).second) return;
      for (ModuleId dep : modules_[id]->needed) visit(dep);
      if (is_new.count(id)) {
        inst_pos[id] = static_cast<uint32_t>(inst_order.size());
        inst_order.push_back(id);
      }
    };
    visit(root);
  }

  t.group = (t.first || (t.flags & kRtldGlobal)) ? 0 : next_group_++;

  // Placement: data regions and table ranges.
  for (ModuleId id : load_order) {
    LoadedModule& m = *modules_[id];
    const wasm::MemInfo& info = m.module->dylink.mem_info;
    if (info.memory_align > kMaxAlignLog2 || info.table_align > kMaxAlignLog2) {
      errors.push_back(Error(m.name, Msg("dylink.0 alignment 2^", std::max(info.memory_align, info.table_align),
                                         " is larger than lazylink allows (2^", kMaxAlignLog2, ")")));
      continue;
    }
    const uint32_t align = 1u << info.memory_align;
    if (info.memory_size == 0) {
      // No data at all: nothing to place (its data segments are empty).
      m.memory_base = 0;
      m.memory_size = 0;
      m.memory_from_heap = false;
    }
    std::optional<uint64_t> base =
        info.memory_size == 0 ? std::optional<uint64_t>(0) : memory_.Allocate(info.memory_size, align);
    bool from_heap = false;
    if (!base && started_ && heap_) {
      std::optional<uint32_t> h = heap_->Allocate(std::max<uint32_t>(info.memory_size, 1), align);
      if (h) {
        base = *h;
        from_heap = true;
      }
    }
    if (!base) {
      errors.push_back(Error(m.name, Msg("out of memory placing ", info.memory_size,
                                         " bytes of data (alignment ", align, ")")));
      continue;
    }
    m.memory_base = static_cast<uint32_t>(*base);
    m.memory_size = info.memory_size;
    m.memory_from_heap = from_heap;
    if (info.memory_size > 0) t.regions.push_back({m.memory_base, from_heap});
    if (info.table_size > 0) {
      std::optional<uint64_t> tb = table_.Allocate(info.table_size, uint64_t{1} << info.table_align);
      if (!tb) {
        errors.push_back(Error(m.name, Msg("function table is full (", info.table_size, " slots)")));
        continue;
      }
      m.table_base = static_cast<uint32_t>(*tb);
      m.table_size = info.table_size;
      t.table_regions.push_back(m.table_base);
    } else {
      m.table_base = 0;
      m.table_size = 0;
    }
  }
  if (!errors.empty()) return PlanFailure(std::move(errors));

  if (t.first) {
    heap_base_ = static_cast<uint32_t>((memory_.HighWater() + 15) & ~uint64_t{15});
    if (heap_base_ < stack_high_) heap_base_ = stack_high_;
    plan.memory_size = static_cast<uint32_t>(std::max<uint64_t>(
        options_.initial_memory, uint64_t{heap_base_} + options_.initial_heap));
    plan.stack_low = stack_low_;
    plan.stack_high = stack_high_;
    plan.heap_base = heap_base_;
  }

  // The new modules' symbols, first definition wins in load order.
  for (ModuleId id : load_order) {
    const LoadedModule& m = *modules_[id];
    for (const auto& [name, sym] : m.symbols.all()) {
      auto it = t.overlay.find(name);
      if (it == t.overlay.end()) {
        t.overlay.emplace(name, Definition{id, &sym});
      } else if (it->second.symbol->weak && !sym.weak) {
        it->second = Definition{id, &sym};
      }
    }
  }
  // Functions bound lazily before (their slots hold PLT resolvers) whose
  // module loads now: the slot becomes the function's canonical slot and is
  // filled right after the module is instantiated.
  std::vector<std::pair<ModuleId, SlotFill>> lazy_fills;
  for (const auto& [symbol, ls] : lazy_slots_) {
    if (!ls.target) continue;
    auto owner = by_name_.find(ls.target->module);
    if (owner == by_name_.end() || !is_new.count(owner->second)) continue;
    const LoadedModule& m = *modules_[owner->second];
    const ModuleSymbol* sym = m.symbols.Find(symbol);
    if (!sym || sym->kind != SymbolKind::kFunction) continue;  // the resolver will report it
    if (*sym->type != ls.target->type) {
      const ModuleSymbol* orig = m.symbols.Find(std::string(kOrigPrefix) + symbol);
      if (orig && orig->kind == SymbolKind::kFunction && *orig->type == ls.target->type) {
        sym = orig;
      } else {
        errors.push_back(Error("", Msg(symbol, " was bound lazily as ", ls.target->type.ToString(),
                                       ", but ", m.name, " exports it as ", sym->type->ToString())));
        continue;
      }
    }
    const auto key = std::make_pair(m.id, sym->index);
    if (canonical_.count(key)) continue;
    canonical_.emplace(key, ls.slot);
    t.new_canonical.push_back(key);
    t.consumed_lazy.push_back(symbol);
    lazy_fills.emplace_back(m.id, SlotFill{ls.slot, m.id, sym->export_index});
  }
  if (!errors.empty()) return PlanFailure(std::move(errors));

  auto resolve = [&](std::string_view name) -> std::optional<Definition> {
    std::optional<Definition> g = Resolve(name, 0);
    auto o = t.overlay.find(name);
    if (g && (!g->symbol->weak || o == t.overlay.end() || o->second.symbol->weak)) return g;
    if (o != t.overlay.end()) return o->second;
    return g;
  };
  // The first function definition of `name` in a module other than `self`:
  // global-scope modules already loaded, in load order, then this load's.
  auto resolve_next = [&](std::string_view name, ModuleId self) -> std::optional<Definition> {
    std::optional<Definition> weak;
    auto consider = [&](ModuleId id) -> bool {
      if (id == self) return false;
      const ModuleSymbol* s = modules_[id]->symbols.Find(name);
      if (!s || s->kind != SymbolKind::kFunction) return false;
      if (!s->weak) return true;
      if (!weak) weak = Definition{id, s};
      return false;
    };
    for (const auto& m : modules_) {
      if (m && m->live && m->group == 0 && consider(m->id)) return Definition{m->id, m->symbols.Find(name)};
    }
    for (ModuleId id : load_order) {
      if (consider(id)) return Definition{id, modules_[id]->symbols.Find(name)};
    }
    return weak;
  };

  // The instantiation order, refined by symbols: a new module whose
  // functions or globals another new module imports goes first where the
  // NEEDED graph does not already say so (side modules seldom name libc as
  // NEEDED), so those imports bind to its exports instead of to PLT
  // trampolines, and its constructors run first. Depth-first post-order from
  // the root like the NEEDED order, NEEDED edges then providers; a cycle is
  // broken where the walk meets it (those imports keep their trampolines).
  {
    std::unordered_map<ModuleId, std::vector<ModuleId>> providers;
    for (ModuleId id : inst_order) {
      std::vector<ModuleId>& ps = providers[id];
      for (const wasm::Import& imp : modules_[id]->module->imports) {
        if (imp.module != "env" || (imp.kind != wasm::ExternalKind::kFunc && imp.kind != wasm::ExternalKind::kGlobal)) {
          continue;
        }
        std::optional<Definition> def = resolve(imp.field);
        if (def && def->module != id && is_new.count(def->module)) ps.push_back(def->module);
      }
      std::sort(ps.begin(), ps.end(), [&](ModuleId a, ModuleId b) { return inst_pos[a] < inst_pos[b]; });
      ps.erase(std::unique(ps.begin(), ps.end()), ps.end());
    }
    std::vector<ModuleId> order;
    std::set<ModuleId> visited;
    std::function<void(ModuleId)> visit = [&](ModuleId id) {
      if (!is_new.count(id) || !visited.insert(id).second) return;
      for (ModuleId dep : modules_[id]->needed) visit(dep);
      for (ModuleId p : providers[id]) visit(p);
      order.push_back(id);
    };
    visit(root);
    for (ModuleId id : inst_order) visit(id);
    inst_order = std::move(order);
    for (uint32_t i = 0; i < inst_order.size(); ++i) inst_pos[inst_order[i]] = i;
  }

  PltBuilder plt;
  std::unordered_map<ModuleId, size_t> plan_index;
  for (ModuleId id : inst_order) {
    PlannedModule pm;
    pm.id = id;
    const LoadedModule& m = *modules_[id];
    pm.memory_base = m.memory_base;
    pm.memory_size = m.memory_size;
    pm.zero_memory = m.memory_from_heap || started_;
    pm.table_base = m.table_base;
    pm.table_size = m.table_size;
    plan_index[id] = plan.modules.size();
    plan.modules.push_back(std::move(pm));
  }

  for (const auto& [id, fill] : lazy_fills) plan.modules[plan_index[id]].slot_fills.push_back(fill);

  // A lazily bound function's slot (created with its resolver on first use),
  // or nullopt if `name` is not a lazy symbol of a module not yet loaded.
  auto lazy_slot = [&](const std::string& name) -> std::optional<uint32_t> {
    auto lz = lazy_index_.find(name);
    if (lz == lazy_index_.end() || lz->second.data || by_name_.count(lz->second.module)) return std::nullopt;
    auto existing = lazy_slots_.find(name);
    if (existing != lazy_slots_.end()) return existing->second.slot;
    std::optional<uint64_t> s = table_.Allocate(1, 1);
    if (!s) return std::nullopt;
    const uint32_t slot = static_cast<uint32_t>(*s);
    lazy_slots_[name] = LazySlot{slot, &lz->second};
    lazy_by_slot_[slot] = name;
    t.new_lazy.push_back(name);
    t.single_slots.push_back(slot);
    const uint32_t k = plt.AddLazy(lz->second.type, slot);
    plan.plt_fills.push_back({slot, kPltModule, k, /*resolver=*/true});
    ++plan.lazy_entries;
    return slot;
  };

  // A function's canonical table slot; allocated (and its fill scheduled)
  // on first use.
  auto canonical_slot = [&](ModuleId provider, const ModuleSymbol& sym) -> std::optional<uint32_t> {
    const auto key = std::make_pair(provider, sym.index);
    auto it = canonical_.find(key);
    if (it != canonical_.end()) return it->second;
    // A function the module's element segment places: the engine writes
    // that slot at instantiation, no fill.
    if (std::optional<uint32_t> own = modules_[provider]->ElemSlot(sym.index)) {
      canonical_.emplace(key, *own);
      t.new_canonical.push_back(key);
      return *own;
    }
    std::optional<uint64_t> slot = table_.Allocate(1, 1);
    if (!slot) return std::nullopt;
    const uint32_t s = static_cast<uint32_t>(*slot);
    canonical_.emplace(key, s);
    t.new_canonical.push_back(key);
    t.single_slots.push_back(s);
    const SlotFill fill{s, provider, sym.export_index};
    if (is_new.count(provider)) plan.modules[plan_index[provider]].slot_fills.push_back(fill);
    else plan.live_fills.push_back(fill);
    return s;
  };
  // Prefer orig$NAME (the unlegalized function) where a module has both.
  auto unlegalized = [&](ModuleId provider, std::string_view name,
                         const ModuleSymbol* sym) -> const ModuleSymbol* {
    const ModuleSymbol* orig =
        modules_[provider]->symbols.Find(std::string(kOrigPrefix) + std::string(name));
    return orig && orig->kind == SymbolKind::kFunction ? orig : sym;
  };
  auto module_of = [&](ModuleId id) -> const LoadedModule& { return *modules_[id]; };

  std::vector<Error> undefined;
  for (ModuleId id : inst_order) {
    PlannedModule& pm = plan.modules[plan_index[id]];
    const LoadedModule& m = *modules_[id];
    const wasm::Module& mod = *m.module;
    // IMPORT_INFO names a weak symbol once (as env.X) even when the module
    // reaches it through GOT.mem.X / GOT.func.X: key by symbol name.
    std::unordered_set<std::string> weak_imports;
    for (const wasm::ImportInfo& info : mod.dylink.import_info) {
      if (info.flags & wasm::symflag::kBindingWeak) weak_imports.insert(info.field);
    }
    pm.imports.reserve(mod.imports.size());
    // GOT entries in the module's memory (lazylink.got) resolve like GOT
    // imports; their values go to got_values instead of import bindings.
    const size_t n_imports = mod.imports.size();
    const size_t n_refs = n_imports + mod.memory_got.entries.size();
    pm.got_offset = mod.memory_got.offset;
    pm.got_values.reserve(mod.memory_got.entries.size());

    for (size_t k = 0; k < n_refs; ++k) {
      const bool in_memory = k >= n_imports;
      const wasm::Import& imp = in_memory ? mod.memory_got.entries[k - n_imports] : mod.imports[k];
      ImportBinding b;
      const bool weak = weak_imports.count(imp.field) > 0;
      auto fail = [&](std::string message) {
        errors.push_back(Error(m.name, std::move(message)));
      };
      auto missing = [&](const char* what) {
        undefined.push_back(Error(m.name, Msg("undefined symbol: ", imp.field, " (", what, ")")));
      };

      switch (imp.kind) {
        case wasm::ExternalKind::kMemory:
          if (imp.module == "env" && imp.field == "memory") b.kind = Binding::kMemory;
          else fail(Msg("imports memory ", ImportName(imp), "; modules share env.memory"));
          break;
        case wasm::ExternalKind::kTable:
          if (imp.module == "env" && imp.field == "__indirect_function_table") b.kind = Binding::kTable;
          else fail(Msg("imports table ", ImportName(imp), "; modules share env.__indirect_function_table"));
          break;
        case wasm::ExternalKind::kTag:
          fail(Msg("imports the exception tag ", ImportName(imp),
                   ": modules built with -fwasm-exceptions are not supported yet; build with -fexceptions"));
          break;
        case wasm::ExternalKind::kGlobal: {
          ++plan.got_entries;
          if (imp.module == "env" && imp.field == "__stack_pointer") {
            b.kind = Binding::kStackPointer;
            --plan.got_entries;
            break;
          }
          if (imp.module == "env" && imp.field == "__memory_base") {
            b.kind = Binding::kMemoryBase;
            --plan.got_entries;
            break;
          }
          if (imp.module == "env" && imp.field == "__table_base") {
            b.kind = Binding::kTableBase;
            --plan.got_entries;
            break;
          }
          if (imp.module == "env" && (imp.field == "__tls_base" || imp.field == "__stack_low" ||
                                      imp.field == "__stack_high") &&
              imp.global.is_mutable) {
            fail(Msg("imports ", ImportName(imp), ": modules built with -pthread are not supported"));
            break;
          }
          const bool got_func = imp.IsGotFunc();
          if (imp.module != "GOT.mem" && !got_func && imp.module != "env") {
            fail(Msg("imports global ", ImportName(imp), ", which no module or host provides"));
            break;
          }
          b.kind = Binding::kValue;
          b.b = imp.global.is_mutable ? 1 : 0;  // the Global must match the import's mutability
          std::optional<Definition> def = resolve(imp.field);
          if (got_func) {
            if (def && def->symbol->kind == SymbolKind::kFunction) {
              const ModuleSymbol* sym = unlegalized(def->module, imp.field, def->symbol);
              std::optional<uint32_t> slot = canonical_slot(def->module, *sym);
              if (!slot) {
                fail("function table is full");
                break;
              }
              b.a = *slot;
              t.uses.emplace_back(id, def->module);
            } else if (def) {
              fail(Msg("takes the address of ", imp.field, " as a function, but ",
                       module_of(def->module).name, " defines it as ", SymbolKindName(def->symbol->kind)));
            } else if (std::optional<uint32_t> slot = lazy_slot(imp.field)) {
              b.a = *slot;  // the same slot before and after its module loads
            } else if (auto h = FindHost("env", imp.field)) {
              const HostFunction& host = host_[*h];
              if (!host.type) {
                fail(Msg("takes the address of host function ", imp.field,
                         ", whose signature the host does not declare"));
                break;
              }
              auto hs = host_slots_.find(*h);
              uint32_t slot;
              if (hs != host_slots_.end()) {
                slot = hs->second;
              } else {
                std::optional<uint64_t> s = table_.Allocate(1, 1);
                if (!s) {
                  fail("function table is full");
                  break;
                }
                slot = static_cast<uint32_t>(*s);
                host_slots_.emplace(*h, slot);
                t.new_host_slots.push_back(*h);
                t.single_slots.push_back(slot);
                const uint32_t k = plt.AddHostThunk(*host.type, *h);
                plan.plt_fills.push_back({slot, kPltModule, k});
              }
              b.a = slot;
            } else if (weak) {
              b.a = 0;  // a weak undefined function's address is null
            } else if (m.symbols.Find(Msg(kEmJsPrefix, imp.field))) {
              fail(Msg("takes the address of ", imp.field, ", an EM_JS function: not supported; take the address "
                       "of a C function that calls it"));
            } else {
              missing("address of function");
            }
            break;
          }
          // GOT.mem.X, or an env global standing for a data symbol.
          if (def && def->symbol->kind == SymbolKind::kData) {
            b.a = module_of(def->module).memory_base + def->symbol->offset;
            t.uses.emplace_back(id, def->module);
          } else if (def && def->symbol->kind == SymbolKind::kGlobal && imp.module == "env") {
            b.kind = Binding::kModuleGlobal;
            b.a = def->module;
            b.b = def->symbol->export_index;
            t.uses.emplace_back(id, def->module);
            if (!module_of(def->module).live && inst_pos[def->module] >= inst_pos[id]) {
              fail(Msg("imports global ", imp.field, " from ", module_of(def->module).name,
                       ", which is instantiated later"));
            }
          } else if (def && def->symbol->kind == SymbolKind::kTls) {
            fail(Msg("uses thread-local ", imp.field, " from ", module_of(def->module).name,
                     ": TLS across modules needs -pthread builds, which are not supported"));
          } else if (def) {
            fail(Msg("uses ", imp.field, " as data, but ", module_of(def->module).name,
                     " defines it as a ", SymbolKindName(def->symbol->kind)));
          } else if (imp.field == "__heap_base") {
            b.a = heap_base_;
          } else if (imp.field == "__data_end") {
            // Emscripten 3.1.6's emscripten_stack_init (libstd) takes the
            // stack's limit from __data_end (its layout puts the stack right
            // above the static data): here the stack's low end, so that
            // emscripten_stack_get_end/get_free describe the real stack.
            b.a = stack_low_;
          } else if (imp.field == "__stack_low") {
            b.a = stack_low_;
          } else if (imp.field == "__stack_high") {
            b.a = stack_high_;
          } else if (weak) {
            b.a = 0;
          } else {
            missing("data");
          }
          break;
        }
        case wasm::ExternalKind::kFunc: {
          ++plan.symbols_bound;
          const wasm::FuncType& want = mod.types[imp.type_index];
          // EM_JS: the module defines NAME itself, in JavaScript, as the
          // string its data symbol __em_js__NAME points at. The host's
          // `__em_js__*` factory builds the function from that address.
          if (imp.module == "env") {
            const std::string em_js = Msg(kEmJsPrefix, imp.field);
            const ModuleSymbol* js = m.symbols.Find(em_js);
            if (js && js->kind == SymbolKind::kData) {
              if (auto h = FindHost("env", em_js)) {
                b.kind = Binding::kHostFunc;
                b.a = *h;
                b.b = m.memory_base + js->offset;
              } else {
                fail(Msg("defines ", imp.field, " with EM_JS, but the host has no EM_JS support (env.",
                         kEmJsPrefix, "*)"));
              }
              break;
            }
          }
          std::optional<Definition> def;
          if (imp.module == "env") def = resolve(imp.field);
          // A module that imports a function it defines itself (an import
          // given that name explicitly, e.g. to wrap a host function:
          // __attribute__((import_name("__syscall_getcwd"))) next to its own
          // __syscall_getcwd) means the definition it interposes on, as
          // under static linking: the next module in load order that
          // defines it, else the host. Binding it to itself would recurse.
          // With neither, it is the module's own (interposable) definition:
          // C++ inline and template functions (linkonce_odr) are imported
          // and exported by every PIC module that uses them.
          if (def && def->module == id) {
            if (std::optional<Definition> next = resolve_next(imp.field, id)) {
              def = next;
            } else if (FindHost("env", imp.field)) {
              def.reset();  // bound to the host below
            }
          }
          if (def && def->symbol->kind == SymbolKind::kFunction) {
            const ModuleSymbol* sym = def->symbol;
            if (*sym->type != want) {
              const ModuleSymbol* orig = unlegalized(def->module, imp.field, sym);
              if (orig != sym && *orig->type == want) {
                sym = orig;
              } else {
                std::string hint;
                if (HasI64(*sym->type) != HasI64(want)) {
                  hint = " (one side was built with -sWASM_BIGINT and the other without)";
                }
                errors.push_back(Error("", Msg(m.name, " imports ", imp.field, ": ", want.ToString(), ", but ",
                         module_of(def->module).name, " exports it as ", sym->type->ToString(), hint)));
                break;
              }
            }
            const ModuleId provider = def->module;
            t.uses.emplace_back(id, provider);
            const bool ready = module_of(provider).live ||
                               (is_new.count(provider) && inst_pos[provider] < inst_pos[id]);
            if (ready) {
              b.kind = Binding::kModuleFunc;
              b.a = provider;
              b.b = sym->export_index;
            } else {
              std::optional<uint32_t> slot = canonical_slot(provider, *sym);
              if (!slot) {
                fail("function table is full");
                break;
              }
              b.kind = Binding::kPltFunc;
              b.a = plt.AddTrampoline(want, *slot);
            }
            break;
          }
          if (def) {
            fail(Msg("calls ", imp.field, ", but ", module_of(def->module).name, " defines it as ",
                     SymbolKindName(def->symbol->kind)));
            break;
          }
          if (imp.module == "env") {
            auto lz = lazy_index_.find(imp.field);
            if (lz != lazy_index_.end() && !lz->second.data && !by_name_.count(lz->second.module)) {
              if (lz->second.type != want) {
                errors.push_back(Error("", Msg(m.name, " imports ", imp.field, ": ", want.ToString(), ", but ",
                                               lz->second.module, " exports it as ",
                                               lz->second.type.ToString(), " (from the lazy index)")));
                break;
              }
              std::optional<uint32_t> slot = lazy_slot(imp.field);
              if (!slot) {
                fail("function table is full");
                break;
              }
              b.kind = Binding::kPltFunc;
              b.a = plt.AddTrampoline(want, *slot);
              break;
            }
          }
          if (auto h = FindHost(imp.module, imp.field)) {
            const HostFunction& host = host_[*h];
            if (host.type && *host.type != want) {
              errors.push_back(Error("", Msg(m.name, " imports ", imp.field, ": ", want.ToString(),
                                             ", but the host provides it as ", host.type->ToString())));
              break;
            }
            b.kind = Binding::kHostFunc;
            b.a = *h;
          } else if (weak) {
            b.kind = Binding::kMissingWeak;
          } else {
            missing(Msg("function ", want.ToString()).c_str());
          }
          break;
        }
      }
      if (!in_memory) {
        pm.imports.push_back(b);
      } else if (b.kind == Binding::kValue) {
        pm.got_values.push_back(b.a);
      } else {
        fail(Msg("its lazylink.got entry ", imp.module, ".", imp.field, " does not resolve to a value"));
      }
    }

    // Relocations and constructors to run after instantiation. In
    // Emscripten 3.1.6 output __wasm_apply_data_relocs is often the start
    // function (it then already ran); never run either twice.
    for (uint32_t e = 0; e < mod.exports.size(); ++e) {
      const wasm::Export& exp = mod.exports[e];
      if (exp.kind != wasm::ExternalKind::kFunc) continue;
      const bool is_start = mod.start && *mod.start == exp.index;
      if (exp.name == "__wasm_apply_data_relocs" && !is_start) pm.apply_data_relocs = static_cast<int32_t>(e);
      if (exp.name == "__wasm_call_ctors" && !is_start) pm.call_ctors = static_cast<int32_t>(e);
    }
  }

  if (!undefined.empty()) {
    // All undefined symbols at once, each with the module that needs it.
    std::string text = Msg(undefined.size(), " undefined symbol", undefined.size() == 1 ? "" : "s", ":");
    for (const Error& e : undefined) text += "\n  " + e.Format();
    errors.insert(errors.begin(), Error("", text));
  }
  if (!errors.empty()) return PlanFailure(std::move(errors));

  plan.table_size = static_cast<uint32_t>(table_.HighWater());
  if (!plt.empty()) {
    plan.plt = plt.Finish(plan.table_size, options_.tail_calls);
    plan.plt_host_imports = plt.host_imports();
    plan.plt_entries = static_cast<uint32_t>(plt.size());
  }
  return plan;
}

}  // namespace lazylink::link
