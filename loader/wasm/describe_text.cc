// `lazylink inspect`: the text rendering, for people debugging dynamic linking.
#include <cinttypes>
#include <cstdarg>
#include <cstdio>

#include "loader/wasm/describe.h"
#include "loader/wasm/sections.h"

namespace lazylink::wasm {
namespace {

class Text {
 public:
  Text() = default;
  Text(OutputSink sink, void* context) : sink_(sink), sink_context_(context) {}

  void Line(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
    char buf[512];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    out_ += buf;
    out_ += '\n';
    MaybeFlush();
  }
  // For strings that may be longer than Line's buffer.
  void Raw(const std::string& s) {
    out_ += s;
    MaybeFlush();
  }
  // Without a sink: everything written. With one: flushes, returns "".
  std::string Take() {
    if (!sink_) return std::move(out_);
    Flush();
    return {};
  }

 private:
  void MaybeFlush() {
    if (sink_ && out_.size() >= 64 * 1024) Flush();
  }
  void Flush() {
    if (!out_.empty()) sink_(sink_context_, out_);
    out_.clear();
  }

  std::string out_;
  OutputSink sink_ = nullptr;
  void* sink_context_ = nullptr;
};

std::string Flags(uint32_t flags) {
  if (!flags) return "";
  std::string out = "  [";
  bool first = true;
  for (const std::string& name : SymbolFlagNames(flags)) {
    if (!first) out += ' ';
    first = false;
    out += name;
  }
  return out + "]";
}

std::string LimitsText(const Limits& l) {
  std::string out = "initial=" + std::to_string(l.min);
  if (l.max) out += " max=" + std::to_string(*l.max);
  if (l.shared) out += " shared";
  if (l.is64) out += " i64";
  return out;
}

// Widest name in a group, capped so that one long C++ name does not push
// every other column off the screen.
template <typename Rows, typename Fn>
int Width(const Rows& rows, Fn name_of) {
  size_t w = 0;
  for (const auto& row : rows) w = std::max(w, name_of(row).size());
  return static_cast<int>(std::min<size_t>(w, 40));
}

std::string Pad(const std::string& s, int width) {
  std::string out = s;
  if (static_cast<int>(out.size()) < width) out.append(width - out.size(), ' ');
  return out;
}

void DescribeDylink(Text& t, const Module& m) {
  const Dylink& d = m.dylink;
  if (!d.present) {
    t.Line("dylink:   none (not a dynamic library: no dylink.0 section)");
    return;
  }
  if (d.has_mem_info) {
    const MemInfo& mi = d.mem_info;
    t.Line("memory:   %" PRIu32 " bytes, align %" PRIu64 " (2^%" PRIu32 ")", mi.memory_size,
           uint64_t{1} << (mi.memory_align & 63), mi.memory_align);
    t.Line("table:    %" PRIu32 " slots, align %" PRIu64 " (2^%" PRIu32 ")", mi.table_size,
           uint64_t{1} << (mi.table_align & 63), mi.table_align);
  } else {
    t.Line("memory:   no MEM_INFO subsection");
  }
  std::string needed;
  for (const std::string& n : d.needed) needed += (needed.empty() ? "" : ", ") + n;
  t.Raw("needed:   " + (needed.empty() ? std::string("(none)") : needed) + "\n");
  std::string rpath;
  for (const std::string& p : d.runtime_path) rpath += (rpath.empty() ? "" : ", ") + p;
  t.Raw("rpath:    " + (rpath.empty() ? std::string("(none)") : rpath) + "\n");
  for (const ExportInfo& info : d.export_info) {
    t.Raw("export info: " + info.name + Flags(info.flags) + "\n");
  }
  for (const ImportInfo& info : d.import_info) {
    t.Raw("import info: " + info.module + "." + info.field + Flags(info.flags) + "\n");
  }
  for (const UnknownSubsection& u : d.unknown) {
    t.Line("dylink.0: unknown subsection %u, %" PRIu64 " bytes at offset 0x%" PRIx64,
           unsigned{u.id}, u.size, u.offset);
  }
  if (m.memory_got.present) {
    size_t funcs = 0;
    for (const Import& e : m.memory_got.entries) funcs += e.IsGotFunc() ? 1 : 0;
    t.Line("GOT in memory: %zu entries (%zu GOT.mem, %zu GOT.func) at __memory_base + %" PRIu32
           " (lazylink.got)", m.memory_got.entries.size(), m.memory_got.entries.size() - funcs, funcs,
           m.memory_got.offset);
  }
}

void DescribeImports(Text& t, const Module& m, const ModuleSummary& s) {
  t.Line("");
  t.Line("Imports: %zu", s.imports.size());
  static const ImportRole kOrder[] = {
      ImportRole::kEnvFunction, ImportRole::kOtherFunction, ImportRole::kGotMem,
      ImportRole::kGotFunc,     ImportRole::kMemory,        ImportRole::kTable,
      ImportRole::kGlobal,      ImportRole::kTag,
  };
  static const char* kTitles[] = {"env functions", "other functions", "GOT.mem (data addresses)",
                                  "GOT.func (function table slots)", "memory", "table",
                                  "globals", "tags"};
  for (size_t g = 0; g < 8; ++g) {
    std::vector<const ImportRow*> rows;
    for (const ImportRow& row : s.imports) {
      if (row.role == kOrder[g]) rows.push_back(&row);
    }
    if (rows.empty()) continue;
    const bool qualified = kOrder[g] != ImportRole::kEnvFunction &&
                           kOrder[g] != ImportRole::kGotMem && kOrder[g] != ImportRole::kGotFunc;
    auto name_of = [&](const ImportRow* r) {
      return qualified ? r->import->module + "." + r->import->field : r->import->field;
    };
    const int width = Width(rows, name_of);
    t.Line("  %s (%zu)", kTitles[g], rows.size());
    for (const ImportRow* r : rows) {
      const Import& imp = *r->import;
      std::string detail;
      switch (imp.kind) {
        case ExternalKind::kFunc:
        case ExternalKind::kTag:
          detail = imp.type_index < m.types.size() ? m.types[imp.type_index].ToString() : "?";
          break;
        case ExternalKind::kGlobal:
          detail = std::string(ValTypeName(imp.global.type)) +
                   (imp.global.is_mutable ? " mutable" : " const");
          break;
        case ExternalKind::kMemory:
          detail = "pages " + LimitsText(imp.memory.limits);
          break;
        case ExternalKind::kTable:
          detail = std::string(ValTypeName(imp.table.elem_type)) + " " +
                   LimitsText(imp.table.limits);
          break;
      }
      t.Raw("    " + Pad(name_of(r), width) + "  " + detail + Flags(r->flags) + "\n");
    }
  }
}

void DescribeExports(Text& t, const ModuleSummary& s) {
  t.Line("");
  t.Line("Exports: %zu", s.exports.size());
  static const ExportRole kOrder[] = {ExportRole::kFunction, ExportRole::kData,
                                      ExportRole::kGlobal,   ExportRole::kMemory,
                                      ExportRole::kTable,    ExportRole::kTag};
  static const char* kTitles[] = {"functions", "data symbols", "other globals",
                                  "memories",  "tables",       "tags"};
  for (size_t g = 0; g < 6; ++g) {
    std::vector<const ExportRow*> rows;
    for (const ExportRow& row : s.exports) {
      if (row.role == kOrder[g]) rows.push_back(&row);
    }
    if (rows.empty()) continue;
    auto name_of = [](const ExportRow* r) -> const std::string& { return r->exp->name; };
    const int width = Width(rows, name_of);
    t.Line("  %s (%zu)", kTitles[g], rows.size());
    for (const ExportRow* r : rows) {
      const Export& e = *r->exp;
      std::string detail;
      switch (r->role) {
        case ExportRole::kFunction:
          detail = (r->type ? r->type->ToString() : std::string("?")) + "  func[" +
                   std::to_string(e.index) + "]";
          if (r->func_name && *r->func_name != e.name) detail += " <" + *r->func_name + ">";
          break;
        case ExportRole::kData:
          detail = std::string(r->flags & symflag::kTls ? "__tls_base" : "__memory_base") +
                   " + " + std::to_string(*r->data_offset);
          break;
        case ExportRole::kGlobal:
          detail = "global[" + std::to_string(e.index) + "]";
          if (r->global) {
            detail += std::string(" ") + ValTypeName(r->global->type) +
                      (r->global->is_mutable ? " mutable" : " const");
          }
          break;
        default:
          detail = std::string(ExternalKindName(e.kind)) + "[" + std::to_string(e.index) + "]";
          break;
      }
      t.Raw("    " + Pad(e.name, width) + "  " + detail + Flags(r->flags) + "\n");
    }
  }
}

void DescribeNames(Text& t, const Module& m, const DescribeOptions& opts) {
  t.Line("");
  if (!m.names.present) {
    t.Line("Function names: none (no name section)");
    return;
  }
  if (!m.names.module_name.empty()) t.Raw("Module name: " + m.names.module_name + "\n");
  t.Line("Function names: %zu of %" PRIu32 " functions", m.names.function_names.size(),
         m.NumFunctions());
  if (!opts.list_function_names) return;
  for (const auto& [index, name] : m.names.function_names) {
    t.Raw("  func[" + std::to_string(index) + "]  " + name +
          (index < m.num_imported_funcs ? "  (imported)" : "") + "\n");
  }
}

void WriteDescription(Text& t, const Module& m, const DescribeOptions& opts) {
  const ModuleSummary s = Summarize(m);
  t.Raw(opts.file_name + ": " + std::to_string(m.size) + " bytes, " +
        (m.dylink.present ? (m.dylink.legacy ? "legacy dylink section" : "dylink.0")
                          : "no dylink section") +
        "\n");
  DescribeDylink(t, m);
  if (m.start) {
    const std::string* name = m.FunctionName(*m.start);
    t.Raw("start:    func[" + std::to_string(*m.start) + "]" + (name ? " " + *name : "") + "\n");
  } else {
    t.Line("start:    (none)");
  }
  uint64_t code_bytes = 0;
  for (const FunctionBody& b : m.code) code_bytes += b.size;
  t.Line("code:     %" PRIu32 " imported + %zu defined functions, %" PRIu64 " bytes of code",
         m.num_imported_funcs, m.functions.size(), code_bytes);
  uint64_t data_bytes = 0;
  for (const DataSegment& d : m.data) data_bytes += d.size;
  t.Line("data:     %zu segments, %" PRIu64 " bytes; %zu element segments", m.data.size(),
         data_bytes, m.elements.size());

  DescribeImports(t, m, s);
  DescribeExports(t, s);
  DescribeNames(t, m, opts);

  t.Line("");
  t.Line("Sections: %zu", m.sections.size());
  for (const SectionInfo& sec : m.sections) {
    const char* known = SectionName(sec.id);
    const std::string name = sec.id == 0 ? "custom \"" + sec.name + "\"" : known ? known : "?";
    t.Raw("  " + Pad(name, 24));
    t.Line("offset 0x%08" PRIx64 "  size %" PRIu64, sec.offset, sec.size);
  }
  for (const Error& w : m.warnings) t.Raw("warning: " + w.Format() + "\n");
}

}  // namespace

std::string DescribeText(const Module& m, const DescribeOptions& opts) {
  Text t;
  WriteDescription(t, m, opts);
  return t.Take();
}

void DescribeText(const Module& m, const DescribeOptions& opts, OutputSink sink, void* context) {
  Text t(sink, context);
  WriteDescription(t, m, opts);
  (void)t.Take();
}

}  // namespace lazylink::wasm
