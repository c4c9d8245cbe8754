#include "loader/cli/bindgen_command.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "loader/component/bindgen_c.h"
#include "loader/support/read_file.h"

namespace lazylink::cli {
namespace {

struct BindgenArgs {
  std::vector<std::string> files;
  std::string lang = "c";
  std::string out_dir = ".";
  std::string world;
};

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool Write(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  if (!f) {
    std::fprintf(stderr, "lazylink bindgen: cannot write %s: %s\n", path.c_str(),
                 std::strerror(errno));
    return false;
  }
  return true;
}

int RunBindgen(const BindgenArgs& args) {
  if (args.lang != "c") {
    std::fprintf(stderr, "lazylink bindgen: --lang %s is not supported (only c)\n",
                 args.lang.c_str());
    return 2;
  }
  component::WitPackage wit;
  wit.world = args.world;
  for (const std::string& path : args.files) {
    // Regular files only, up to the input limit (loader/support/read_file.h).
    Expected<std::vector<uint8_t>> text = ReadInputFile(path);
    if (!text.ok()) {
      std::fprintf(stderr, "lazylink bindgen: %s\n", text.error().Format().c_str());
      return 1;
    }
    // The section records file names only: no build paths in the module.
    wit.files.push_back({BaseName(path), std::string(text->begin(), text->end())});
  }
  Expected<component::CBindings> b = component::GenerateCBindings(wit);
  if (!b.ok()) {
    std::fprintf(stderr, "%s\n", b.error().Format().c_str());
    return 1;
  }
  ::mkdir(args.out_dir.c_str(), 0777);
  const std::string dir = args.out_dir.empty() ? "." : args.out_dir;
  if (!Write(dir + "/" + b->header_name, b->header) ||
      !Write(dir + "/" + b->source_name, b->source))
    return 2;
  std::printf("lazylink bindgen: wrote %s/%s and %s/%s\n", dir.c_str(), b->header_name.c_str(),
              dir.c_str(), b->source_name.c_str());
  return 0;
}

}  // namespace

void AddBindgenCommand(CLI::App& app) {
  auto args = std::make_shared<BindgenArgs>();
  CLI::App* cmd = app.add_subcommand(
      "bindgen", "Generate bindings for a component's WIT world (a header, a C file that also "
                 "embeds the world in the lazylink.wit section)");
  cmd->add_option("files", args->files, "WIT files (the world's and the packages it uses)")
      ->required();
  cmd->add_option("--lang", args->lang, "Language of the bindings (c)");
  cmd->add_option("-o,--out-dir", args->out_dir, "Directory to write into (created if missing)");
  cmd->add_option("--world", args->world,
                  "The world, when the files define several (\"plugin\" or \"ns:pkg/plugin\")");
  cmd->callback([args]() {
    const int status = RunBindgen(*args);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace lazylink::cli
