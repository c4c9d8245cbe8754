#include "loader/component/code_builder.h"

namespace lazylink::component {

uint32_t FuncBuilder::Local(ValType t) {
  locals_.push_back(t);
  return static_cast<uint32_t>(params_.size() + locals_.size() - 1);
}

Label FuncBuilder::Block(uint8_t block_type) {
  code_.Op(op::kBlock).Raw(block_type);
  return Label{depth_++};
}

Label FuncBuilder::Loop(uint8_t block_type) {
  code_.Op(op::kLoop).Raw(block_type);
  return Label{depth_++};
}

Label FuncBuilder::If(uint8_t block_type) {
  code_.Op(op::kIf).Raw(block_type);
  return Label{depth_++};
}

void FuncBuilder::End() {
  code_.End();
  --depth_;
}

void FuncBuilder::BrTable(const std::vector<Label>& targets, Label other) {
  code_.Op(op::kBrTable).Idx(static_cast<uint32_t>(targets.size()));
  for (Label t : targets) code_.Idx(Relative(t));
  code_.Idx(Relative(other));
}

std::vector<uint8_t> FuncBuilder::Finish() {
  emit::ByteWriter b;
  // Locals as runs of equal types.
  std::vector<std::pair<uint32_t, ValType>> runs;
  for (ValType t : locals_) {
    if (!runs.empty() && runs.back().second == t) ++runs.back().first;
    else runs.emplace_back(1, t);
  }
  b.U32Leb(static_cast<uint32_t>(runs.size()));
  for (const auto& [count, t] : runs) {
    b.U32Leb(count);
    b.U8(static_cast<uint8_t>(t));
  }
  b.Bytes(code_.bytes());
  b.U8(0x0b);
  return std::move(b.mutable_bytes());
}

uint32_t ModuleBuilder::AddType(const FuncType& type) {
  auto key = std::make_pair(type.params, type.results);
  auto it = type_ids_.find(key);
  if (it != type_ids_.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(types_.size());
  types_.push_back(type);
  type_ids_.emplace(std::move(key), id);
  return id;
}

uint32_t ModuleBuilder::ImportFunction(std::string_view module, std::string_view field,
                                       uint32_t type) {
  imports_.Name(module);
  imports_.Name(field);
  imports_.U8(0x00);
  imports_.U32Leb(type);
  ++import_count_;
  imported_func_types_.push_back(type);
  return static_cast<uint32_t>(imported_func_types_.size() - 1);
}

uint32_t ModuleBuilder::ImportMemory(std::string_view module, std::string_view field, bool is64) {
  imports_.Name(module);
  imports_.Name(field);
  imports_.U8(0x02);
  imports_.U8(is64 ? 0x04 : 0x00);  // limits flags: bit 2 = 64-bit addresses, no maximum
  imports_.U32Leb(0);               // min 0 pages: any memory matches
  ++import_count_;
  return memory_count_++;
}

uint32_t ModuleBuilder::ImportTable(std::string_view module, std::string_view field,
                                    uint32_t min) {
  imports_.Name(module);
  imports_.Name(field);
  imports_.U8(0x01);
  imports_.U8(static_cast<uint8_t>(ValType::kFuncRef));
  imports_.U8(0x00);
  imports_.U32Leb(min);
  ++import_count_;
  return table_count_++;
}

uint32_t ModuleBuilder::AddGlobal(ValType type, bool is_mutable, int64_t init) {
  globals_.U8(static_cast<uint8_t>(type));
  globals_.U8(is_mutable ? 1 : 0);
  if (type == ValType::kI64) {
    globals_.U8(0x42);
    globals_.S64Leb(init);
  } else {
    globals_.U8(0x41);
    globals_.S32Leb(static_cast<int32_t>(init));
  }
  globals_.U8(0x0b);
  return global_count_++;
}

uint32_t ModuleBuilder::ReserveFunction(uint32_t type) {
  func_types_.push_back(type);
  bodies_.emplace_back();
  return static_cast<uint32_t>(imported_func_types_.size() + func_types_.size() - 1);
}

void ModuleBuilder::SetBody(uint32_t func, std::vector<uint8_t> body) {
  bodies_[func - imported_func_types_.size()] = std::move(body);
}

uint32_t ModuleBuilder::FunctionType(uint32_t func) const {
  if (func < imported_func_types_.size()) return imported_func_types_[func];
  return func_types_[func - imported_func_types_.size()];
}

void ModuleBuilder::ExportFunction(std::string_view name, uint32_t func) {
  exports_.Name(name);
  exports_.U8(0x00);
  exports_.U32Leb(func);
  ++export_count_;
}

namespace {
void Section(emit::ByteWriter& out, uint8_t id, const emit::ByteWriter& payload) {
  out.U8(id);
  out.U32Leb(static_cast<uint32_t>(payload.size()));
  out.Bytes(payload.bytes());
}
}  // namespace

std::vector<uint8_t> ModuleBuilder::Finish() const {
  emit::ByteWriter out;
  for (uint8_t b : {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}) out.U8(b);

  emit::ByteWriter types;
  types.U32Leb(static_cast<uint32_t>(types_.size()));
  for (const FuncType& t : types_) {
    types.U8(0x60);
    types.U32Leb(static_cast<uint32_t>(t.params.size()));
    for (ValType v : t.params) types.U8(static_cast<uint8_t>(v));
    types.U32Leb(static_cast<uint32_t>(t.results.size()));
    for (ValType v : t.results) types.U8(static_cast<uint8_t>(v));
  }
  Section(out, 1, types);

  if (import_count_) {
    emit::ByteWriter imports;
    imports.U32Leb(import_count_);
    imports.Bytes(imports_.bytes());
    Section(out, 2, imports);
  }

  emit::ByteWriter funcs;
  funcs.U32Leb(static_cast<uint32_t>(func_types_.size()));
  for (uint32_t t : func_types_) funcs.U32Leb(t);
  Section(out, 3, funcs);

  if (global_count_) {
    emit::ByteWriter globals;
    globals.U32Leb(global_count_);
    globals.Bytes(globals_.bytes());
    Section(out, 6, globals);
  }

  emit::ByteWriter exports;
  exports.U32Leb(export_count_);
  exports.Bytes(exports_.bytes());
  Section(out, 7, exports);

  emit::ByteWriter code;
  code.U32Leb(static_cast<uint32_t>(bodies_.size()));
  for (const auto& body : bodies_) {
    code.U32Leb(static_cast<uint32_t>(body.size()));
    code.Bytes(body);
  }
  Section(out, 10, code);

  if (!names_.empty()) {
    emit::ByteWriter names;
    names.Name("name");
    emit::ByteWriter sub;
    sub.U32Leb(static_cast<uint32_t>(names_.size()));
    for (const auto& [index, name] : names_) {
      sub.U32Leb(index);
      sub.Name(name);
    }
    names.U8(1);
    names.U32Leb(static_cast<uint32_t>(sub.size()));
    names.Bytes(sub.bytes());
    Section(out, 0, names);
  }
  return std::move(out.mutable_bytes());
}

}  // namespace lazylink::component
