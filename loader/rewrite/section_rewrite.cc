#include "loader/rewrite/section_rewrite.h"

#include "loader/wasm/reader.h"

namespace lazylink::rewrite::walk {

using emit::ByteWriter;
using wasm::Cursor;

namespace {

Status CheckRewritable(const wasm::Module& m, const std::string& name, std::string_view tool) {
  for (const wasm::SectionInfo& s : m.sections) {
    if (s.id != 0) continue;
    if (s.name == "linking" || s.name.rfind("reloc.", 0) == 0) {
      return Error(name, Msg("a relocatable object file (it has a \"", s.name, "\" section): ", tool,
                             " takes linked side modules"),
                   s.header_offset);
    }
    if (s.name.rfind(".debug_", 0) == 0 || s.name == "sourceMappingURL") {
      return Error(name, Msg("carries debug information (\"", s.name, "\") whose code offsets ", tool,
                             " would invalidate: strip it first"),
                   s.header_offset);
    }
  }
  return Ok{};
}

// Adapts `patches` to the walker's callbacks, writing into `out`.
struct PatchInto {
  const RefPatches& patches;
  Patcher& patch;
  ByteWriter& out;
  void operator()(const FuncRef& r) const {
    if (patches.func) patches.func(r, patch, out);
  }
  void operator()(const GlobalRef& g) const {
    if (patches.global) patches.global(g, patch, out);
  }
};

}  // namespace

Expected<wasm::Module> ReadRewritable(const uint8_t* data, size_t size, const std::string& name,
                                      std::string_view tool) {
  wasm::ReadOptions ro;
  ro.name = name;
  ro.read_names = false;
  LL_TRY(wasm::Module m, wasm::ReadModule(data, size, ro));
  LL_CHECK(CheckRewritable(m, name, tool));
  return m;
}

Status WalkConstExprs(const uint8_t* data, const wasm::Module& m, const wasm::SectionInfo& s,
                      const std::function<void(const FuncRef&)>& on_func,
                      const std::function<void(const GlobalRef&)>& on_global) {
  auto func = [&](const FuncRef& r) {
    if (on_func) on_func(r);
  };
  auto global = [&](const GlobalRef& g) {
    if (on_global) on_global(g);
  };
  auto walk_at = [&](uint64_t at, const char* context, size_t entry) -> Status {
    Cursor c(data, s.offset + s.size, "section");
    LL_CHECK(c.Skip(at, "expression"));
    c.set_context(context, static_cast<int64_t>(entry));
    return WalkInstructions(c, func, global);
  };
  if (s.id == 6) {
    for (size_t i = 0; i < m.globals.size(); i++) LL_CHECK(walk_at(m.globals[i].init.offset, "global", i));
    return Ok{};
  }
  if (s.id == 11) {
    for (size_t i = 0; i < m.data.size(); i++) {
      if (m.data[i].mode == wasm::SegmentMode::kActive) LL_CHECK(walk_at(m.data[i].offset_expr.offset, "data", i));
    }
    return Ok{};
  }
  // Element segments: offsets, and elements in either encoding (the reader
  // does not locate expressions).
  Cursor c(data, s.offset + s.size, "section");
  LL_CHECK(c.Skip(s.offset, "elements"));
  c.set_context("elem");
  LL_TRY(uint32_t n, c.ReadCount("segment count", 1000000, 2));
  for (uint32_t i = 0; i < n; i++) {
    c.set_entry(i);
    LL_TRY(uint32_t flags, c.ReadU32Leb("segment flags"));
    if (flags > 7) return c.FailHere(Msg("unknown element segment flags ", flags));
    if (flags == 2 || flags == 6) LL_CHECK(SkipU32(c, "table index"));
    if ((flags & 1) == 0) LL_CHECK(WalkInstructions(c, func, global));  // active: offset
    if (flags & 3) LL_CHECK(c.Skip(1, "element kind"));
    LL_TRY(uint32_t count, c.ReadCount("element count", 10000000, 1));
    for (uint32_t k = 0; k < count; k++) {
      if (flags & 4) {
        LL_CHECK(WalkInstructions(c, func, global));
        continue;
      }
      const uint64_t begin = c.offset();
      LL_TRY(uint32_t f, c.ReadU32Leb("function index"));
      func(FuncRef{RefKind::kElem, 0, f, begin, c.offset()});
    }
  }
  return c.ExpectEnd();
}

Status WriteConstExprSection(const uint8_t* data, const wasm::Module& m, const wasm::SectionInfo& s,
                             const RefPatches& patches, ByteWriter& out) {
  ByteWriter p;
  Patcher patch(data, s.offset);
  const PatchInto into{patches, patch, p};
  LL_CHECK(WalkConstExprs(data, m, s, into, into));
  patch.CopyTo(s.offset + s.size, p);
  WriteSection(out, s.id, p);
  return Ok{};
}

Status WriteCodeSection(const uint8_t* data, const wasm::Module& m, const RefPatches& patches, ByteWriter& out) {
  ByteWriter p;
  p.U32Leb(static_cast<uint32_t>(m.code.size()));
  ByteWriter body;
  LL_CHECK(ForEachBody(data, m, [&](const wasm::FunctionBody& b, Cursor& c) -> Status {
    body.mutable_bytes().clear();
    Patcher patch(data, b.offset);
    const PatchInto into{patches, patch, body};
    LL_CHECK(WalkInstructions(c, into, into));
    patch.CopyTo(b.offset + b.size, body);
    p.U32Leb(static_cast<uint32_t>(body.size()));
    p.Bytes(body.bytes());
    return Ok{};
  }));
  WriteSection(out, 10, p);
  return Ok{};
}

void WriteExportSection(const wasm::Module& m, const IndexMap& map_func, const IndexMap& map_global,
                        ByteWriter& out) {
  ByteWriter p;
  p.U32Leb(static_cast<uint32_t>(m.exports.size()));
  for (const wasm::Export& e : m.exports) {
    const IndexMap* map = e.kind == wasm::ExternalKind::kFunc     ? &map_func
                          : e.kind == wasm::ExternalKind::kGlobal ? &map_global
                                                                  : nullptr;
    p.Name(e.name);
    p.U8(static_cast<uint8_t>(e.kind));
    p.U32Leb(map && *map ? (*map)(e.index) : e.index);
  }
  WriteSection(out, 7, p);
}

uint64_t ImportEnd(const wasm::Module& m, const wasm::SectionInfo& s, size_t i) {
  return i + 1 < m.imports.size() ? m.imports[i + 1].offset : s.offset + s.size;
}

Status WriteSubsections(const uint8_t* data, const wasm::SectionInfo& s, const SubsectionEdit& edit,
                        ByteWriter& out) {
  Cursor c(data, s.offset + s.size, "section");
  LL_CHECK(c.Skip(s.offset, s.name.c_str()));  // custom sections: after the name
  ByteWriter body;
  while (!c.at_end()) {
    const uint64_t sub_begin = c.offset();
    LL_TRY(uint8_t id, c.ReadU8("subsection id"));
    LL_TRY(Cursor sub, c.ReadSized("subsection size", "subsection"));
    ByteWriter p;
    LL_TRY(bool edited, edit(id, sub, p));
    if (!edited) {
      CopyBytes(data, sub_begin, c.offset(), body);
      continue;
    }
    body.U8(id);
    body.U32Leb(static_cast<uint32_t>(p.size()));
    body.Bytes(p.bytes());
  }
  WriteCustom(out, s.name, body);
  return Ok{};
}

Status WriteNameSection(const uint8_t* data, const wasm::SectionInfo& s, const IndexMap& map_func,
                        const IndexMap& map_global, ByteWriter& out) {
  return WriteSubsections(data, s, [&](uint8_t id, Cursor& sub, ByteWriter& p) -> Expected<bool> {
    const bool by_func = id >= 1 && id <= 3;
    const IndexMap& map = by_func ? map_func : map_global;
    if ((!by_func && id != 7) || !map) return false;
    sub.set_context(by_func ? "name/subsection" : "name/global-names");
    LL_TRY(uint32_t n, sub.ReadCount("name count", 10000000, 2));
    uint32_t kept = 0;
    ByteWriter entries;
    for (uint32_t i = 0; i < n; i++) {
      LL_TRY(uint32_t index, sub.ReadU32Leb(by_func ? "function index" : "global index"));
      const uint64_t rest = sub.offset();
      if (id == 2 || id == 3) {  // an indirect name map: locals or labels
        LL_TRY(uint32_t inner, sub.ReadCount("inner name count", 10000000, 2));
        for (uint32_t k = 0; k < inner; k++) {
          LL_CHECK(SkipU32(sub, "index"));
          LL_TRY(std::string_view nm, sub.ReadName("name"));
          (void)nm;
        }
      } else {
        LL_TRY(std::string_view nm, sub.ReadName("name"));
        (void)nm;
      }
      const uint32_t to = map(index);
      if (to == kNone) continue;
      kept++;
      entries.U32Leb(to);
      CopyBytes(data, rest, sub.offset(), entries);
    }
    LL_CHECK(sub.ExpectEnd());
    p.U32Leb(kept);
    p.Bytes(entries.bytes());
    return true;
  }, out);
}

Status WriteModule(const uint8_t* data, const wasm::Module& m, const ModuleEdits& edits, ByteWriter& out) {
  out.mutable_bytes().assign(data, data + 8);  // magic and version
  for (const wasm::SectionInfo& s : m.sections) {
    switch (s.id) {
      case 2:
        if (!edits.imports) break;
        LL_CHECK(edits.imports(s, out));
        continue;
      case 6: case 9:
        LL_CHECK(WriteConstExprSection(data, m, s, edits.patches, out));
        continue;
      case 7:
        WriteExportSection(m, edits.map_func, edits.map_global, out);
        continue;
      case 8: {
        if (!edits.map_func || !m.start) break;
        ByteWriter p;
        p.U32Leb(edits.map_func(*m.start));
        WriteSection(out, 8, p);
        continue;
      }
      case 10:
        LL_CHECK(WriteCodeSection(data, m, edits.patches, out));
        continue;
      case 11:
        if (!edits.patch_data) break;
        LL_CHECK(WriteConstExprSection(data, m, s, RefPatches{nullptr, edits.patches.global}, out));
        continue;
      case 0:
        if (s.name == "name") {
          LL_CHECK(WriteNameSection(data, s, edits.map_func, edits.map_global, out));
          continue;
        }
        if (s.name == "dylink.0" && edits.dylink) {
          LL_CHECK(WriteSubsections(data, s, edits.dylink, out));
          continue;
        }
        break;
    }
    CopyBytes(data, s.header_offset, s.offset + s.size, out);
  }
  return Ok{};
}

}  // namespace lazylink::rewrite::walk
