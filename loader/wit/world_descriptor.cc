#include "loader/wit/world_descriptor.h"

#include "loader/cabi/descriptor.h"

namespace lazylink::wit {

using cabi::JsonString;

std::string CoreExportName(const std::string& iface, const std::string& func) {
  return iface.empty() ? func : iface + "#" + func;
}

namespace {

std::string Function(cabi::DescriptorBuilder* d, const cabi::TypeArena& arena,
                     const wit::Function& f, bool is_import, const std::string& iface) {
  std::string out = "{\"name\":" + JsonString(f.name);
  if (is_import) {
    out += ",\"module\":" + JsonString(iface.empty() ? kRootImportModule : iface);
    out += ",\"field\":" + JsonString(f.name);
  } else {
    std::string name = CoreExportName(iface, f.name);
    out += ",\"export\":" + JsonString(name);
    out += ",\"post_return\":" + JsonString(kPostReturnPrefix + name);
  }
  if (auto handle = cabi::FindHandle(arena, f.type))
    out += ",\"unsupported\":" + JsonString("resource handle " + *handle);
  out += ",\"func\":" + d->Func(f.type);
  return out + "}";
}

std::string Items(cabi::DescriptorBuilder* d, const Resolve& r,
                  const std::vector<WorldItem>& items, bool is_import) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    const WorldItem& item = items[i];
    if (i) out += ",";
    if (item.kind == WorldItem::Kind::kFunction) {
      std::string f = Function(d, *r.arena, item.function, is_import, "");
      out += "{\"kind\":\"function\"," + f.substr(1);
      continue;
    }
    const Interface& iface = r.interfaces[item.interface];
    out += "{\"kind\":\"interface\",\"name\":" + JsonString(item.name);
    if (is_import) out += ",\"module\":" + JsonString(item.name);
    out += ",\"funcs\":[";
    for (size_t j = 0; j < iface.functions.size(); ++j)
      out += (j ? "," : "") + Function(d, *r.arena, iface.functions[j], is_import, item.name);
    out += "]}";
  }
  return out + "]";
}

}  // namespace

std::string DescribeWorld(const Resolve& resolve, const World& world) {
  cabi::DescriptorBuilder d(*resolve.arena);
  std::string imports = Items(&d, resolve, world.imports, true);
  std::string exports = Items(&d, resolve, world.exports, false);
  return "{\"world\":" + JsonString(world.QualifiedName()) +
         ",\"realloc\":" + JsonString(kReallocName) + ",\"types\":" + d.Types() +
         ",\"imports\":" + imports + ",\"exports\":" + exports + "}";
}

}  // namespace lazylink::wit
