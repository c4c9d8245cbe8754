#include "loader/component/trampoline.h"

#include <string>

#include "loader/component/code_builder.h"
#include "loader/support/expected.h"

namespace lazylink::component {

std::vector<uint8_t> EmitTrampolines(const std::vector<wasm::FuncType>& sigs) {
  ModuleBuilder m;
  m.ImportTable("t", "t", static_cast<uint32_t>(sigs.size()));
  for (size_t k = 0; k < sigs.size(); ++k) {
    const uint32_t type = m.AddType(sigs[k]);
    const uint32_t f = m.ReserveFunction(type);
    FuncBuilder b(sigs[k].params);
    for (uint32_t i = 0; i < sigs[k].params.size(); ++i) b.c().LocalGet(i);
    b.c().I32Const(static_cast<int32_t>(k)).CallIndirect(type, 0);
    m.SetBody(f, b.Finish());
    m.ExportFunction(Msg("f", k), f);
  }
  return m.Finish();
}

std::vector<uint8_t> EmitReexports(const std::vector<wasm::FuncType>& sigs) {
  ModuleBuilder m;
  for (size_t k = 0; k < sigs.size(); ++k) {
    const uint32_t f = m.ImportFunction("w", Msg("f", k), m.AddType(sigs[k]));
    m.ExportFunction(Msg("f", k), f);
  }
  return m.Finish();
}

namespace {
bool CharType(char c, wasm::ValType* v) {
  switch (c) {
    case 'i': *v = wasm::ValType::kI32; return true;
    case 'j': *v = wasm::ValType::kI64; return true;
    case 'f': *v = wasm::ValType::kF32; return true;
    case 'd': *v = wasm::ValType::kF64; return true;
    default: return false;
  }
}
char TypeChar(wasm::ValType v) {
  switch (v) {
    case wasm::ValType::kI64: return 'j';
    case wasm::ValType::kF32: return 'f';
    case wasm::ValType::kF64: return 'd';
    default: return 'i';
  }
}
}  // namespace

bool ParseSignature(const std::string& sig, wasm::FuncType* out) {
  if (sig.empty()) return false;
  out->params.clear();
  out->results.clear();
  wasm::ValType v;
  if (sig[0] != 'v') {
    if (!CharType(sig[0], &v)) return false;
    out->results.push_back(v);
  }
  for (size_t i = 1; i < sig.size(); ++i) {
    if (!CharType(sig[i], &v)) return false;
    out->params.push_back(v);
  }
  return true;
}

std::string SignatureString(const wasm::FuncType& type) {
  std::string s(1, type.results.empty() ? 'v' : TypeChar(type.results[0]));
  for (wasm::ValType v : type.params) s += TypeChar(v);
  return s;
}

}  // namespace lazylink::component
