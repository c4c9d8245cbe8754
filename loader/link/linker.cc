// The Linker's transactions, lookups and unloading. Planning is in plan.cc.
#include "loader/link/linker.h"

#include <algorithm>
#include <deque>
#include <set>

#include "loader/link/linker_internal.h"
#include "loader/link/side_module.h"
#include "loader/link/standard_library.h"
#include "loader/wasm/reader.h"

namespace lazylink::link {

namespace {

std::string_view BaseName(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view DirName(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  std::string out(dir);
  if (out.back() != '/') out += '/';
  out += name;
  return out;
}

// The first table slot a module can have: slot 0 stays null, so that a null
// function pointer traps.
constexpr uint64_t kFirstSlot = 1;
constexpr uint64_t kMaxTableSlots = 10'000'000;  // what engines allow

// Function index -> position in the module's table region, from its active
// element segments on table 0 placed at `global.get __table_base` (where
// wasm-ld puts a side module's function pointers).
std::unordered_map<uint32_t, uint32_t> ElemSlots(const wasm::Module& m) {
  std::unordered_map<uint32_t, uint32_t> out;
  const std::optional<uint32_t> table_base = m.FindImportedGlobal("env", "__table_base");
  if (!table_base) return out;
  for (const wasm::ElemSegment& seg : m.elements) {
    if (seg.mode != wasm::SegmentMode::kActive || seg.table_index != 0 ||
        seg.offset_expr.op != wasm::ConstExpr::Op::kGlobalGet || seg.offset_expr.index != *table_base) {
      continue;
    }
    for (size_t i = 0; i < seg.func_indices.size(); i++) {
      const uint32_t f = seg.func_indices[i];
      if (f != wasm::kNullElement && f != wasm::kOtherElement) out.emplace(f, static_cast<uint32_t>(i));
    }
  }
  return out;
}

}  // namespace

Linker::Linker(LinkerOptions options) : options_(std::move(options)) {
  // "Stack first": the stack sits just above the null guard and grows down
  // towards it, so an overflow hits the guard rather than module data.
  stack_low_ = options_.null_guard;
  stack_high_ = options_.null_guard + options_.stack_size;
  const uint64_t limit = uint64_t{options_.max_memory_pages} * 65536;
  memory_.AddRange(stack_high_, limit > stack_high_ ? limit - stack_high_ : 0);
  table_.AddRange(kFirstSlot, kMaxTableSlots - kFirstSlot);
}

Linker::~Linker() = default;

void Linker::SetHostFunctions(std::vector<HostFunction> functions) {
  host_ = std::move(functions);
  host_index_.clear();
  host_prefixes_.clear();
  for (uint32_t i = 0; i < host_.size(); ++i) {
    const std::string key = host_[i].module + '.' + host_[i].name;
    if (!key.empty() && key.back() == '*') host_prefixes_.emplace_back(key.substr(0, key.size() - 1), i);
    else host_index_.emplace(key, i);
  }
}

void Linker::SetLazyIndex(std::vector<LazySymbol> symbols) {
  lazy_index_.clear();
  lazy_modules_.clear();
  for (LazySymbol& s : symbols) {
    lazy_modules_.insert(s.module);
    std::string name = s.symbol;
    lazy_index_.emplace(std::move(name), std::move(s));
  }
  // Slots already handed out keep pointing at their (re-found) entries.
  for (auto it = lazy_slots_.begin(); it != lazy_slots_.end(); ++it) {
    auto found = lazy_index_.find(it->first);
    it->second.target = found == lazy_index_.end() ? nullptr : &found->second;
  }
}

const LazySymbol* Linker::LazyTarget(uint32_t slot) const {
  auto it = lazy_by_slot_.find(slot);
  if (it == lazy_by_slot_.end()) return nullptr;
  auto ls = lazy_slots_.find(it->second);
  return ls == lazy_slots_.end() ? nullptr : ls->second.target;
}

std::optional<uint32_t> Linker::FindHost(std::string_view module, std::string_view name) const {
  std::string key(module);
  key += '.';
  key += name;
  auto it = host_index_.find(key);
  if (it != host_index_.end()) return it->second;
  for (const auto& [prefix, index] : host_prefixes_) {
    if (key.compare(0, prefix.size(), prefix) == 0) return index;
  }
  return std::nullopt;
}

const LoadedModule* Linker::module(ModuleId id) const {
  return id < modules_.size() ? modules_[id].get() : nullptr;
}

std::optional<ModuleId> Linker::FindLoaded(std::string_view name) const {
  auto it = by_name_.find(std::string(BaseName(name)));
  if (it == by_name_.end()) return std::nullopt;
  const LoadedModule* m = module(it->second);
  if (!m || !m->live) return std::nullopt;
  return it->second;
}

Status Linker::BeginLoad(std::string_view name, uint32_t flags,
                         std::string_view requester_location) {
  if (txn_) return Error("linker", "a load is already in progress");
  if (name.empty()) return Error("linker", "empty module name");
  txn_ = std::make_unique<Txn>();
  txn_->id = next_txn_++;
  txn_->flags = flags;
  txn_->root = std::string(BaseName(name));
  txn_->requester_location = std::string(requester_location);
  txn_->first = !started_;
  if (auto id = FindLoaded(name)) {
    txn_->existing = *id;
    return Ok{};
  }
  ModuleRequest req;
  req.name = txn_->root;
  req.candidates = name.find('/') != std::string_view::npos
                       ? std::vector<std::string>{std::string(name)}
                       : Candidates(name, requester_location, nullptr);
  txn_->pending.push_back(std::move(req));
  return Ok{};
}

std::vector<ModuleRequest> Linker::Pending() const {
  return txn_ ? txn_->pending : std::vector<ModuleRequest>{};
}

std::vector<std::string> Linker::Candidates(std::string_view name,
                                            std::string_view requester_location,
                                            const wasm::Module* requester) const {
  std::vector<std::string> out;
  auto add = [&out](std::string c) {
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(std::move(c));
  };
  const std::string_view origin = DirName(requester_location);
  // tool-conventions DynamicLinking.md: RUNTIME_PATH entries may start with
  // $ORIGIN, the directory of the module that names them.
  if (requester) {
    for (const std::string& rpath : requester->dylink.runtime_path) {
      std::string dir = rpath;
      if (dir.rfind("$ORIGIN", 0) == 0) dir = std::string(origin) + dir.substr(7);
      add(JoinPath(dir, name));
    }
  }
  for (const std::string& dir : options_.search_paths) add(JoinPath(dir, name));
  if (!origin.empty()) add(JoinPath(origin, name));
  add(std::string(name));
  return out;
}

Status Linker::Provide(std::string_view name, std::string_view location, const uint8_t* data,
                       size_t size) {
  if (!txn_) return Error("linker", "no load in progress");
  wasm::ReadOptions opts;
  opts.name = std::string(BaseName(name));
  Expected<wasm::Module> parsed = wasm::ReadModule(data, size, opts);
  if (!parsed.ok()) {
    Error error = parsed.error();
    ProvideError(name, "");  // drop the request
    txn_->errors.back() = error;
    return error;
  }
  return ProvideParsed(name, location, std::move(parsed).value());
}

Status Linker::ProvideParsed(std::string_view name, std::string_view location,
                             wasm::Module module) {
  if (!txn_) return Error("linker", "no load in progress");
  const std::string base(BaseName(name));
  auto it = std::find_if(txn_->pending.begin(), txn_->pending.end(),
                         [&](const ModuleRequest& r) { return r.name == base; });
  if (it == txn_->pending.end()) return Error(base, "was not requested by this load");
  if (const char* why = NotASideModule(module)) {
    ProvideError(name, why);
    return txn_->errors.back();
  }
  txn_->pending.erase(it);

  auto loaded = std::make_unique<LoadedModule>();
  loaded->id = static_cast<ModuleId>(modules_.size());
  loaded->name = base;
  loaded->location = std::string(location);
  loaded->module = std::make_unique<wasm::Module>(std::move(module));
  loaded->symbols = SymbolIndex::Build(*loaded->module);
  loaded->elem_slots = ElemSlots(*loaded->module);
  loaded->flags = txn_->flags;
  const ModuleId id = loaded->id;
  by_name_[base] = id;
  modules_.push_back(std::move(loaded));
  txn_->provided.push_back(id);
  EnqueueNeeded(id);
  MaybeEnqueueImplicit();
  return Ok{};
}

std::vector<std::string> Linker::NeededNames(const LoadedModule& m) const {
  std::vector<std::string> names;
  // A lazily loaded library is deferred unless it is what is being loaded,
  // or this module reads its data (data cannot be bound lazily).
  std::unordered_set<std::string> data_from;
  auto note_data = [&](const wasm::Import& imp) {
    if (imp.kind != wasm::ExternalKind::kGlobal) return;
    auto lz = lazy_index_.find(imp.field);
    if (lz != lazy_index_.end() && lz->second.data) data_from.insert(lz->second.module);
  };
  for (const wasm::Import& imp : m.module->imports) note_data(imp);
  for (const wasm::Import& imp : m.module->memory_got.entries) note_data(imp);
  for (const std::string& n : m.module->dylink.needed) {
    std::string base(BaseName(n));
    if (lazy_modules_.count(base) && !by_name_.count(base) && !(txn_ && base == txn_->root) &&
        !data_from.count(base)) {
      continue;
    }
    names.push_back(std::move(base));
  }
  // The root of a load also needs the standard library (decided by
  // MaybeEnqueueImplicit): apps do not carry their own libc.
  if (txn_ && m.name == txn_->root) {
    for (const std::string& lib : txn_->implicit) {
      if (lib != m.name && std::find(names.begin(), names.end(), lib) == names.end()) {
        names.push_back(lib);
      }
    }
  }
  return names;
}

// Once every explicitly needed module is in, decides which standard library
// the load implicitly needs: none if one is loaded (or is being loaded), the
// exceptions variant if a module uses Emscripten's JS-based C++ exceptions.
void Linker::MaybeEnqueueImplicit() {
  Txn& t = *txn_;
  if (t.implicit_done || !t.pending.empty() || t.provided.empty()) return;
  t.implicit_done = true;
  const auto& implicit = options_.implicit_needed;
  if (implicit.empty()) return;
  auto present = [&](const std::string& name) { return by_name_.count(name) > 0; };
  if (present(implicit[0]) ||
      (!options_.exceptions_libstd.empty() && present(options_.exceptions_libstd))) {
    return;
  }
  for (const std::string& lib : implicit) {
    if (lib == t.root) return;  // loading the standard library itself
  }
  bool uses_exceptions = false;
  for (ModuleId id : t.provided) uses_exceptions = uses_exceptions || UsesJsExceptions(*modules_[id]->module);
  t.implicit = implicit;
  if (uses_exceptions && !options_.exceptions_libstd.empty()) t.implicit[0] = options_.exceptions_libstd;
  auto root = by_name_.find(t.root);
  if (root != by_name_.end()) EnqueueNeeded(root->second);
}

void Linker::EnqueueNeeded(ModuleId requester) {
  const LoadedModule& m = *modules_[requester];
  const std::vector<std::string> names = NeededNames(m);
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& base = names[i];
    if (by_name_.count(base) || txn_->failed.count(base)) continue;
    const bool queued = std::any_of(txn_->pending.begin(), txn_->pending.end(),
                                    [&](const ModuleRequest& r) { return r.name == base; });
    if (queued) continue;
    ModuleRequest req;
    req.name = base;
    req.requested_by = m.name;
    // Explicit NEEDED entries keep their spelling for the search.
    std::string spelled = base;
    for (const std::string& n : m.module->dylink.needed) {
      if (BaseName(n) == base) spelled = n;
    }
    req.candidates = spelled.find('/') != std::string::npos
                         ? std::vector<std::string>{spelled}
                         : Candidates(spelled, m.location, m.module.get());
    txn_->pending.push_back(std::move(req));
  }
}

void Linker::ProvideError(std::string_view name, std::string_view message) {
  if (!txn_) return;
  const std::string base(BaseName(name));
  auto it = std::find_if(txn_->pending.begin(), txn_->pending.end(),
                         [&](const ModuleRequest& r) { return r.name == base; });
  std::string who = it != txn_->pending.end() && !it->requested_by.empty()
                        ? Msg(" (needed by ", it->requested_by, ")")
                        : std::string();
  // Fetchers usually name the module already.
  const bool named = std::string_view(message).substr(0, base.size() + 2) == base + ": ";
  txn_->errors.push_back(Error(named ? "" : base, Msg(message, who)));
  if (it != txn_->pending.end()) txn_->pending.erase(it);
  txn_->failed.insert(base);
  MaybeEnqueueImplicit();
}

void Linker::ReleaseTxnResources() {
  Txn& t = *txn_;
  for (const Txn::Region& r : t.regions) {
    if (r.from_heap) {
      if (heap_) heap_->Free(r.start);
    } else {
      memory_.Free(r.start);
    }
  }
  for (uint32_t start : t.table_regions) table_.Free(start);
  for (const auto& key : t.new_canonical) canonical_.erase(key);
  for (uint32_t host : t.new_host_slots) host_slots_.erase(host);
  for (uint32_t slot : t.single_slots) table_.Free(slot);
  for (const std::string& sym : t.new_lazy) {
    auto it = lazy_slots_.find(sym);
    if (it != lazy_slots_.end()) {
      lazy_by_slot_.erase(it->second.slot);
      lazy_slots_.erase(it);
    }
  }
  t.new_lazy.clear();
  t.consumed_lazy.clear();
  t.regions.clear();
  t.table_regions.clear();
  t.new_canonical.clear();
  t.new_host_slots.clear();
  t.single_slots.clear();
}

void Linker::Abort() {
  if (!txn_) return;
  ReleaseTxnResources();
  for (ModuleId id : txn_->provided) {
    auto it = by_name_.find(modules_[id]->name);
    if (it != by_name_.end() && it->second == id) by_name_.erase(it);
    modules_[id].reset();
  }
  txn_.reset();
}

Error Linker::PlanFailure(std::vector<Error> errors) {
  Abort();
  if (errors.size() == 1) return errors[0];
  std::string text = Msg(errors.size(), " link errors:");
  for (const Error& e : errors) text += "\n  " + e.Format();
  return Error("", text);
}

ModuleId Linker::Commit() {
  if (!txn_) return kNoModule;
  Txn& t = *txn_;
  ModuleId root = t.existing;
  if (root != kNoModule) {
    modules_[root]->refcount++;
    txn_.reset();
    return root;
  }
  for (ModuleId id : t.provided) {
    LoadedModule& m = *modules_[id];
    m.live = true;
    m.group = t.group;
    if (m.name == t.root) root = id;
    // A NEEDED edge holds a reference, as in ELF.
    for (ModuleId dep : m.needed) modules_[dep]->refcount++;
  }
  if (root != kNoModule) modules_[root]->refcount++;
  auto& scope = t.group == 0 ? global_ : groups_[t.group];
  for (const auto& [name, def] : t.overlay) {
    auto it = scope.find(name);
    if (it == scope.end()) {
      scope.emplace(name, def);
    } else if (it->second.symbol->weak && !def.symbol->weak) {
      it->second = def;  // a strong definition replaces a weak one
    }
  }
  for (const auto& [user, provider] : t.uses) {
    auto& users = modules_[provider]->users;
    if (user != provider && std::find(users.begin(), users.end(), user) == users.end()) {
      users.push_back(user);
    }
  }
  for (const auto& key : t.new_canonical) {
    // A slot in the module's own table region goes with the region.
    LoadedModule& m = *modules_[key.first];
    const uint32_t s = canonical_[key];
    if (!m.InTableRegion(s)) m.owned_slots.push_back(s);
  }
  // Lazily bound slots whose module just loaded are ordinary canonical
  // slots now (their fills replaced the resolvers).
  for (const std::string& sym : t.consumed_lazy) {
    auto it = lazy_slots_.find(sym);
    if (it != lazy_slots_.end()) {
      lazy_by_slot_.erase(it->second.slot);
      lazy_slots_.erase(it);
    }
  }
  if (t.first) {
    started_ = true;
    // From now on the space above heap_base belongs to the app's malloc.
    memory_.TruncateAt(heap_base_);
  }
  txn_.reset();
  return root;
}

std::optional<Linker::Definition> Linker::Resolve(std::string_view name, uint32_t group) const {
  std::optional<Definition> found;
  auto it = global_.find(name);
  if (it != global_.end()) found = it->second;
  if (group != 0) {
    auto g = groups_.find(group);
    if (g != groups_.end()) {
      auto gi = g->second.find(name);
      if (gi != g->second.end() && (!found || (found->symbol->weak && !gi->second.symbol->weak))) {
        found = gi->second;
      }
    }
  }
  return found;
}

Expected<SymbolAddress> Linker::Lookup(ModuleId handle, std::string_view name) {
  std::optional<Definition> def;
  if (handle == kNoModule) {
    auto it = global_.find(name);
    if (it != global_.end()) def = it->second;
  } else {
    const LoadedModule* root = module(handle);
    if (!root || !root->live) return Error("dlsym", Msg("invalid handle ", handle));
    // The handle's own scope: the module, then its dependencies breadth first.
    std::deque<ModuleId> queue{handle};
    std::set<ModuleId> seen{handle};
    std::optional<Definition> weak;
    while (!queue.empty() && !def) {
      const LoadedModule& m = *modules_[queue.front()];
      queue.pop_front();
      if (const ModuleSymbol* s = m.symbols.Find(name)) {
        if (!s->weak) def = Definition{m.id, s};
        else if (!weak) weak = Definition{m.id, s};
      }
      for (ModuleId dep : m.needed) {
        if (seen.insert(dep).second) queue.push_back(dep);
      }
    }
    if (!def) def = weak;
  }
  if (!def) return Error("dlsym", Msg("undefined symbol: ", name));

  const LoadedModule& provider = *modules_[def->module];
  SymbolAddress out;
  out.kind = def->symbol->kind;
  out.module = def->module;
  switch (def->symbol->kind) {
    case SymbolKind::kData:
      out.value = provider.memory_base + def->symbol->offset;
      return out;
    case SymbolKind::kFunction: {
      // Prefer the unlegalized function (orig$NAME) for pointers.
      const ModuleSymbol* sym = def->symbol;
      if (const ModuleSymbol* orig =
              provider.symbols.Find(std::string(kOrigPrefix) + std::string(name))) {
        sym = orig;
      }
      const auto key = std::make_pair(def->module, sym->index);
      auto it = canonical_.find(key);
      if (it != canonical_.end()) {
        out.value = it->second;
        return out;
      }
      if (std::optional<uint32_t> own = provider.ElemSlot(sym->index)) {
        canonical_.emplace(key, *own);  // written at its instantiation
        out.value = *own;
        return out;
      }
      std::optional<uint64_t> slot = table_.Allocate(1, 1);
      if (!slot) return Error("dlsym", "function table is full");
      const uint32_t s = static_cast<uint32_t>(*slot);
      canonical_.emplace(key, s);
      modules_[def->module]->owned_slots.push_back(s);
      out.value = s;
      out.fill = SlotFill{s, def->module, sym->export_index};
      return out;
    }
    case SymbolKind::kTls:
      return Error("dlsym", Msg(name, " is thread-local; dlsym of TLS symbols is not supported"));
    case SymbolKind::kGlobal:
      return Error("dlsym", Msg(name, " is a wasm global, not a data or function symbol"));
  }
  return Error("dlsym", "unreachable");
}

Status Linker::Unload(ModuleId id, std::vector<uint32_t>* freed_slots) {
  LoadedModule* m = id < modules_.size() ? modules_[id].get() : nullptr;
  if (!m || !m->live) return Error("dlclose", Msg("invalid handle ", id));
  if (txn_) return Error("dlclose", "a load is in progress");
  if (m->refcount > 0) m->refcount--;
  if (m->refcount > 0 || (m->flags & kRtldNoDelete)) return Ok{};
  UnloadOne(id, freed_slots);
  return Ok{};
}

void Linker::UnloadOne(ModuleId id, std::vector<uint32_t>* freed_slots) {
  LoadedModule& m = *modules_[id];
  // Someone still bound to it (function imports, data addresses): keep it,
  // as ld.so keeps a library another object depends on.
  for (ModuleId user : m.users) {
    if (user != id && module(user) && module(user)->live) return;
  }
  // Forget its symbols.
  auto drop = [id](std::unordered_map<std::string_view, Definition>& scope) {
    for (auto it = scope.begin(); it != scope.end();) {
      it = it->second.module == id ? scope.erase(it) : std::next(it);
    }
  };
  if (m.group == 0) {
    drop(global_);
  } else {
    auto g = groups_.find(m.group);
    if (g != groups_.end()) {
      drop(g->second);
      if (g->second.empty()) groups_.erase(g);
    }
  }
  for (uint32_t slot : m.owned_slots) {
    table_.Free(slot);
    if (freed_slots) freed_slots->push_back(slot);
  }
  for (auto it = canonical_.begin(); it != canonical_.end();) {
    it = it->first.first == id ? canonical_.erase(it) : std::next(it);
  }
  if (m.table_size) {
    table_.Free(m.table_base);
    if (freed_slots) {
      for (uint32_t i = 0; i < m.table_size; ++i) freed_slots->push_back(m.table_base + i);
    }
  }
  if (m.memory_size == 0) {
    // nothing was placed
  } else if (m.memory_from_heap) {
    if (heap_) heap_->Free(m.memory_base);
  } else {
    memory_.Free(m.memory_base);
  }
  by_name_.erase(m.name);
  std::vector<ModuleId> needed = m.needed;
  // Others no longer use what this module used.
  for (auto& other : modules_) {
    if (!other) continue;
    auto& users = other->users;
    users.erase(std::remove(users.begin(), users.end(), id), users.end());
  }
  modules_[id].reset();
  for (ModuleId dep : needed) {
    LoadedModule* d = dep < modules_.size() ? modules_[dep].get() : nullptr;
    if (!d) continue;
    if (d->refcount > 0) d->refcount--;
    if (d->refcount == 0 && !(d->flags & kRtldNoDelete)) UnloadOne(dep, freed_slots);
  }
}

}  // namespace lazylink::link
