#include "loader/link/plt.h"

#include <string>

#include "loader/emit/wasm_writer.h"

namespace lazylink::link {

uint32_t PltBuilder::AddTrampoline(const wasm::FuncType& type, uint32_t slot) {
  auto it = by_slot_.find(slot);
  if (it != by_slot_.end()) return it->second;
  const uint32_t k = static_cast<uint32_t>(entries_.size());
  entries_.push_back({type, false, false, slot});
  by_slot_.emplace(slot, k);
  return k;
}

uint32_t PltBuilder::AddLazy(const wasm::FuncType& type, uint32_t slot) {
  auto it = by_slot_.find(slot);
  if (it != by_slot_.end()) {
    entries_[it->second].lazy = true;
    return it->second;
  }
  const uint32_t k = static_cast<uint32_t>(entries_.size());
  entries_.push_back({type, false, true, slot});
  by_slot_.emplace(slot, k);
  return k;
}

uint32_t PltBuilder::AddHostThunk(const wasm::FuncType& type, uint32_t host_index) {
  auto it = by_host_.find(host_index);
  if (it != by_host_.end()) return it->second;
  const uint32_t k = static_cast<uint32_t>(entries_.size());
  entries_.push_back({type, true, false, static_cast<uint32_t>(host_imports_.size())});
  host_imports_.push_back(host_index);
  by_host_.emplace(host_index, k);
  return k;
}

std::vector<uint8_t> PltBuilder::Finish(uint32_t table_min, bool tail_calls) const {
  emit::ModuleWriter w;
  w.SetModuleName("lazylink.plt");
  // Imports first: host functions, then the table.
  std::vector<uint32_t> host_funcs(host_imports_.size());
  for (const Entry& e : entries_) {
    if (!e.host) continue;
    host_funcs[e.target] = w.ImportFunction("h", std::to_string(e.target), w.AddType(e.type));
  }
  bool any_lazy = false;
  for (const Entry& e : entries_) any_lazy = any_lazy || e.lazy;
  uint32_t resolve = 0;
  if (any_lazy) {
    resolve = w.ImportFunction("lazylink", "resolve", w.AddType({{wasm::ValType::kI32}, {}}));
  }
  w.ImportTable("env", "__indirect_function_table", table_min);
  for (uint32_t k = 0; k < entries_.size(); ++k) {
    const Entry& e = entries_[k];
    const uint32_t type = w.AddType(e.type);
    emit::CodeWriter body;
    for (uint32_t i = 0; i < e.type.params.size(); ++i) body.LocalGet(i);
    if (e.host) {
      body.Call(host_funcs[e.target]);
    } else if (tail_calls) {
      body.I32Const(static_cast<int32_t>(e.target)).ReturnCallIndirect(type, 0);
    } else {
      body.I32Const(static_cast<int32_t>(e.target)).CallIndirect(type, 0);
    }
    body.End();
    const uint32_t f = w.AddFunction(type, {}, body.bytes());
    w.ExportFunction("t" + std::to_string(k), f);
    w.NameFunction(f, "t" + std::to_string(k));
  }
  // Resolvers after all trampolines, so "t<k>" indices stay dense.
  for (uint32_t k = 0; k < entries_.size(); ++k) {
    const Entry& e = entries_[k];
    if (!e.lazy) continue;
    const uint32_t type = w.AddType(e.type);
    emit::CodeWriter body;
    body.I32Const(static_cast<int32_t>(e.target)).Call(resolve);
    for (uint32_t i = 0; i < e.type.params.size(); ++i) body.LocalGet(i);
    body.I32Const(static_cast<int32_t>(e.target));
    if (tail_calls) {
      body.ReturnCallIndirect(type, 0);
    } else {
      body.CallIndirect(type, 0);
    }
    body.End();
    const uint32_t f = w.AddFunction(type, {}, body.bytes());
    w.ExportFunction("r" + std::to_string(k), f);
    w.NameFunction(f, "resolve" + std::to_string(k));
  }
  return w.Finish();
}

}  // namespace lazylink::link
