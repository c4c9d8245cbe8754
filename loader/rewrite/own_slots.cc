// lazylink: AddOwnSlots (see own_slots.h).
//
// One read, one write: no function body is walked. The element section is
// written again (the chosen segment re-encoded with the appended indices,
// the others copied), dylink.0's MEM_INFO gets the new table size, and
// every other section is copied byte for byte.
#include "loader/rewrite/own_slots.h"

#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "loader/emit/wasm_writer.h"
#include "loader/rewrite/section_rewrite.h"
#include "loader/rewrite/walk.h"
#include "loader/wasm/cursor.h"

namespace lazylink::rewrite {
namespace {

using emit::ByteWriter;
using wasm::ExternalKind;

constexpr uint32_t kNoIndex = 0xffffffffu;
// The JS API's limit on a table's size (WebAssembly.Table, and so a module
// whose segment needs more could not be placed).
constexpr uint64_t kMaxTableEntries = 10000000;
constexpr std::string_view kOrig = "orig$";

Expected<OwnSlotsResult> Unchanged(const uint8_t* data, size_t size, OwnSlotsResult r) {
  r.bytes.assign(data, data + size);
  r.added = 0;
  return r;
}

// The index of the active, flags-0 segment at global.get __table_base that
// fills the module's whole table region, or kNoIndex.
uint32_t FindSegment(const wasm::Module& m) {
  const std::optional<uint32_t> table_base = m.FindImportedGlobal("env", "__table_base");
  if (!table_base) return kNoIndex;
  uint32_t found = kNoIndex;
  for (size_t i = 0; i < m.elements.size(); i++) {
    const wasm::ElemSegment& seg = m.elements[i];
    if (seg.mode != wasm::SegmentMode::kActive || seg.table_index != 0) continue;
    // Another active segment in the region: where appended entries would
    // land is not free for sure.
    if (found != kNoIndex) return kNoIndex;
    if (seg.flags != 0 || seg.offset_expr.op != wasm::ConstExpr::Op::kGlobalGet ||
        seg.offset_expr.index != *table_base || seg.func_indices.size() != m.dylink.mem_info.table_size) {
      return kNoIndex;
    }
    found = static_cast<uint32_t>(i);
  }
  return found;
}

}  // namespace

Expected<OwnSlotsResult> AddOwnSlots(const uint8_t* data, size_t size, const OwnSlotsOptions& opts) {
  LL_TRY(wasm::Module m, walk::ReadRewritable(data, size, opts.name, "bind-local --own-slots"));
  OwnSlotsResult result;
  result.table_size = m.dylink.mem_info.table_size;
  if (!m.dylink.present || !m.dylink.has_mem_info) return Unchanged(data, size, std::move(result));
  const uint32_t target = FindSegment(m);
  if (target == kNoIndex) return Unchanged(data, size, std::move(result));
  const wasm::ElemSegment& seg = m.elements[target];

  std::unordered_map<std::string_view, uint32_t> functions;  // export name -> function index
  for (const wasm::Export& e : m.exports) {
    if (e.kind == ExternalKind::kFunc) functions.emplace(e.name, e.index);
  }
  std::unordered_set<uint32_t> present(seg.func_indices.begin(), seg.func_indices.end());
  std::vector<uint32_t> appended;
  auto consider = [&](const wasm::Import& imp) {
    if (!imp.IsGotFunc()) return;
    auto it = functions.find(std::string(kOrig) + imp.field);
    if (it == functions.end()) it = functions.find(imp.field);
    if (it == functions.end()) return;  // defined elsewhere
    if (!present.insert(it->second).second) {
      result.already++;
      return;
    }
    appended.push_back(it->second);
  };
  for (const wasm::Import& imp : m.imports) consider(imp);
  for (const wasm::Import& imp : m.memory_got.entries) consider(imp);
  if (opts.all_exported) {
    // In export order, after the module's own GOT.func targets.
    for (const wasm::Export& e : m.exports) {
      if (e.kind == ExternalKind::kFunc && present.insert(e.index).second) appended.push_back(e.index);
    }
  }
  if (appended.empty()) return Unchanged(data, size, std::move(result));
  const uint64_t new_size = uint64_t{seg.func_indices.size()} + appended.size();
  if (new_size > kMaxTableEntries) {
    return Error(opts.name, Msg("its table region would grow to ", new_size, " slots, past the limit of ",
                                kMaxTableEntries), seg.offset);
  }
  result.added = static_cast<uint32_t>(appended.size());
  result.table_size = static_cast<uint32_t>(new_size);

  ByteWriter out;
  out.mutable_bytes().assign(data, data + 8);  // magic and version
  for (const wasm::SectionInfo& s : m.sections) {
    if (s.id == 9) {
      ByteWriter p;
      p.U32Leb(static_cast<uint32_t>(m.elements.size()));
      for (size_t i = 0; i < m.elements.size(); i++) {
        const uint64_t begin = m.elements[i].offset;
        const uint64_t end = i + 1 < m.elements.size() ? m.elements[i + 1].offset : s.offset + s.size;
        if (i != target) {
          walk::CopyBytes(data, begin, end, p);
          continue;
        }
        p.U32Leb(0);  // flags: active, table 0, function indices
        walk::CopyBytes(data, seg.offset_expr.offset, seg.offset_expr.offset + seg.offset_expr.size, p);
        p.U32Leb(result.table_size);
        for (uint32_t f : seg.func_indices) p.U32Leb(f);
        for (uint32_t f : appended) p.U32Leb(f);
      }
      walk::WriteSection(out, 9, p);
      continue;
    }
    if (s.id == 0 && s.name == "dylink.0") {
      LL_CHECK(walk::WriteSubsections(data, s, [&](uint8_t id, wasm::Cursor&, ByteWriter& p) -> Expected<bool> {
        if (id != 1) return false;
        const wasm::MemInfo& mi = m.dylink.mem_info;
        p.U32Leb(mi.memory_size);
        p.U32Leb(mi.memory_align);
        p.U32Leb(result.table_size);
        p.U32Leb(mi.table_align);
        return true;
      }, out));
      continue;
    }
    walk::CopyBytes(data, s.header_offset, s.offset + s.size, out);
  }
  result.bytes = std::move(out.mutable_bytes());
  return result;
}

}  // namespace lazylink::rewrite
