// Test helper: the type strings of the Canonical ABI conformance vectors.
//
// A few vectors abbreviate large types: `enum{<256 cases>}`,
// `flags{<9 labels>}`. ExpandVectorType writes them out with numeric labels
// ("0", "1", ...), which the vectors' type syntax accepts.
#ifndef LAZYLINK_TESTS_CABI_VECTOR_TYPES_H_
#define LAZYLINK_TESTS_CABI_VECTOR_TYPES_H_

#include <cstdlib>
#include <string>

namespace lazylink::testing {

inline std::string ExpandVectorType(const std::string& type) {
  size_t open = type.find("{<");
  if (open == std::string::npos) return type;
  size_t close = type.find(">}", open);
  if (close == std::string::npos) return type;
  int n = std::atoi(type.c_str() + open + 2);
  std::string labels;
  for (int i = 0; i < n; ++i) labels += (i ? ", " : "") + std::to_string(i);
  return type.substr(0, open + 1) + labels + type.substr(close + 1);
}

}  // namespace lazylink::testing

#endif  // LAZYLINK_TESTS_CABI_VECTOR_TYPES_H_
