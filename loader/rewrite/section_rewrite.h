// lazylink: the section-level half of what the rewrites of linked side
// modules share (bind_local.h, got_memory.h; walk.h is the instruction
// level): writers for the sections that hold function or global indices,
// each told by its caller how to renumber, and a module writer that copies
// every section its caller leaves alone. Within the global, element, data
// and code sections, the bytes around the indices a rewrite changes are
// copied as they are.
//
//   walk::ModuleEdits edits;
//   edits.patches.global = [&](const walk::GlobalRef& g, walk::Patcher& patch, emit::ByteWriter& out) {
//     if (NewIndex(g.index) != g.index) patch.Replace(g.begin, g.end, NewIndex(g.index), out);
//   };
//   edits.map_global = NewIndex;
//   emit::ByteWriter out;
//   LL_CHECK(walk::WriteModule(data, m, edits, out));
#ifndef LAZYLINK_REWRITE_SECTION_REWRITE_H_
#define LAZYLINK_REWRITE_SECTION_REWRITE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "loader/emit/wasm_writer.h"
#include "loader/rewrite/walk.h"
#include "loader/support/expected.h"
#include "loader/wasm/cursor.h"
#include "loader/wasm/module.h"

namespace lazylink::rewrite::walk {

// Reads a module for a rewrite (names are not needed: the name section is
// rewritten from its bytes) and fails for what a rewrite must not touch:
// relocatable object files (their relocations name code offsets too) and
// modules with debug information (DWARF and source maps address code by
// offset). `tool` names the rewrite in the message ("bind-local").
Expected<wasm::Module> ReadRewritable(const uint8_t* data, size_t size, const std::string& name,
                                      std::string_view tool);

// A new index for an old one; kNone drops the entry (name section only).
// An empty map keeps every index.
using IndexMap = std::function<uint32_t(uint32_t)>;

// What a rewrite does at each index in code and constant expressions:
// nothing (the bytes stay), or write the replacement with `patch` into
// `out` (Patcher::Replace, or its own bytes between patch.CopyTo(ref.begin)
// and patch.SkipTo(ref.end)). Empty: those indices stay.
struct RefPatches {
  std::function<void(const FuncRef&, Patcher& patch, emit::ByteWriter& out)> func;
  std::function<void(const GlobalRef&, Patcher& patch, emit::ByteWriter& out)> global;
};

// Calls on_body(body, cursor) for every function body, the cursor after its
// local declarations; fails where bytes follow a body's final `end`.
template <typename OnBody>
Status ForEachBody(const uint8_t* data, const wasm::Module& m, OnBody on_body) {
  for (size_t i = 0; i < m.code.size(); i++) {
    const wasm::FunctionBody& b = m.code[i];
    wasm::Cursor c(data, b.offset + b.size, "function body");
    LL_CHECK(c.Skip(b.offset, "body"));
    c.set_context("code", static_cast<int64_t>(i));
    LL_CHECK(SkipLocals(c));
    LL_CHECK(on_body(b, c));
    if (!c.at_end()) return c.FailHere("bytes after the function body's end");
  }
  return Ok{};
}

// Every index in the constant expressions of a global (6), element (9) or
// data (11) section, in file order; an element segment's plain function
// indices come as RefKind::kElem. Empty callbacks are not called.
Status WalkConstExprs(const uint8_t* data, const wasm::Module& m, const wasm::SectionInfo& s,
                      const std::function<void(const FuncRef&)>& on_func,
                      const std::function<void(const GlobalRef&)>& on_global);

// Such a section written again with `patches` applied to those indices.
Status WriteConstExprSection(const uint8_t* data, const wasm::Module& m, const wasm::SectionInfo& s,
                             const RefPatches& patches, emit::ByteWriter& out);

// The code section with `patches` applied; body sizes follow.
Status WriteCodeSection(const uint8_t* data, const wasm::Module& m, const RefPatches& patches,
                        emit::ByteWriter& out);

// The export section with function and global indices mapped.
void WriteExportSection(const wasm::Module& m, const IndexMap& map_func, const IndexMap& map_global,
                        emit::ByteWriter& out);

// Where import `i`'s bytes end (`s`: the import section); they begin at
// m.imports[i].offset.
uint64_t ImportEnd(const wasm::Module& m, const wasm::SectionInfo& s, size_t i);

// A custom section of subsections (u8 id, u32 size, payload), as name and
// dylink.0 are, written again: edit(id, sub, payload) writes a
// subsection's new payload and returns true, or returns false to have the
// subsection copied.
using SubsectionEdit = std::function<Expected<bool>(uint8_t id, wasm::Cursor& sub, emit::ByteWriter& payload)>;
Status WriteSubsections(const uint8_t* data, const wasm::SectionInfo& s, const SubsectionEdit& edit,
                        emit::ByteWriter& out);

// The name section: function names (1), local names (2) and labels (3)
// follow map_func, global names (7) map_global; an entry mapped to kNone
// goes. Subsections of an empty map, and all others, are copied.
Status WriteNameSection(const uint8_t* data, const wasm::SectionInfo& s, const IndexMap& map_func,
                        const IndexMap& map_global, emit::ByteWriter& out);

// A rewrite of a whole module, as WriteModule applies it.
struct ModuleEdits {
  RefPatches patches;    // code (10), global (6) and element (9) sections
  IndexMap map_func;     // exports, the start function (8), the name section
  IndexMap map_global;   // exports, the name section
  // The data section's active offsets get patches.global (an i32 offset
  // holds no function index); otherwise the section is copied.
  bool patch_data = false;
  std::function<Status(const wasm::SectionInfo& s, emit::ByteWriter& out)> imports;  // empty: copied
  SubsectionEdit dylink;  // dylink.0's subsections; empty: copied
};

// The module written again, section by section, with `edits`; sections
// they do not reach (types, functions, tables, memory, custom sections
// other than name and dylink.0) are copied.
Status WriteModule(const uint8_t* data, const wasm::Module& m, const ModuleEdits& edits, emit::ByteWriter& out);

}  // namespace lazylink::rewrite::walk

#endif  // LAZYLINK_REWRITE_SECTION_REWRITE_H_
