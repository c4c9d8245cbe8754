#include "loader/wasm/json_writer.h"

#include <cstdio>

#include "loader/wasm/cursor.h"

namespace lazylink::wasm {

void JsonWriter::Newline() {
  out_ += '\n';
  out_.append(2 * stack_.size(), ' ');
}

std::string JsonWriter::Take() {
  out_ += '\n';
  if (!sink_) return std::move(out_);
  Flush();
  return {};
}

void JsonWriter::Flush() {
  if (!out_.empty()) sink_(sink_context_, out_);
  out_.clear();
}

void JsonWriter::BeforeValue() {
  MaybeFlush();
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  if (!stack_.back().empty) out_ += ',';
  stack_.back().empty = false;
  Newline();
}

void JsonWriter::Open(char c) {
  BeforeValue();
  out_ += c;
  stack_.push_back(Level{c == '{' ? '}' : ']'});
}

void JsonWriter::Close(char c) {
  if (stack_.empty()) return;  // unbalanced: a caller bug; keep the output as is
  const bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty) Newline();
  out_ += c;
}

void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  Escaped(key);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::String(std::string_view s) {
  BeforeValue();
  Escaped(s);
}

void JsonWriter::Uint(uint64_t v) {
  BeforeValue();
  out_ += std::to_string(v);
}

void JsonWriter::Int(int64_t v) {
  BeforeValue();
  out_ += std::to_string(v);
}

void JsonWriter::Bool(bool v) {
  BeforeValue();
  out_ += v ? "true" : "false";
}

void JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
}

void JsonWriter::Escaped(std::string_view s) {
  out_ += '"';
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const uint8_t b = *p;
    if (b >= 0x80) {
      // Copy one whole UTF-8 sequence if it is valid, else U+FFFD.
      size_t n = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (static_cast<size_t>(end - p) >= n && IsValidUtf8(p, n)) {
        out_.append(reinterpret_cast<const char*>(p), n);
        p += n;
      } else {
        out_ += "\xef\xbf\xbd";
        ++p;
      }
      continue;
    }
    switch (b) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        if (b < 0x20 || b == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", b);
          out_ += buf;
        } else {
          out_ += static_cast<char>(b);
        }
    }
    ++p;
  }
  out_ += '"';
}

}  // namespace lazylink::wasm
