// lazylink: a small writer of WebAssembly binaries, for the modules the
// loader generates at run time (the PLT, typed-boundary adapters).
//
//   ModuleWriter w;
//   uint32_t t = w.AddType({{ValType::kI32}, {ValType::kI32}});
//   w.ImportTable("env", "__indirect_function_table", 1);
//   CodeWriter body;
//   body.LocalGet(0).I32Const(7).CallIndirect(t, 0).End();
//   uint32_t f = w.AddFunction(t, {}, body.bytes());
//   w.ExportFunction("t0", f);
//   std::vector<uint8_t> bytes = w.Finish();
#ifndef LAZYLINK_EMIT_WASM_WRITER_H_
#define LAZYLINK_EMIT_WASM_WRITER_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "loader/wasm/module.h"

namespace lazylink::emit {

using wasm::FuncType;
using wasm::ValType;

class ByteWriter {
 public:
  void U8(uint8_t b) { bytes_.push_back(b); }
  void U32Leb(uint32_t v);
  void S32Leb(int32_t v);
  void S64Leb(int64_t v);
  void Name(std::string_view s);
  void Bytes(const std::vector<uint8_t>& b) { bytes_.insert(bytes_.end(), b.begin(), b.end()); }
  void F64(double v);
  void F32(float v);
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::vector<uint8_t>& mutable_bytes() { return bytes_; }
  size_t size() const { return bytes_.size(); }

 private:
  std::vector<uint8_t> bytes_;
};

// Instructions of one function body. Methods return *this for chaining.
class CodeWriter {
 public:
  CodeWriter& LocalGet(uint32_t i) { return Op(0x20).Idx(i); }
  CodeWriter& LocalSet(uint32_t i) { return Op(0x21).Idx(i); }
  CodeWriter& LocalTee(uint32_t i) { return Op(0x22).Idx(i); }
  CodeWriter& GlobalGet(uint32_t i) { return Op(0x23).Idx(i); }
  CodeWriter& GlobalSet(uint32_t i) { return Op(0x24).Idx(i); }
  CodeWriter& I32Const(int32_t v) { Op(0x41); w_.S32Leb(v); return *this; }
  CodeWriter& I64Const(int64_t v) { Op(0x42); w_.S64Leb(v); return *this; }
  CodeWriter& Call(uint32_t f) { return Op(0x10).Idx(f); }
  CodeWriter& CallIndirect(uint32_t type, uint32_t table) { return Op(0x11).Idx(type).Idx(table); }
  CodeWriter& ReturnCallIndirect(uint32_t type, uint32_t table) { return Op(0x13).Idx(type).Idx(table); }
  CodeWriter& Drop() { return Op(0x1a); }
  CodeWriter& Return() { return Op(0x0f); }
  CodeWriter& Unreachable() { return Op(0x00); }
  CodeWriter& End() { return Op(0x0b); }
  // Any opcode (and immediates through Idx/Raw).
  CodeWriter& Op(uint8_t op) { w_.U8(op); return *this; }
  CodeWriter& Idx(uint32_t v) { w_.U32Leb(v); return *this; }
  CodeWriter& Raw(uint8_t b) { w_.U8(b); return *this; }
  // Memory access with alignment (log2) and offset immediates.
  CodeWriter& MemOp(uint8_t op, uint32_t align_log2, uint32_t offset, uint32_t memory = 0);
  // 0xFC-prefixed instructions: memory.copy/fill with memory indices.
  CodeWriter& MemoryCopy(uint32_t dst_mem, uint32_t src_mem);
  CodeWriter& MemoryFill(uint32_t mem);
  const std::vector<uint8_t>& bytes() const { return w_.bytes(); }

 private:
  ByteWriter w_;
};

class ModuleWriter {
 public:
  // Types are deduplicated.
  uint32_t AddType(const FuncType& type);
  // Imports must all be added before any function is defined.
  uint32_t ImportFunction(std::string_view module, std::string_view field, uint32_t type);
  uint32_t ImportTable(std::string_view module, std::string_view field, uint32_t min,
                       ValType elem = ValType::kFuncRef);
  uint32_t ImportMemory(std::string_view module, std::string_view field, uint32_t min_pages);
  uint32_t ImportGlobal(std::string_view module, std::string_view field, ValType type, bool mut);
  // Locals as (count, type) runs.
  uint32_t AddFunction(uint32_t type, const std::vector<std::pair<uint32_t, ValType>>& locals,
                       const std::vector<uint8_t>& body);
  void ExportFunction(std::string_view name, uint32_t func);
  // Optional: a "name" section entry for a function, for stack traces.
  void NameFunction(uint32_t func, std::string_view name);
  void SetModuleName(std::string_view name) { module_name_ = name; }

  uint32_t num_imported_funcs() const { return num_func_imports_; }
  std::vector<uint8_t> Finish() const;

 private:
  std::vector<FuncType> types_;
  std::map<std::pair<std::vector<ValType>, std::vector<ValType>>, uint32_t> type_ids_;
  ByteWriter imports_;
  uint32_t num_imports_ = 0;
  uint32_t num_func_imports_ = 0;
  std::vector<uint32_t> func_types_;
  std::vector<std::vector<uint8_t>> bodies_;
  ByteWriter exports_;
  uint32_t num_exports_ = 0;
  std::vector<std::pair<uint32_t, std::string>> names_;
  std::string module_name_;
};

}  // namespace lazylink::emit

#endif  // LAZYLINK_EMIT_WASM_WRITER_H_
