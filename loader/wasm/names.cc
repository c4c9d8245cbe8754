#include "loader/wasm/names.h"

#include "loader/wasm/limits.h"

namespace lazylink::wasm {
namespace {

enum NameSubsection : uint8_t {
  kModuleName = 0,
  kFunctionNames = 1,
  kGlobalNames = 7,
  kDataNames = 9,
};

const char* Context(uint8_t id) {
  switch (id) {
    case kModuleName: return "name/module";
    case kFunctionNames: return "name/function-names";
    case kGlobalNames: return "name/global-names";
    case kDataNames: return "name/data-names";
    default: return "name/other";
  }
}

// A name map (spec 7.4.1.2): a vector of (index, name), indices strictly
// increasing, below `limit` (the size of the index space).
Status ReadNameMap(Cursor& c, uint64_t limit,
                   std::vector<std::pair<uint32_t, std::string>>& out) {
  LL_TRY(uint32_t count, c.ReadCount("name", limits::kMaxNames, 2));
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    const uint64_t at = c.offset();
    LL_TRY(uint32_t index, c.ReadU32Leb("index"));
    if (!out.empty() && index <= out.back().first) {
      return c.Fail(at, Msg("index ", index, " is not greater than the previous index ",
                            out.back().first));
    }
    if (index >= limit) {
      return c.Fail(at, Msg("index ", index, " out of range (", limit, " in the module)"));
    }
    LL_TRY(std::string_view name, c.ReadName("name"));
    out.emplace_back(index, std::string(name));
  }
  c.set_entry(-1);
  return Ok{};
}

}  // namespace

Status ReadNameSection(Cursor& c, const Module& m, NameSection& out) {
  int last_id = -1;
  while (!c.at_end()) {
    const uint64_t at = c.offset();
    c.set_context("name");
    LL_TRY(uint8_t id, c.ReadU8("subsection id"));
    c.set_context(Context(id));
    if (static_cast<int>(id) <= last_id) {
      return c.Fail(at, Msg("subsection ", unsigned{id}, " follows subsection ", last_id,
                            "; they must be in increasing order"));
    }
    last_id = id;
    LL_TRY(Cursor sub, c.ReadSized("subsection size", "subsection"));
    switch (id) {
      case kModuleName: {
        LL_TRY(std::string_view name, sub.ReadName("module name"));
        out.module_name.assign(name);
        break;
      }
      case kFunctionNames:
        LL_CHECK(ReadNameMap(sub, m.NumFunctions(), out.function_names));
        break;
      case kGlobalNames:
        LL_CHECK(ReadNameMap(sub, m.NumGlobals(), out.global_names));
        break;
      case kDataNames:
        LL_CHECK(ReadNameMap(sub, m.data.size(), out.data_segment_names));
        break;
      default:
        continue;  // locals, labels, types, ...: not needed, not decoded
    }
    LL_CHECK(sub.ExpectEnd());
  }
  out.present = true;
  return Ok{};
}

}  // namespace lazylink::wasm
