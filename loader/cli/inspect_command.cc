#include "loader/cli/inspect_command.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "loader/wasm/describe.h"
#include "loader/wasm/reader.h"

namespace lazylink::cli {
namespace {

struct InspectArgs {
  std::string file;
  bool json = false;
  bool no_function_names = false;
};

// The file's base name: errors and output name the module as the linker
// would ("libfoo.wasm"), wherever it was read from.
std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool ReadFile(const std::string& path, std::vector<uint8_t>& out) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    std::fprintf(stderr, "lazylink inspect: cannot open %s: %s\n", path.c_str(),
                 std::strerror(errno));
    return false;
  }
  // One read when the size is known (a regular file); chunks otherwise.
  if (std::fseek(f, 0, SEEK_END) == 0) {
    const long size = std::ftell(f);
    if (size > 0) out.reserve(static_cast<size_t>(size));
    std::rewind(f);
  }
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.insert(out.end(), buf, buf + n);
  const bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) {
    std::fprintf(stderr, "lazylink inspect: cannot read %s\n", path.c_str());
    return false;
  }
  return true;
}

void WriteToStdout(void*, std::string_view chunk) {
  std::fwrite(chunk.data(), 1, chunk.size(), stdout);
}

int RunInspect(const InspectArgs& args) {
  std::vector<uint8_t> bytes;
  if (!ReadFile(args.file, bytes)) return 2;
  const std::string name = BaseName(args.file);
  Expected<wasm::Module> m = wasm::ReadModule(bytes.data(), bytes.size(), {name});
  if (!m.ok()) {
    std::fprintf(stderr, "%s\n", m.error().Format().c_str());
    return 1;
  }
  for (const Error& w : m->warnings) std::fprintf(stderr, "warning: %s\n", w.Format().c_str());
  wasm::DescribeOptions opts;
  opts.file_name = name;
  opts.list_function_names = !args.no_function_names;
  if (args.json) {
    wasm::DescribeJson(*m, opts, WriteToStdout, nullptr);
  } else {
    wasm::DescribeText(*m, opts, WriteToStdout, nullptr);
  }
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fprintf(stderr, "lazylink inspect: cannot write the output: %s\n", std::strerror(errno));
    return 2;
  }
  return 0;
}

}  // namespace

void AddInspectCommand(CLI::App& app) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "inspect", "Show what the loader reads in a module: dylink.0, imports, exports, names");
  cmd->add_option("file", args->file, "The .wasm module")->required();
  cmd->add_flag("--json", args->json, "Write JSON (schema: docs/inspect-json.md)");
  cmd->add_flag("--no-function-names", args->no_function_names,
                "Text output: do not list every named function");
  cmd->callback([args]() {
    const int status = RunInspect(*args);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace lazylink::cli
