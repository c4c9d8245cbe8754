// embind surface of the component linker (loader/component/): the JS edge
// (web/component/) links components through it and gets generated adapter
// modules from it. One crossing per step: a link returns the whole plan as
// JSON, an adapter module comes back as bytes.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "loader/component/adapter.h"
#include "loader/component/component_linker.h"
#include "loader/component/trampoline.h"
#include "loader/wit/resolve.h"

namespace lazylink {
namespace {

using emscripten::val;
using namespace component;

val Bytes(const std::vector<uint8_t>& bytes) {
  return val::global("Uint8Array").new_(emscripten::typed_memory_view(bytes.size(), bytes.data()));
}

val Fail(const std::string& message) {
  val out = val::object();
  out.set("ok", false);
  out.set("error", message);
  return out;
}

// {world, files: [[name, text], ...]} -> WitPackage.
WitPackage WitFrom(const val& wit) {
  WitPackage p;
  p.world = wit["world"].as<std::string>();
  const val files = wit["files"];
  const unsigned n = files["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i)
    p.files.push_back({files[i][0].as<std::string>(), files[i][1].as<std::string>()});
  return p;
}

bool SideFrom(const val& v, AdapterSide* side, std::string* error) {
  if (v.isUndefined() || v.isNull()) return true;
  if (v["addr"].isString()) {
    const std::string a = v["addr"].as<std::string>();
    if (a == "i64") side->addr = cabi::AddrType::kI64;
    else if (a != "i32") return *error = "addr must be i32 or i64", false;
  }
  if (v["encoding"].isString() &&
      !ParseStringEncoding(v["encoding"].as<std::string>(), &side->encoding))
    return *error = "unknown string encoding " + v["encoding"].as<std::string>(), false;
  return true;
}

Expected<AdapterOptions> OptionsFrom(const val& v) {
  AdapterOptions o;
  std::string error;
  if (v.isUndefined() || v.isNull()) return o;
  if (!SideFrom(v["caller"], &o.caller, &error) || !SideFrom(v["callee"], &o.callee, &error))
    return Error("adapter", error);
  if (v["simd"].isFalse()) o.simd = false;
  if (v["tailCalls"].isFalse()) o.tail_calls = false;
  return o;
}

class ComponentLinkerHandle {
 public:
  std::string AddModule(const std::string& name, const std::string& source, const val& bytes,
                        const val& wit) {
    std::vector<uint8_t> data = emscripten::convertJSArrayToNumberVector<uint8_t>(bytes);
    std::optional<WitPackage> given;
    if (!wit.isNull() && !wit.isUndefined()) given = WitFrom(wit);
    Status s = linker_.AddModule(name, source, data.data(), data.size(), given);
    return s.ok() ? "" : s.error().Format();
  }

  std::string AddWorld(const std::string& name, const std::string& source, const val& wit) {
    Status s = linker_.AddWorld(name, source, WitFrom(wit));
    return s.ok() ? "" : s.error().Format();
  }

  void Wire(const std::string& component, const std::string& import_name,
            const std::string& exporter) {
    linker_.Wire(component, import_name, exporter);
  }

  val Link() {
    auto r = linker_.Link();
    if (!r.ok()) return Fail(r.error().Format());
    result_ = std::make_unique<LinkResult>(std::move(*r));
    val out = val::object();
    out.set("ok", true);
    out.set("plan", LinkResultToJson(linker_.components(), *result_));
    return out;
  }

  // The adapter module for every linked function from `caller` to `callee`
  // (component indices) that needs one (not the identity ones); "f<k>" is
  // the k-th of them in plan order.
  val Adapter(unsigned caller, unsigned callee, const val& options) {
    if (!result_) return Fail("adapter: link first");
    auto o = OptionsFrom(options);
    if (!o.ok()) return Fail(o.error().Format());
    const std::vector<Component>& cs = linker_.components();
    const bool include_identity = !options.isUndefined() && options["includeIdentity"].isTrue();
    std::vector<AdapterFunction> fns;
    val indices = val::array();
    for (size_t i = 0; i < result_->functions.size(); ++i) {
      const LinkedFunction& f = result_->functions[i];
      if (f.caller != caller || f.callee != callee || (f.identity && !include_identity)) continue;
      fns.push_back({f.type, !f.post_return.empty(), f.Boundary(cs)});
      indices.call<void>("push", static_cast<unsigned>(i));
    }
    if (caller >= cs.size()) return Fail("adapter: no such component");
    auto bytes = EmitAdapterModule(cs[caller].Arena(), fns, *o);
    if (!bytes.ok()) return Fail(bytes.error().Format());
    val out = val::object();
    out.set("ok", true);
    out.set("bytes", Bytes(*bytes));
    out.set("functions", indices);
    return out;
  }

 private:
  ComponentLinker linker_;
  std::unique_ptr<LinkResult> result_;
};

// For tests and benchmarks: an adapter for function types written in the
// conformance vectors' type syntax.
//   {functions: [{params: ["string"], results: ["list<u8>"], postReturn: true}],
//    caller: {addr, encoding}, callee: {addr, encoding}, simd}
val EmitAdapterForTypes(const val& spec) {
  cabi::TypeArena arena;
  std::vector<AdapterFunction> fns;
  const val list = spec["functions"];
  const unsigned n = list["length"].as<unsigned>();
  for (unsigned k = 0; k < n; ++k) {
    AdapterFunction fn;
    for (const char* part : {"params", "results"}) {
      const val ts = list[k][part];
      const unsigned m = ts["length"].as<unsigned>();
      for (unsigned i = 0; i < m; ++i) {
        auto t = wit::ParseValueType(ts[i].as<std::string>(), &arena);
        if (!t.ok()) return Fail(t.error().Format());
        const bool is_param = part[0] == 'p';
        (is_param ? fn.type.params : fn.type.results)
            .push_back({is_param ? "p" + std::to_string(i) : std::string(), *t});
      }
    }
    fn.post_return = list[k]["postReturn"].isTrue();
    fn.name = "f" + std::to_string(k);
    fns.push_back(std::move(fn));
  }
  auto o = OptionsFrom(spec);
  if (!o.ok()) return Fail(o.error().Format());
  auto bytes = EmitAdapterModule(arena, fns, *o);
  if (!bytes.ok()) return Fail(bytes.error().Format());
  val out = val::object();
  out.set("ok", true);
  out.set("bytes", Bytes(*bytes));
  return out;
}

// "iii,vjd" -> the signatures.
std::vector<wasm::FuncType> Signatures(const std::string& list, bool* ok) {
  std::vector<wasm::FuncType> out;
  size_t start = 0;
  *ok = true;
  while (start <= list.size() && !list.empty()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    wasm::FuncType t;
    if (!ParseSignature(list.substr(start, comma - start), &t)) *ok = false;
    out.push_back(t);
    start = comma + 1;
  }
  return out;
}

val EmitTrampolinesFor(const std::string& sigs) {
  bool ok;
  auto list = Signatures(sigs, &ok);
  if (!ok) return Fail("bad signature list: " + sigs);
  val out = val::object();
  out.set("ok", true);
  out.set("bytes", Bytes(EmitTrampolines(list)));
  return out;
}

val EmitReexportsFor(const std::string& sigs) {
  bool ok;
  auto list = Signatures(sigs, &ok);
  if (!ok) return Fail("bad signature list: " + sigs);
  val out = val::object();
  out.set("ok", true);
  out.set("bytes", Bytes(EmitReexports(list)));
  return out;
}

EMSCRIPTEN_BINDINGS(lazylink_component) {
  emscripten::class_<ComponentLinkerHandle>("ComponentLinker")
      .constructor<>()
      .function("addModule", &ComponentLinkerHandle::AddModule)
      .function("addWorld", &ComponentLinkerHandle::AddWorld)
      .function("wire", &ComponentLinkerHandle::Wire)
      .function("link", &ComponentLinkerHandle::Link)
      .function("adapter", &ComponentLinkerHandle::Adapter);
  emscripten::function("emitAdapterForTypes", &EmitAdapterForTypes);
  emscripten::function("emitTrampolines", &EmitTrampolinesFor);
  emscripten::function("emitReexports", &EmitReexportsFor);
}

}  // namespace
}  // namespace lazylink
