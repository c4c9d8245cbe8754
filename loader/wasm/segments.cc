// Readers for the element, data count, code and data sections
// (spec 5.5.12 - 5.5.16).
#include <vector>

#include "loader/wasm/encoding.h"
#include "loader/wasm/limits.h"
#include "loader/wasm/sections.h"

namespace lazylink::wasm {
namespace {

// Every table (imported first), and every memory: the segments look their
// limits up by index.
std::vector<const TableType*> AllTables(const Module& m) {
  std::vector<const TableType*> out;
  out.reserve(m.num_imported_tables + m.tables.size());
  for (const Import& imp : m.imports) {
    if (imp.kind == ExternalKind::kTable) out.push_back(&imp.table);
  }
  for (const TableType& t : m.tables) out.push_back(&t);
  return out;
}

std::vector<const MemoryType*> AllMemories(const Module& m) {
  std::vector<const MemoryType*> out;
  out.reserve(m.num_imported_memories + m.memories.size());
  for (const Import& imp : m.imports) {
    if (imp.kind == ExternalKind::kMemory) out.push_back(&imp.memory);
  }
  for (const MemoryType& t : m.memories) out.push_back(&t);
  return out;
}

// The element segment's flags (spec 5.5.12): bit 0 passive or declarative,
// bit 1 explicit table index (active) or declarative, bit 2 expressions.
Status ReadElemSegment(Cursor& c, const Module& m,
                       const std::vector<const TableType*>& tables, ElemSegment& seg) {
  const uint64_t flags_at = c.offset();
  LL_TRY(uint32_t flags, c.ReadU32Leb("segment flags"));
  if (flags > 7) return c.Fail(flags_at, Msg("unknown element segment flags ", flags));
  seg.flags = static_cast<uint8_t>(flags);
  const bool uses_exprs = flags & 4;
  if (flags & 1) {
    seg.mode = (flags & 2) ? SegmentMode::kDeclarative : SegmentMode::kPassive;
  } else {
    seg.mode = SegmentMode::kActive;
    const uint64_t table_at = c.offset();
    if (flags & 2) {
      LL_TRY(seg.table_index, c.ReadU32Leb("table index"));
    }
    if (seg.table_index >= tables.size()) {
      return c.Fail(table_at, Msg("table index ", seg.table_index, " out of range (",
                                  tables.size(), " tables)"));
    }
    const TableType* table = tables[seg.table_index];
    LL_TRY(seg.offset_expr, ReadConstExpr(c, "offset"));
    LL_CHECK(CheckConstExpr(c, m, seg.offset_expr,
                            table->limits.is64 ? ValType::kI64 : ValType::kI32, "offset"));
  }
  // Flags 0 and 4 imply funcref; the others name the kind or type.
  if (flags & 3) {
    if (uses_exprs) {
      LL_TRY(seg.elem_type, ReadRefType(c, "element type"));
    } else {
      const uint64_t kind_at = c.offset();
      LL_TRY(uint8_t kind, c.ReadU8("element kind"));
      if (kind != 0) return c.Fail(kind_at, Msg("unknown element kind ", unsigned{kind}));
    }
  }
  if (seg.mode == SegmentMode::kActive) {
    const TableType* table = tables[seg.table_index];
    if (table->elem_type != seg.elem_type) {
      return c.Fail(flags_at, Msg("segment of ", ValTypeName(seg.elem_type), " for table ",
                                  seg.table_index, " of ", ValTypeName(table->elem_type)));
    }
  }
  LL_TRY(uint32_t count, c.ReadCount("element", limits::kMaxTableSize, uses_exprs ? 2 : 1));
  seg.func_indices.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    if (!uses_exprs) {
      const uint64_t at = c.offset();
      LL_TRY(uint32_t index, c.ReadU32Leb("function index"));
      if (index >= m.NumFunctions()) {
        return c.Fail(at, Msg("function index ", index, " out of range (", m.NumFunctions(),
                              " functions)"));
      }
      seg.func_indices.push_back(index);
      continue;
    }
    LL_TRY(ConstExpr e, ReadConstExpr(c, "element expression"));
    LL_CHECK(CheckConstExpr(c, m, e, seg.elem_type, "element expression"));
    switch (e.op) {
      case ConstExpr::Op::kRefFunc: seg.func_indices.push_back(e.index); break;
      case ConstExpr::Op::kRefNull: seg.func_indices.push_back(kNullElement); break;
      default: seg.func_indices.push_back(kOtherElement); break;
    }
  }
  return Ok{};
}

Status ReadDataSegment(Cursor& c, const Module& m,
                       const std::vector<const MemoryType*>& memories, DataSegment& seg) {
  const uint64_t flags_at = c.offset();
  LL_TRY(uint32_t flags, c.ReadU32Leb("segment flags"));
  if (flags > 2) return c.Fail(flags_at, Msg("unknown data segment flags ", flags));
  seg.flags = static_cast<uint8_t>(flags);
  if (flags == 1) {
    seg.mode = SegmentMode::kPassive;
  } else {
    seg.mode = SegmentMode::kActive;
    const uint64_t memory_at = c.offset();
    if (flags == 2) {
      LL_TRY(seg.memory_index, c.ReadU32Leb("memory index"));
    }
    if (seg.memory_index >= memories.size()) {
      return c.Fail(memory_at, Msg("memory index ", seg.memory_index, " out of range (",
                                   memories.size(), " memories)"));
    }
    const MemoryType* memory = memories[seg.memory_index];
    LL_TRY(seg.offset_expr, ReadConstExpr(c, "offset"));
    LL_CHECK(CheckConstExpr(c, m, seg.offset_expr,
                            memory->limits.is64 ? ValType::kI64 : ValType::kI32, "offset"));
  }
  const uint64_t size_at = c.offset();
  LL_TRY(seg.size, c.ReadU32Leb("data size"));
  if (seg.size > c.remaining()) {
    return c.Fail(size_at, Msg("data of ", seg.size, " bytes runs past the end of the ",
                               c.region(), " (", c.remaining(), " bytes left)"));
  }
  seg.data_offset = c.offset();
  return c.Skip(seg.size, "data");
}

}  // namespace

Status ReadElemSection(Cursor& c, Module& m) {
  LL_TRY(uint32_t count, c.ReadCount("segment", limits::kMaxElemSegments, 2));
  m.elements.reserve(count);
  const std::vector<const TableType*> tables = AllTables(m);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    ElemSegment seg;
    seg.offset = c.offset();
    LL_CHECK(ReadElemSegment(c, m, tables, seg));
    m.elements.push_back(std::move(seg));
  }
  c.set_entry(-1);
  return c.ExpectEnd();
}

Status ReadDataCountSection(Cursor& c, Module& m) {
  const uint64_t at = c.offset();
  LL_TRY(uint32_t count, c.ReadU32Leb("data count"));
  if (count > limits::kMaxDataSegments) {
    return c.Fail(at, Msg("data count of ", count, " exceeds internal limit of ",
                          limits::kMaxDataSegments));
  }
  m.data_count = count;
  return c.ExpectEnd();
}

Status ReadCodeSection(Cursor& c, Module& m) {
  const uint64_t at = c.offset();
  LL_TRY(uint32_t count, c.ReadCount("function body", limits::kMaxFunctions, 2));
  if (count != m.functions.size()) {
    return c.Fail(at, Msg("function and code section counts disagree: ", m.functions.size(),
                          " functions declared, ", count, " bodies"));
  }
  m.code.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    const uint64_t size_at = c.offset();
    LL_TRY(uint32_t size, c.ReadU32Leb("body size"));
    if (size > limits::kMaxFunctionSize) {
      return c.Fail(size_at, Msg("function body of ", size, " bytes exceeds internal limit of ",
                                 limits::kMaxFunctionSize));
    }
    if (size == 0) return c.Fail(size_at, "empty function body (locals and end are required)");
    if (size > c.remaining()) {
      return c.Fail(size_at, Msg("function body of ", size, " bytes runs past the end of the ",
                                 c.region(), " (", c.remaining(), " bytes left)"));
    }
    m.code.push_back(FunctionBody{size, c.offset()});
    LL_CHECK(c.Skip(size, "function body"));
  }
  c.set_entry(-1);
  return c.ExpectEnd();
}

Status ReadDataSection(Cursor& c, Module& m) {
  const uint64_t at = c.offset();
  LL_TRY(uint32_t count, c.ReadCount("segment", limits::kMaxDataSegments, 2));
  if (m.data_count && *m.data_count != count) {
    return c.Fail(at, Msg("data section has ", count, " segments but the datacount section says ",
                          *m.data_count));
  }
  m.data.reserve(count);
  const std::vector<const MemoryType*> memories = AllMemories(m);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    DataSegment seg;
    seg.offset = c.offset();
    LL_CHECK(ReadDataSegment(c, m, memories, seg));
    m.data.push_back(seg);
  }
  c.set_entry(-1);
  return c.ExpectEnd();
}

}  // namespace lazylink::wasm
