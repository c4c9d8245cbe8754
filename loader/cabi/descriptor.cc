#include "loader/cabi/descriptor.h"

namespace lazylink::cabi {

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          const char* hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[u >> 4];
          out += hex[u & 15];
        } else {
          out += c;  // UTF-8 passes through
        }
    }
  }
  return out + "\"";
}

std::string DescriptorBuilder::Ref(TypeId id) {
  const TypeNode& n = arena_.Get(id);
  if (IsPrimitive(n.kind)) return JsonString(TypeKindName(n.kind));
  auto found = index_.find(id);
  if (found != index_.end()) return std::to_string(found->second);

  // Children first, so that every reference points backwards.
  std::string e = Msg("{\"k\":", JsonString(TypeKindName(n.kind)));
  if (!n.name.empty()) e += ",\"name\":" + JsonString(n.name);
  switch (n.kind) {
    case TypeKind::kList:
      e += ",\"t\":" + Ref(n.element);
      if (n.length != 0) e += Msg(",\"n\":", n.length);
      break;
    case TypeKind::kOption: e += ",\"t\":" + Ref(n.element); break;
    case TypeKind::kResult: {
      std::string ok = RefOrNull(n.element);
      std::string err = RefOrNull(n.second);
      e += ",\"ok\":" + ok + ",\"err\":" + err;
      break;
    }
    case TypeKind::kMap: {
      std::string key = Ref(n.element);
      std::string value = Ref(n.second);
      e += ",\"key\":" + key + ",\"value\":" + value;
      break;
    }
    case TypeKind::kTuple: {
      e += ",\"ts\":[";
      for (size_t i = 0; i < n.fields.size(); ++i) e += (i ? "," : "") + Ref(n.fields[i].type);
      e += "]";
      break;
    }
    case TypeKind::kRecord:
    case TypeKind::kVariant: {
      e += n.kind == TypeKind::kRecord ? ",\"fields\":[" : ",\"cases\":[";
      for (size_t i = 0; i < n.fields.size(); ++i) {
        std::string ref = RefOrNull(n.fields[i].type);
        e += Msg(i ? "," : "", "[", JsonString(n.fields[i].label), ",", ref, "]");
      }
      e += "]";
      break;
    }
    case TypeKind::kEnum:
    case TypeKind::kFlags: {
      e += ",\"labels\":[";
      for (size_t i = 0; i < n.fields.size(); ++i)
        e += (i ? "," : "") + JsonString(n.fields[i].label);
      e += "]";
      break;
    }
    case TypeKind::kOwn:
    case TypeKind::kBorrow: e += ",\"resource\":" + JsonString(n.resource); break;
    default: break;
  }
  e += "}";
  size_t index = entries_.size();
  entries_.push_back(std::move(e));
  index_[id] = index;
  return std::to_string(index);
}

std::string DescriptorBuilder::Func(const FuncType& func) {
  std::string out = "{\"params\":[";
  for (size_t i = 0; i < func.params.size(); ++i) {
    std::string ref = Ref(func.params[i].type);
    out += Msg(i ? "," : "", "[", JsonString(func.params[i].label), ",", ref, "]");
  }
  out += "],\"results\":[";
  for (size_t i = 0; i < func.results.size(); ++i) {
    std::string ref = Ref(func.results[i].type);
    std::string label =
        func.results[i].label.empty() ? "null" : JsonString(func.results[i].label);
    out += Msg(i ? "," : "", "[", label, ",", ref, "]");
  }
  return out + "]}";
}

std::string DescriptorBuilder::Types() const {
  std::string out = "[";
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (i) out += ",";
    out += entries_[i];
  }
  return out + "]";
}

}  // namespace lazylink::cabi
