// lazylink: building the modules the component linker generates (adapters,
// trampolines) on top of loader/emit's ByteWriter and CodeWriter.
//
// ModuleBuilder adds what adapters need beyond emit::ModuleWriter: memory64
// memory imports, multi-value function types, and function indices reserved
// before their bodies are written (helpers are generated on demand while
// another function is being written). FuncBuilder tracks locals and block
// nesting so that branches name their target block, not a relative depth.
//
//   ModuleBuilder m;
//   uint32_t t = m.AddType({{ValType::kI32}, {ValType::kI32}});
//   uint32_t f = m.ReserveFunction(t);
//   FuncBuilder b({ValType::kI32});
//   Label done = b.Block();
//   b.c().LocalGet(0);
//   b.BrIf(done);
//   b.End();
//   b.c().LocalGet(0);
//   m.SetBody(f, b.Finish());
//   m.ExportFunction("f", f);
#ifndef LAZYLINK_COMPONENT_CODE_BUILDER_H_
#define LAZYLINK_COMPONENT_CODE_BUILDER_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loader/emit/wasm_writer.h"

namespace lazylink::component {

using emit::CodeWriter;
using wasm::FuncType;
using wasm::ValType;

// Opcodes used by the generators (WebAssembly core spec, 5.4).
namespace op {
inline constexpr uint8_t kBlock = 0x02, kLoop = 0x03, kIf = 0x04, kElse = 0x05, kBr = 0x0c,
                         kBrIf = 0x0d, kBrTable = 0x0e, kSelect = 0x1b;
inline constexpr uint8_t kI32Load = 0x28, kI64Load = 0x29, kI32Load8U = 0x2d,
                         kI32Load16U = 0x2f, kI32Store = 0x36, kI64Store = 0x37,
                         kI32Store8 = 0x3a, kI32Store16 = 0x3b, kMemorySize = 0x3f;
inline constexpr uint8_t kI32Eqz = 0x45, kI32Eq = 0x46, kI32Ne = 0x47, kI32LtU = 0x49,
                         kI32GtU = 0x4b, kI32LeU = 0x4d, kI32GeU = 0x4f, kI64Eqz = 0x50,
                         kI64Ne = 0x52, kI64LtU = 0x54, kI64GtU = 0x56, kI64GeU = 0x5a,
                         kF32Ne = 0x5c, kF64Ne = 0x62;
inline constexpr uint8_t kI32Add = 0x6a, kI32Sub = 0x6b, kI32Mul = 0x6c, kI32And = 0x71,
                         kI32Or = 0x72, kI32Shl = 0x74, kI32ShrU = 0x76, kI64Add = 0x7c,
                         kI64Sub = 0x7d, kI64Mul = 0x7e, kI64And = 0x83, kI64Or = 0x84,
                         kI64Xor = 0x85, kI64Shl = 0x86;
inline constexpr uint8_t kI32WrapI64 = 0xa7, kI64ExtendI32U = 0xad, kI32ReinterpretF32 = 0xbc,
                         kI64ReinterpretF64 = 0xbd, kF32ReinterpretI32 = 0xbe,
                         kF64ReinterpretI64 = 0xbf, kI32Extend8S = 0xc0, kI32Extend16S = 0xc1;
inline constexpr uint8_t kPrefixFc = 0xfc, kPrefixSimd = 0xfd;
inline constexpr uint32_t kV128Load = 0x00, kV128Or = 0x50, kI8x16Bitmask = 0x64;
inline constexpr uint8_t kVoid = 0x40;
}  // namespace op

// A block, loop or if being written: the target of branches.
struct Label {
  uint32_t depth = 0;
};

class FuncBuilder {
 public:
  explicit FuncBuilder(std::vector<ValType> params) : params_(std::move(params)) {}

  uint32_t param_count() const { return static_cast<uint32_t>(params_.size()); }
  ValType LocalType(uint32_t index) const {
    return index < params_.size() ? params_[index] : locals_[index - params_.size()];
  }
  // A fresh local of type t.
  uint32_t Local(ValType t);

  CodeWriter& c() { return code_; }

  // Structured control. A block type is op::kVoid or a single value type.
  Label Block(uint8_t block_type = op::kVoid);
  Label Loop(uint8_t block_type = op::kVoid);
  Label If(uint8_t block_type = op::kVoid);
  void Else() { code_.Op(op::kElse); }
  void End();
  void Br(Label target) { code_.Op(op::kBr).Idx(Relative(target)); }
  void BrIf(Label target) { code_.Op(op::kBrIf).Idx(Relative(target)); }
  // br_table over `targets` (index i jumps to targets[i]), default `other`.
  void BrTable(const std::vector<Label>& targets, Label other);

  // The body: locals then code, terminated with `end`.
  std::vector<uint8_t> Finish();

 private:
  uint32_t Relative(Label target) const { return depth_ - 1 - target.depth; }

  std::vector<ValType> params_;
  std::vector<ValType> locals_;
  CodeWriter code_;
  uint32_t depth_ = 0;
};

class ModuleBuilder {
 public:
  uint32_t AddType(const FuncType& type);
  // Imports come before any function is reserved.
  uint32_t ImportFunction(std::string_view module, std::string_view field, uint32_t type);
  uint32_t ImportMemory(std::string_view module, std::string_view field, bool is64);
  uint32_t ImportTable(std::string_view module, std::string_view field, uint32_t min);

  // A defined global with a constant initial value (i32 or i64).
  uint32_t AddGlobal(ValType type, bool is_mutable, int64_t init);

  uint32_t ReserveFunction(uint32_t type);
  void SetBody(uint32_t func, std::vector<uint8_t> body);
  uint32_t FunctionType(uint32_t func) const;
  void ExportFunction(std::string_view name, uint32_t func);
  void NameFunction(uint32_t func, std::string name) { names_[func] = std::move(name); }

  std::vector<uint8_t> Finish() const;

 private:
  std::vector<FuncType> types_;
  std::map<std::pair<std::vector<ValType>, std::vector<ValType>>, uint32_t> type_ids_;
  emit::ByteWriter imports_;
  uint32_t import_count_ = 0;
  std::vector<uint32_t> imported_func_types_;
  uint32_t memory_count_ = 0;
  uint32_t table_count_ = 0;
  emit::ByteWriter globals_;
  uint32_t global_count_ = 0;
  std::vector<uint32_t> func_types_;
  std::vector<std::vector<uint8_t>> bodies_;
  emit::ByteWriter exports_;
  uint32_t export_count_ = 0;
  std::map<uint32_t, std::string> names_;
};

}  // namespace lazylink::component

#endif  // LAZYLINK_COMPONENT_CODE_BUILDER_H_
