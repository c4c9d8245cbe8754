#include "loader/emit/wasm_writer.h"

#include <algorithm>
#include <cstring>

namespace lazylink::emit {

void ByteWriter::U32Leb(uint32_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v) b |= 0x80;
    bytes_.push_back(b);
  } while (v);
}

void ByteWriter::S32Leb(int32_t v) { S64Leb(v); }

void ByteWriter::S64Leb(int64_t v) {
  bool more = true;
  while (more) {
    uint8_t b = v & 0x7f;
    v >>= 7;  // arithmetic shift
    if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) more = false;
    else b |= 0x80;
    bytes_.push_back(b);
  }
}

void ByteWriter::Name(std::string_view s) {
  U32Leb(static_cast<uint32_t>(s.size()));
  bytes_.insert(bytes_.end(), s.begin(), s.end());
}

void ByteWriter::F64(double v) {
  uint8_t b[8];
  std::memcpy(b, &v, 8);
  bytes_.insert(bytes_.end(), b, b + 8);
}

void ByteWriter::F32(float v) {
  uint8_t b[4];
  std::memcpy(b, &v, 4);
  bytes_.insert(bytes_.end(), b, b + 4);
}

CodeWriter& CodeWriter::MemOp(uint8_t op, uint32_t align_log2, uint32_t offset, uint32_t memory) {
  w_.U8(op);
  if (memory == 0) {
    w_.U32Leb(align_log2);
  } else {
    // Multi-memory: bit 6 of the alignment field says a memory index follows.
    w_.U32Leb(align_log2 | 0x40);
    w_.U32Leb(memory);
  }
  w_.U32Leb(offset);
  return *this;
}

CodeWriter& CodeWriter::MemoryCopy(uint32_t dst_mem, uint32_t src_mem) {
  w_.U8(0xfc);
  w_.U32Leb(10);
  w_.U32Leb(dst_mem);
  w_.U32Leb(src_mem);
  return *this;
}

CodeWriter& CodeWriter::MemoryFill(uint32_t mem) {
  w_.U8(0xfc);
  w_.U32Leb(11);
  w_.U32Leb(mem);
  return *this;
}

uint32_t ModuleWriter::AddType(const FuncType& type) {
  auto key = std::make_pair(type.params, type.results);
  auto it = type_ids_.find(key);
  if (it != type_ids_.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(types_.size());
  types_.push_back(type);
  type_ids_.emplace(std::move(key), id);
  return id;
}

uint32_t ModuleWriter::ImportFunction(std::string_view module, std::string_view field,
                                      uint32_t type) {
  imports_.Name(module);
  imports_.Name(field);
  imports_.U8(0x00);
  imports_.U32Leb(type);
  ++num_imports_;
  return num_func_imports_++;
}

uint32_t ModuleWriter::ImportTable(std::string_view module, std::string_view field, uint32_t min,
                                   ValType elem) {
  imports_.Name(module);
  imports_.Name(field);
  imports_.U8(0x01);
  imports_.U8(static_cast<uint8_t>(elem));
  imports_.U8(0x00);  // no maximum
  imports_.U32Leb(min);
  ++num_imports_;
  return 0;
}

uint32_t ModuleWriter::ImportMemory(std::string_view module, std::string_view field,
                                    uint32_t min_pages) {
  imports_.Name(module);
  imports_.Name(field);
  imports_.U8(0x02);
  imports_.U8(0x00);
  imports_.U32Leb(min_pages);
  ++num_imports_;
  return 0;
}

uint32_t ModuleWriter::ImportGlobal(std::string_view module, std::string_view field, ValType type,
                                    bool mut) {
  imports_.Name(module);
  imports_.Name(field);
  imports_.U8(0x03);
  imports_.U8(static_cast<uint8_t>(type));
  imports_.U8(mut ? 1 : 0);
  ++num_imports_;
  return 0;
}

uint32_t ModuleWriter::AddFunction(uint32_t type,
                                   const std::vector<std::pair<uint32_t, ValType>>& locals,
                                   const std::vector<uint8_t>& body) {
  ByteWriter b;
  b.U32Leb(static_cast<uint32_t>(locals.size()));
  for (const auto& [count, t] : locals) {
    b.U32Leb(count);
    b.U8(static_cast<uint8_t>(t));
  }
  b.Bytes(body);
  func_types_.push_back(type);
  bodies_.push_back(std::move(b.mutable_bytes()));
  return num_func_imports_ + static_cast<uint32_t>(func_types_.size()) - 1;
}

void ModuleWriter::ExportFunction(std::string_view name, uint32_t func) {
  exports_.Name(name);
  exports_.U8(0x00);
  exports_.U32Leb(func);
  ++num_exports_;
}

void ModuleWriter::NameFunction(uint32_t func, std::string_view name) {
  names_.emplace_back(func, std::string(name));
}

namespace {
void Section(ByteWriter& out, uint8_t id, const ByteWriter& payload) {
  out.U8(id);
  out.U32Leb(static_cast<uint32_t>(payload.size()));
  out.Bytes(payload.bytes());
}
}  // namespace

std::vector<uint8_t> ModuleWriter::Finish() const {
  ByteWriter out;
  const uint8_t header[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  for (uint8_t b : header) out.U8(b);

  ByteWriter types;
  types.U32Leb(static_cast<uint32_t>(types_.size()));
  for (const FuncType& t : types_) {
    types.U8(0x60);
    types.U32Leb(static_cast<uint32_t>(t.params.size()));
    for (ValType v : t.params) types.U8(static_cast<uint8_t>(v));
    types.U32Leb(static_cast<uint32_t>(t.results.size()));
    for (ValType v : t.results) types.U8(static_cast<uint8_t>(v));
  }
  Section(out, 1, types);

  if (num_imports_) {
    ByteWriter imports;
    imports.U32Leb(num_imports_);
    imports.Bytes(imports_.bytes());
    Section(out, 2, imports);
  }

  ByteWriter funcs;
  funcs.U32Leb(static_cast<uint32_t>(func_types_.size()));
  for (uint32_t t : func_types_) funcs.U32Leb(t);
  Section(out, 3, funcs);

  ByteWriter exports;
  exports.U32Leb(num_exports_);
  exports.Bytes(exports_.bytes());
  Section(out, 7, exports);

  ByteWriter code;
  code.U32Leb(static_cast<uint32_t>(bodies_.size()));
  for (const auto& body : bodies_) {
    code.U32Leb(static_cast<uint32_t>(body.size()));
    code.Bytes(body);
  }
  Section(out, 10, code);

  if (!names_.empty() || !module_name_.empty()) {
    ByteWriter names;
    names.Name("name");
    if (!module_name_.empty()) {
      ByteWriter sub;
      sub.Name(module_name_);
      names.U8(0);
      names.U32Leb(static_cast<uint32_t>(sub.size()));
      names.Bytes(sub.bytes());
    }
    if (!names_.empty()) {
      auto sorted = names_;
      std::sort(sorted.begin(), sorted.end());
      ByteWriter sub;
      sub.U32Leb(static_cast<uint32_t>(sorted.size()));
      for (const auto& [idx, name] : sorted) {
        sub.U32Leb(idx);
        sub.Name(name);
      }
      names.U8(1);
      names.U32Leb(static_cast<uint32_t>(sub.size()));
      names.Bytes(sub.bytes());
    }
    Section(out, 0, names);
  }
  return std::move(out.mutable_bytes());
}

}  // namespace lazylink::emit
