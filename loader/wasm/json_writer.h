// lazylink: a small streaming JSON writer (no exceptions, no DOM).
//
// Keys are written in the order the caller writes them, so the output of a
// given program is stable. Output is pretty-printed with two-space indents;
// strings are escaped and any invalid UTF-8 is replaced by U+FFFD.
//
//   JsonWriter w;
//   w.BeginObject();
//   w.Key("name"); w.String("libfoo.wasm");
//   w.Key("needed"); w.BeginArray(); w.String("libbar.wasm"); w.EndArray();
//   w.EndObject();
//   std::string text = w.Take();
//
// With a sink, output is handed over in chunks of about 64 KiB as it is
// written (for a multi-megabyte description, this avoids growing one huge
// buffer) and Take() flushes the rest and returns "".
#ifndef LAZYLINK_WASM_JSON_WRITER_H_
#define LAZYLINK_WASM_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lazylink::wasm {

// Receives output in chunks.
using OutputSink = void (*)(void* context, std::string_view chunk);

class JsonWriter {
 public:
  JsonWriter() = default;
  JsonWriter(OutputSink sink, void* context) : sink_(sink), sink_context_(context) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  // Inside an object: the next value's key.
  void Key(std::string_view key);

  void String(std::string_view s);
  void Uint(uint64_t v);
  void Int(int64_t v);
  void Bool(bool v);
  void Null();

  std::string Take();

 private:
  struct Level {
    char close;
    bool empty = true;
  };
  void Open(char c);
  void Close(char c);
  void BeforeValue();
  void Newline();
  void Escaped(std::string_view s);

  void MaybeFlush() {
    if (sink_ && out_.size() >= kChunk) Flush();
  }
  void Flush();

  static constexpr size_t kChunk = 64 * 1024;
  std::string out_;
  OutputSink sink_ = nullptr;
  void* sink_context_ = nullptr;
  std::vector<Level> stack_;
  bool after_key_ = false;
};

}  // namespace lazylink::wasm

#endif  // LAZYLINK_WASM_JSON_WRITER_H_
