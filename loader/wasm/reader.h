// lazylink: reads a WebAssembly module's bytes into a wasm::Module.
//
// Bounds-checked throughout; no exceptions, no aborts, whatever the input.
// On failure the Error carries the absolute byte offset and a context path
// whose outermost part is ReadOptions::name:
//   libfoo.wasm: dylink.0/mem-info: mem_size: LEB128 runs past the end of the
//   subsection (at offset 0x1a)
// Function bodies are not decoded and data bytes are not copied; the Module
// records where they are, so `data` must outlive any use of those offsets
// (the Module itself holds no pointer into it).
//
//   Expected<Module> m = ReadModule(bytes.data(), bytes.size(), {"libfoo.wasm"});
//   if (!m.ok()) { fprintf(stderr, "%s\n", m.error().Format().c_str()); return 1; }
//   for (const Import& imp : m->imports) if (imp.IsGotMem()) ...
#ifndef LAZYLINK_WASM_READER_H_
#define LAZYLINK_WASM_READER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "loader/support/expected.h"
#include "loader/wasm/module.h"

namespace lazylink::wasm {

struct ReadOptions {
  // Outermost error context, usually the file name ("libfoo.wasm").
  std::string name;
  // Decode the `name` section (diagnostics only). Off: it is only listed in
  // Module::sections.
  bool read_names = true;
};

Expected<Module> ReadModule(const uint8_t* data, size_t size, const ReadOptions& opts);

}  // namespace lazylink::wasm

#endif  // LAZYLINK_WASM_READER_H_
