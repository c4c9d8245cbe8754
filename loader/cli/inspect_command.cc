#include "loader/cli/inspect_command.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "loader/support/read_file.h"
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

void WriteToStdout(void*, std::string_view chunk) {
  std::fwrite(chunk.data(), 1, chunk.size(), stdout);
}

int RunInspect(const InspectArgs& args) {
  // Regular files only, up to the input limit (loader/support/read_file.h).
  Expected<std::vector<uint8_t>> read = ReadInputFile(args.file);
  if (!read.ok()) {
    std::fprintf(stderr, "lazylink inspect: %s\n", read.error().Format().c_str());
    return 1;
  }
  const std::vector<uint8_t>& bytes = *read;
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
