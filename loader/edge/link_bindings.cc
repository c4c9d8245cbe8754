// embind surface of the linker: the JS edge (web/domain.mjs) drives load
// transactions through it. Every call crosses once per load step, never per
// symbol: plans come back as one Int32Array (layout in web/plan.mjs).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <set>
#include <vector>

#include "loader/link/linker.h"

namespace lazylink {
namespace {

using emscripten::val;
using link::Binding;
using link::Linker;
using link::Plan;
using wasm::FuncType;
using wasm::ValType;

constexpr int32_t kPlanVersion = 4;
// A kModuleFunc / kModuleGlobal binding whose export has the import's own
// name (the dylink convention: almost all of them) crosses as this kind,
// so that the JS side looks it up by the import's name and never needs the
// provider's export names (web/plan.mjs, Binding.Named).
constexpr uint32_t kNamedBinding = 11;

// "iii" (Emscripten style: result first, 'v' for none) -> FuncType.
bool ParseSig(const std::string& sig, FuncType* out) {
  if (sig.empty()) return false;
  auto type = [](char c, ValType* v) {
    switch (c) {
      case 'i': *v = ValType::kI32; return true;
      case 'j': *v = ValType::kI64; return true;
      case 'f': *v = ValType::kF32; return true;
      case 'd': *v = ValType::kF64; return true;
      default: return false;
    }
  };
  out->params.clear();
  out->results.clear();
  if (sig[0] != 'v') {
    ValType r;
    if (!type(sig[0], &r)) return false;
    out->results.push_back(r);
  }
  for (size_t i = 1; i < sig.size(); ++i) {
    ValType p;
    if (!type(sig[i], &p)) return false;
    out->params.push_back(p);
  }
  return true;
}

// The app's allocator, reached through JS (libstd's memalign/free).
class JsHeap : public link::HeapAllocator {
 public:
  explicit JsHeap(val impl) : impl_(std::move(impl)) {}
  std::optional<uint32_t> Allocate(uint32_t size, uint32_t align) override {
    const double addr = impl_.call<double>("allocate", size, align);
    if (addr <= 0) return std::nullopt;
    return static_cast<uint32_t>(addr);
  }
  void Free(uint32_t address) override { impl_.call<void>("free", address); }

 private:
  val impl_;
};

val Fail(const Error& e) {
  val out = val::object();
  out.set("ok", false);
  out.set("error", e.Format());
  return out;
}

class LinkerHandle {
 public:
  explicit LinkerHandle(val options) {
    link::LinkerOptions o;
    if (options["stackSize"].isNumber()) o.stack_size = options["stackSize"].as<uint32_t>();
    if (options["initialHeap"].isNumber()) o.initial_heap = options["initialHeap"].as<uint32_t>();
    if (options["initialMemory"].isNumber()) o.initial_memory = options["initialMemory"].as<uint32_t>();
    if (options["maxMemoryPages"].isNumber()) o.max_memory_pages = options["maxMemoryPages"].as<uint32_t>();
    if (options["searchPaths"].isArray()) {
      o.search_paths = emscripten::vecFromJSArray<std::string>(options["searchPaths"]);
    }
    if (options["implicitNeeded"].isArray()) {
      o.implicit_needed = emscripten::vecFromJSArray<std::string>(options["implicitNeeded"]);
    }
    if (options["tailCalls"].isTrue()) o.tail_calls = true;
    linker_ = std::make_unique<Linker>(std::move(o));
  }

  // [[module, name, sig-or-""], ...]
  std::string SetHostFunctions(val list) {
    std::vector<link::HostFunction> host;
    const unsigned n = list["length"].as<unsigned>();
    host.reserve(n);
    for (unsigned i = 0; i < n; ++i) {
      val entry = list[i];
      link::HostFunction h;
      h.module = entry[0].as<std::string>();
      h.name = entry[1].as<std::string>();
      const std::string sig = entry[2].as<std::string>();
      if (!sig.empty()) {
        FuncType t;
        if (!ParseSig(sig, &t)) return "bad signature \"" + sig + "\" for host function " + h.name;
        h.type = std::move(t);
      }
      host.push_back(std::move(h));
    }
    linker_->SetHostFunctions(std::move(host));
    return "";
  }

  void SetHeap(val impl) {
    heap_ = std::make_unique<JsHeap>(std::move(impl));
    linker_->SetHeapAllocator(heap_.get());
  }

  std::string BeginLoad(std::string name, uint32_t flags, std::string requester) {
    Status s = linker_->BeginLoad(name, flags, requester);
    return s.ok() ? "" : s.error().Format();
  }

  val Pending() const {
    val out = val::array();
    unsigned i = 0;
    for (const link::ModuleRequest& r : linker_->Pending()) {
      val item = val::object();
      item.set("name", r.name);
      item.set("requestedBy", r.requested_by);
      val candidates = val::array();
      for (unsigned c = 0; c < r.candidates.size(); ++c) candidates.set(c, r.candidates[c]);
      item.set("candidates", candidates);
      out.set(i++, item);
    }
    return out;
  }

  std::string Provide(std::string name, std::string location, val bytes) {
    std::vector<uint8_t> data = emscripten::convertJSArrayToNumberVector<uint8_t>(bytes);
    Status s = linker_->Provide(name, location, data.data(), data.size());
    return s.ok() ? "" : s.error().Format();
  }

  void ProvideError(std::string name, std::string message) { linker_->ProvideError(name, message); }

  val MakePlan() {
    Expected<Plan> plan = linker_->MakePlan();
    if (!plan.ok()) return Fail(plan.error());
    codes_.clear();
    const Plan& p = *plan;
    auto put = [this](uint32_t v) { codes_.push_back(static_cast<int32_t>(v)); };
    put(kPlanVersion);
    put(p.txn);
    put(p.first ? 1 : 0);
    put(p.stack_low);
    put(p.stack_high);
    put(p.heap_base);
    put(p.memory_size);
    put(p.table_size);
    put(static_cast<uint32_t>(p.modules.size()));
    put(static_cast<uint32_t>(p.plt_host_imports.size()));
    put(static_cast<uint32_t>(p.plt_fills.size()));
    put(static_cast<uint32_t>(p.live_fills.size()));
    put(p.symbols_bound);
    put(p.got_entries);
    put(p.plt_entries);
    put(p.lazy_entries);
    for (uint32_t h : p.plt_host_imports) put(h);
    for (const link::SlotFill& f : p.plt_fills) {
      put(f.slot);
      put(f.export_index);
      put(f.resolver ? 1 : 0);
    }
    for (const link::SlotFill& f : p.live_fills) { put(f.slot); put(f.module); put(f.export_index); }
    for (const link::PlannedModule& m : p.modules) {
      put(m.id);
      put(m.memory_base);
      put(m.memory_size);
      put(m.zero_memory ? 1 : 0);
      put(m.table_base);
      put(m.table_size);
      put(static_cast<uint32_t>(m.apply_data_relocs));
      put(static_cast<uint32_t>(m.call_ctors));
      put(static_cast<uint32_t>(m.imports.size()));
      put(static_cast<uint32_t>(m.slot_fills.size()));
      put(m.got_offset);
      put(static_cast<uint32_t>(m.got_values.size()));
      const wasm::Module& mod = *linker_->module(m.id)->module;
      for (size_t k = 0; k < m.imports.size(); ++k) {
        const link::ImportBinding& b = m.imports[k];
        const bool by_export = b.kind == link::Binding::kModuleFunc || b.kind == link::Binding::kModuleGlobal;
        if (by_export && k < mod.imports.size() &&
            linker_->module(b.a)->module->exports[b.b].name == mod.imports[k].field) {
          put(kNamedBinding);
        } else {
          put(static_cast<uint32_t>(b.kind));
        }
        put(b.a);
        put(b.b);
      }
      for (const link::SlotFill& f : m.slot_fills) { put(f.slot); put(f.export_index); }
      for (uint32_t v : m.got_values) put(v);
    }
    plt_ = p.plt;
    val out = val::object();
    out.set("ok", true);
    // Views into this handle's memory: the caller copies them at once.
    out.set("codes", val(emscripten::typed_memory_view(codes_.size(), codes_.data())));
    out.set("plt", val(emscripten::typed_memory_view(plt_.size(), plt_.data())));
    return out;
  }

  // "symbol\tmodule\tsig\n"... (sig Emscripten style). One crossing for the
  // whole index, however many symbols.
  std::string SetLazyIndex(std::string packed) {
    std::vector<link::LazySymbol> symbols;
    size_t pos = 0;
    while (pos < packed.size()) {
      size_t end = packed.find('\n', pos);
      if (end == std::string::npos) end = packed.size();
      const std::string line = packed.substr(pos, end - pos);
      pos = end + 1;
      if (line.empty()) continue;
      const size_t t1 = line.find('\t');
      const size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
      if (t2 == std::string::npos) return "lazy index: malformed line \"" + line + "\"";
      link::LazySymbol sym;
      sym.symbol = line.substr(0, t1);
      sym.module = line.substr(t1 + 1, t2 - t1 - 1);
      const std::string sig = line.substr(t2 + 1);
      if (sig.empty()) {
        sym.data = true;  // a data symbol of that module
      } else if (!ParseSig(sig, &sym.type)) {
        return "lazy index: bad signature for " + sym.symbol;
      }
      symbols.push_back(std::move(sym));
    }
    linker_->SetLazyIndex(std::move(symbols));
    return "";
  }

  val LazyTarget(uint32_t slot) {
    const link::LazySymbol* t = linker_->LazyTarget(slot);
    if (!t) return val::null();
    val out = val::object();
    out.set("symbol", t->symbol);
    out.set("module", t->module);
    return out;
  }

  uint32_t Commit() { return linker_->Commit(); }
  void Abort() { linker_->Abort(); }

  val Lookup(uint32_t handle, std::string name) {
    Expected<link::SymbolAddress> r = linker_->Lookup(handle, name);
    if (!r.ok()) return Fail(r.error());
    val out = val::object();
    out.set("ok", true);
    out.set("kind", std::string(link::SymbolKindName(r->kind)));
    out.set("value", r->value);
    out.set("module", r->module);
    if (r->fill) {
      out.set("fillSlot", r->fill->slot);
      out.set("fillModule", r->fill->module);
      out.set("fillExport", r->fill->export_index);
    }
    return out;
  }

  val Unload(uint32_t id) {
    std::vector<uint32_t> freed;
    Status s = linker_->Unload(id, &freed);
    if (!s.ok()) return Fail(s.error());
    val out = val::object();
    out.set("ok", true);
    val slots = val::array();
    for (unsigned i = 0; i < freed.size(); ++i) slots.set(i, freed[i]);
    out.set("freedSlots", slots);
    // Which modules are gone (the edge drops their instances).
    val gone = val::array();
    unsigned n = 0;
    for (uint32_t i = 0; i < linker_->modules().size(); ++i) {
      if (!linker_->modules()[i] && known_.count(i)) gone.set(n++, i);
    }
    out.set("unloaded", gone);
    return out;
  }

  val ModuleInfo(uint32_t id) {
    const link::LoadedModule* m = linker_->module(id);
    if (!m) return val::null();
    known_.insert(id);
    val out = val::object();
    out.set("id", id);
    out.set("name", m->name);
    out.set("location", m->location);
    out.set("memoryBase", m->memory_base);
    out.set("memorySize", m->memory_size);
    out.set("memoryFromHeap", m->memory_from_heap);
    out.set("tableBase", m->table_base);
    out.set("tableSize", m->table_size);
    out.set("refcount", m->refcount);
    out.set("group", m->group);
    out.set("symbols", static_cast<uint32_t>(m->symbols.size()));
    out.set("imports", static_cast<uint32_t>(m->module->imports.size()));
    out.set("bytes", static_cast<double>(m->module->size));
    val needed = val::array();
    for (unsigned i = 0; i < m->needed.size(); ++i) needed.set(i, m->needed[i]);
    out.set("needed", needed);
    return out;
  }

  int32_t FindLoaded(std::string name) {
    auto id = linker_->FindLoaded(name);
    return id ? static_cast<int32_t>(*id) : -1;
  }
  uint32_t TableHighWater() const { return linker_->table_high_water(); }

 private:
  std::unique_ptr<Linker> linker_;
  std::unique_ptr<JsHeap> heap_;
  std::vector<int32_t> codes_;
  std::vector<uint8_t> plt_;
  std::set<uint32_t> known_;
};

EMSCRIPTEN_BINDINGS(lazylink_link) {
  emscripten::class_<LinkerHandle>("Linker")
      .constructor<val>()
      .function("setHostFunctions", &LinkerHandle::SetHostFunctions)
      .function("setHeap", &LinkerHandle::SetHeap)
      .function("beginLoad", &LinkerHandle::BeginLoad)
      .function("pending", &LinkerHandle::Pending)
      .function("provide", &LinkerHandle::Provide)
      .function("provideError", &LinkerHandle::ProvideError)
      .function("makePlan", &LinkerHandle::MakePlan)
      .function("setLazyIndex", &LinkerHandle::SetLazyIndex)
      .function("lazyTarget", &LinkerHandle::LazyTarget)
      .function("commit", &LinkerHandle::Commit)
      .function("abort", &LinkerHandle::Abort)
      .function("lookup", &LinkerHandle::Lookup)
      .function("unload", &LinkerHandle::Unload)
      .function("moduleInfo", &LinkerHandle::ModuleInfo)
      .function("findLoaded", &LinkerHandle::FindLoaded)
      .function("tableHighWater", &LinkerHandle::TableHighWater);
}

}  // namespace
}  // namespace lazylink
