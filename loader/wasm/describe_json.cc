// `lazylink inspect --json`: the schema is documented in docs/inspect-json.md;
// keep the two in step (and bump kInspectJsonSchema on incompatible changes).
#include <cinttypes>
#include <cstdio>

#include "loader/wasm/describe.h"
#include "loader/wasm/json_writer.h"
#include "loader/wasm/sections.h"

namespace lazylink::wasm {
namespace {

void WriteFlags(JsonWriter& w, uint32_t flags) {
  w.Key("flags");
  w.Uint(flags);
  w.Key("flag_names");
  w.BeginArray();
  for (const std::string& name : SymbolFlagNames(flags)) w.String(name);
  w.EndArray();
}

void WriteLimits(JsonWriter& w, const Limits& l) {
  w.Key("limits");
  w.BeginObject();
  w.Key("min");
  w.Uint(l.min);
  w.Key("max");
  if (l.max) w.Uint(*l.max);
  else w.Null();
  w.Key("shared");
  w.Bool(l.shared);
  w.Key("is64");
  w.Bool(l.is64);
  w.EndObject();
}

void WriteSignature(JsonWriter& w, const Module& m, uint32_t type_index) {
  w.Key("type_index");
  w.Uint(type_index);
  w.Key("signature");
  if (type_index < m.types.size()) w.String(m.types[type_index].ToString());
  else w.Null();
}

void WriteConstExpr(JsonWriter& w, const char* key, const ConstExpr& e) {
  w.Key(key);
  w.BeginObject();
  char buf[32];
  switch (e.op) {
    case ConstExpr::Op::kI32Const:
      w.Key("op");
      w.String("i32.const");
      w.Key("value");
      w.Int(e.value);
      break;
    case ConstExpr::Op::kI64Const:
      // As a string: JSON numbers lose precision past 2^53 in JavaScript.
      w.Key("op");
      w.String("i64.const");
      w.Key("value");
      w.String(std::to_string(e.value));
      break;
    case ConstExpr::Op::kF32Const:
      w.Key("op");
      w.String("f32.const");
      w.Key("bits");
      std::snprintf(buf, sizeof buf, "0x%08" PRIx32, static_cast<uint32_t>(e.value));
      w.String(buf);
      break;
    case ConstExpr::Op::kF64Const:
      w.Key("op");
      w.String("f64.const");
      w.Key("bits");
      std::snprintf(buf, sizeof buf, "0x%016" PRIx64, static_cast<uint64_t>(e.value));
      w.String(buf);
      break;
    case ConstExpr::Op::kGlobalGet:
      w.Key("op");
      w.String("global.get");
      w.Key("index");
      w.Uint(e.index);
      break;
    case ConstExpr::Op::kRefNull:
      w.Key("op");
      w.String("ref.null");
      w.Key("type");
      w.String(ValTypeName(static_cast<ValType>(e.value)));
      break;
    case ConstExpr::Op::kRefFunc:
      w.Key("op");
      w.String("ref.func");
      w.Key("index");
      w.Uint(e.index);
      break;
    case ConstExpr::Op::kOther:
      w.Key("op");
      w.String("other");
      break;
  }
  w.Key("offset");
  w.Uint(e.offset);
  w.Key("size");
  w.Uint(e.size);
  w.EndObject();
}

const char* ModeName(SegmentMode mode) {
  switch (mode) {
    case SegmentMode::kActive: return "active";
    case SegmentMode::kPassive: return "passive";
    case SegmentMode::kDeclarative: return "declarative";
  }
  return "?";
}

// The lazylink.got section: GOT entries kept in the module's memory.
void WriteMemoryGot(JsonWriter& w, const Module& m) {
  w.Key("memory_got");
  if (!m.memory_got.present) {
    w.Null();
    return;
  }
  w.BeginObject();
  w.Key("offset");
  w.Uint(m.memory_got.offset);
  w.Key("entries");
  w.BeginArray();
  for (const Import& e : m.memory_got.entries) {
    w.BeginObject();
    w.Key("role");
    w.String(e.IsGotFunc() ? "got-func" : "got-mem");
    w.Key("name");
    w.String(e.field);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void WriteDylink(JsonWriter& w, const Module& m) {
  const Dylink& d = m.dylink;
  w.Key("dylink");
  if (!d.present) {
    w.Null();
    return;
  }
  w.BeginObject();
  w.Key("section");
  w.String(d.legacy ? "dylink" : "dylink.0");
  w.Key("mem_info");
  if (d.has_mem_info) {
    w.BeginObject();
    w.Key("memory_size");
    w.Uint(d.mem_info.memory_size);
    w.Key("memory_align");
    w.Uint(d.mem_info.memory_align);
    w.Key("table_size");
    w.Uint(d.mem_info.table_size);
    w.Key("table_align");
    w.Uint(d.mem_info.table_align);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("needed");
  w.BeginArray();
  for (const std::string& s : d.needed) w.String(s);
  w.EndArray();
  w.Key("runtime_path");
  w.BeginArray();
  for (const std::string& s : d.runtime_path) w.String(s);
  w.EndArray();
  w.Key("export_info");
  w.BeginArray();
  for (const ExportInfo& info : d.export_info) {
    w.BeginObject();
    w.Key("name");
    w.String(info.name);
    WriteFlags(w, info.flags);
    w.EndObject();
  }
  w.EndArray();
  w.Key("import_info");
  w.BeginArray();
  for (const ImportInfo& info : d.import_info) {
    w.BeginObject();
    w.Key("module");
    w.String(info.module);
    w.Key("field");
    w.String(info.field);
    WriteFlags(w, info.flags);
    w.EndObject();
  }
  w.EndArray();
  w.Key("unknown_subsections");
  w.BeginArray();
  for (const UnknownSubsection& u : d.unknown) {
    w.BeginObject();
    w.Key("id");
    w.Uint(u.id);
    w.Key("offset");
    w.Uint(u.offset);
    w.Key("size");
    w.Uint(u.size);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void WriteImports(JsonWriter& w, const Module& m, const ModuleSummary& s) {
  w.Key("imports");
  w.BeginArray();
  for (const ImportRow& row : s.imports) {
    const Import& imp = *row.import;
    w.BeginObject();
    w.Key("module");
    w.String(imp.module);
    w.Key("field");
    w.String(imp.field);
    w.Key("kind");
    w.String(ExternalKindName(imp.kind));
    w.Key("index");
    w.Uint(row.index);
    w.Key("role");
    w.String(ImportRoleName(row.role));
    switch (imp.kind) {
      case ExternalKind::kFunc:
      case ExternalKind::kTag:
        WriteSignature(w, m, imp.type_index);
        break;
      case ExternalKind::kGlobal:
        w.Key("type");
        w.String(ValTypeName(imp.global.type));
        w.Key("mutable");
        w.Bool(imp.global.is_mutable);
        break;
      case ExternalKind::kMemory:
        WriteLimits(w, imp.memory.limits);
        break;
      case ExternalKind::kTable:
        w.Key("elem_type");
        w.String(ValTypeName(imp.table.elem_type));
        WriteLimits(w, imp.table.limits);
        break;
    }
    WriteFlags(w, row.flags);
    w.Key("offset");
    w.Uint(imp.offset);
    w.EndObject();
  }
  w.EndArray();
}

void WriteExports(JsonWriter& w, const ModuleSummary& s) {
  w.Key("exports");
  w.BeginArray();
  for (const ExportRow& row : s.exports) {
    const Export& e = *row.exp;
    w.BeginObject();
    w.Key("name");
    w.String(e.name);
    w.Key("kind");
    w.String(ExternalKindName(e.kind));
    w.Key("index");
    w.Uint(e.index);
    w.Key("role");
    w.String(ExportRoleName(row.role));
    if (e.kind == ExternalKind::kFunc) {
      w.Key("signature");
      if (row.type) w.String(row.type->ToString());
      else w.Null();
      w.Key("function_name");
      if (row.func_name) w.String(*row.func_name);
      else w.Null();
    }
    if (e.kind == ExternalKind::kGlobal && row.global) {
      w.Key("type");
      w.String(ValTypeName(row.global->type));
      w.Key("mutable");
      w.Bool(row.global->is_mutable);
      w.Key("data_offset");
      if (row.data_offset) w.Uint(*row.data_offset);
      else w.Null();
      w.Key("base");
      if (row.data_offset) w.String(row.flags & symflag::kTls ? "__tls_base" : "__memory_base");
      else w.Null();
    }
    WriteFlags(w, row.flags);
    w.Key("offset");
    w.Uint(e.offset);
    w.EndObject();
  }
  w.EndArray();
}

void WriteNameMap(JsonWriter& w, const char* key,
                  const std::vector<std::pair<uint32_t, std::string>>& names) {
  w.Key(key);
  w.BeginArray();
  for (const auto& [index, name] : names) {
    w.BeginObject();
    w.Key("index");
    w.Uint(index);
    w.Key("name");
    w.String(name);
    w.EndObject();
  }
  w.EndArray();
}

void WriteDefinitions(JsonWriter& w, const Module& m) {
  w.Key("functions");
  w.BeginObject();
  w.Key("imported");
  w.Uint(m.num_imported_funcs);
  w.Key("defined");
  w.Uint(m.functions.size());
  w.Key("code_bytes");
  uint64_t code_bytes = 0;
  for (const FunctionBody& b : m.code) code_bytes += b.size;
  w.Uint(code_bytes);
  w.EndObject();

  w.Key("types");
  w.BeginArray();
  for (const FuncType& t : m.types) w.String(t.ToString());
  w.EndArray();

  w.Key("tables");
  w.BeginArray();
  for (size_t i = 0; i < m.tables.size(); ++i) {
    w.BeginObject();
    w.Key("index");
    w.Uint(m.num_imported_tables + i);
    w.Key("elem_type");
    w.String(ValTypeName(m.tables[i].elem_type));
    WriteLimits(w, m.tables[i].limits);
    w.EndObject();
  }
  w.EndArray();

  w.Key("memories");
  w.BeginArray();
  for (size_t i = 0; i < m.memories.size(); ++i) {
    w.BeginObject();
    w.Key("index");
    w.Uint(m.num_imported_memories + i);
    WriteLimits(w, m.memories[i].limits);
    w.EndObject();
  }
  w.EndArray();

  w.Key("globals");
  w.BeginArray();
  for (size_t i = 0; i < m.globals.size(); ++i) {
    const Global& g = m.globals[i];
    const uint32_t index = m.num_imported_globals + static_cast<uint32_t>(i);
    w.BeginObject();
    w.Key("index");
    w.Uint(index);
    w.Key("type");
    w.String(ValTypeName(g.type.type));
    w.Key("mutable");
    w.Bool(g.type.is_mutable);
    WriteConstExpr(w, "init", g.init);
    w.Key("name");
    if (const std::string* name = m.GlobalName(index)) w.String(*name);
    else w.Null();
    w.EndObject();
  }
  w.EndArray();

  w.Key("tags");
  w.BeginArray();
  for (size_t i = 0; i < m.tags.size(); ++i) {
    w.BeginObject();
    w.Key("index");
    w.Uint(m.num_imported_tags + i);
    WriteSignature(w, m, m.tags[i]);
    w.EndObject();
  }
  w.EndArray();

  w.Key("start");
  if (m.start) {
    w.BeginObject();
    w.Key("index");
    w.Uint(*m.start);
    w.Key("name");
    if (const std::string* name = m.FunctionName(*m.start)) w.String(*name);
    else w.Null();
    w.EndObject();
  } else {
    w.Null();
  }

  w.Key("elements");
  w.BeginArray();
  for (const ElemSegment& seg : m.elements) {
    w.BeginObject();
    w.Key("encoding");
    w.Uint(seg.flags);
    w.Key("mode");
    w.String(ModeName(seg.mode));
    w.Key("elem_type");
    w.String(ValTypeName(seg.elem_type));
    if (seg.mode == SegmentMode::kActive) {
      w.Key("table_index");
      w.Uint(seg.table_index);
      WriteConstExpr(w, "offset_expr", seg.offset_expr);
    }
    w.Key("count");
    w.Uint(seg.func_indices.size());
    w.Key("offset");
    w.Uint(seg.offset);
    w.EndObject();
  }
  w.EndArray();

  w.Key("data_count");
  if (m.data_count) w.Uint(*m.data_count);
  else w.Null();

  w.Key("data");
  w.BeginArray();
  for (const DataSegment& seg : m.data) {
    w.BeginObject();
    w.Key("encoding");
    w.Uint(seg.flags);
    w.Key("mode");
    w.String(ModeName(seg.mode));
    if (seg.mode == SegmentMode::kActive) {
      w.Key("memory_index");
      w.Uint(seg.memory_index);
      WriteConstExpr(w, "offset_expr", seg.offset_expr);
    }
    w.Key("size");
    w.Uint(seg.size);
    w.Key("data_offset");
    w.Uint(seg.data_offset);
    w.Key("offset");
    w.Uint(seg.offset);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

namespace {

void WriteDescription(JsonWriter& w, const Module& m, const DescribeOptions& opts) {
  const ModuleSummary s = Summarize(m);
  w.BeginObject();
  w.Key("schema");
  w.String(kInspectJsonSchema);
  w.Key("file");
  w.String(opts.file_name);
  w.Key("size");
  w.Uint(m.size);
  WriteDylink(w, m);
  WriteMemoryGot(w, m);
  WriteImports(w, m, s);
  WriteExports(w, s);
  WriteDefinitions(w, m);

  w.Key("names");
  if (m.names.present) {
    w.BeginObject();
    w.Key("module");
    if (!m.names.module_name.empty()) w.String(m.names.module_name);
    else w.Null();
    WriteNameMap(w, "functions", m.names.function_names);
    WriteNameMap(w, "globals", m.names.global_names);
    WriteNameMap(w, "data_segments", m.names.data_segment_names);
    w.EndObject();
  } else {
    w.Null();
  }

  w.Key("sections");
  w.BeginArray();
  for (const SectionInfo& sec : m.sections) {
    w.BeginObject();
    w.Key("id");
    w.Uint(sec.id);
    w.Key("name");
    const char* known = SectionName(sec.id);
    w.String(sec.id == 0 ? std::string_view(sec.name) : known ? known : "unknown");
    w.Key("custom");
    w.Bool(sec.id == 0);
    w.Key("header_offset");
    w.Uint(sec.header_offset);
    w.Key("offset");
    w.Uint(sec.offset);
    w.Key("size");
    w.Uint(sec.size);
    w.EndObject();
  }
  w.EndArray();

  w.Key("warnings");
  w.BeginArray();
  for (const Error& e : m.warnings) w.String(e.Format());
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string DescribeJson(const Module& m, const DescribeOptions& opts) {
  JsonWriter w;
  WriteDescription(w, m, opts);
  return w.Take();
}

void DescribeJson(const Module& m, const DescribeOptions& opts, OutputSink sink, void* context) {
  JsonWriter w(sink, context);
  WriteDescription(w, m, opts);
  (void)w.Take();
}

}  // namespace lazylink::wasm
