#include "loader/cli/pack_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "loader/cli/run_command.h"
#include "loader/manifest/pack.h"
#include "loader/support/read_file.h"

namespace lazylink::cli {

namespace {

namespace fs = std::filesystem;

struct PackArgs {
  std::vector<std::string> modules;
  std::string out_dir;
  std::vector<std::string> policies;  // NAME=POLICY
  std::string config;
  std::string main;
  std::vector<std::string> allow_undefined;
  bool quiet = false;
  bool start_plan = true;
  bool slot_calls = true;
  bool got_in_memory = true;
  bool own_slots = true;
  std::vector<std::string> files;  // HOST_DIR[::GUEST_DIR]
  std::vector<std::string> js_libraries;
  std::vector<std::string> js_defines;  // NAME[=VALUE]
  std::string malloc;
  // --initial-memory and the other memory options, as `lazylink run` takes
  // them: option -> value (checked and recorded by web/pack-app.mjs).
  std::map<std::string, std::string> memory;
};

// The arguments web/pack-app.mjs takes for the JS libraries and settings.
std::vector<std::string> AppSettingArgs(const PackArgs& args) {
  std::vector<std::string> out;
  for (const std::string& f : args.js_libraries) {
    std::error_code ec;
    const fs::path absolute = fs::absolute(f, ec);
    out.push_back("--js-library");
    out.push_back(ec ? f : absolute.string());
  }
  for (const std::string& d : args.js_defines) {
    out.push_back("--js-define");
    out.push_back(d);
  }
  if (!args.malloc.empty()) {
    out.push_back("--malloc");
    out.push_back(args.malloc);
  }
  for (const auto& [flag, value] : args.memory) {
    out.push_back(flag);
    out.push_back(value);
  }
  return out;
}

// Regular files only, up to the input limit (loader/support/read_file.h);
// `error` gets the reason, naming the file.
bool ReadBytes(const std::string& path, std::vector<uint8_t>* out, std::string* error) {
  Expected<std::vector<uint8_t>> read = ReadInputFile(path);
  if (!read.ok()) {
    *error = read.error().Format();
    return false;
  }
  *out = std::move(*read);
  return true;
}

bool WriteBytes(const fs::path& path, const void* data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return false;
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  return static_cast<bool>(out);
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "lazylink pack: %s\n", message.c_str());
  return 1;
}

int RunPack(const PackArgs& args) {
  // --files: checked before anything is written (web/pack-files.mjs packs them).
  for (const std::string& spec : args.files) {
    const std::string host = spec.substr(0, spec.find("::"));
    std::error_code ec;
    if (host.empty() || !fs::is_directory(host, ec)) {
      std::fprintf(stderr, "lazylink pack: --files %s: %s is not a directory\nnothing was written to %s\n",
                   spec.c_str(), host.empty() ? "(empty)" : host.c_str(), args.out_dir.c_str());
      return 2;
    }
  }
  manifest::PackOptions options;
  options.main = args.main;
  options.slot_calls = args.slot_calls;
  options.got_in_memory = args.got_in_memory;
  options.own_slots = args.own_slots;
  if (!args.config.empty()) {
    std::vector<uint8_t> text;
    std::string error;
    if (!ReadBytes(args.config, &text, &error)) return Fail("--config " + error);
    nlohmann::json config = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (config.is_discarded() || !config.is_object()) return Fail(args.config + ": not a JSON object");
    if (config.contains("main")) {
      if (!config["main"].is_string()) return Fail(args.config + ": \"main\" must be a string (the main module's file name)");
      options.main = config["main"].get<std::string>();
    }
    if (config.contains("policy")) {
      if (!config["policy"].is_object()) return Fail(args.config + ": \"policy\" must be an object");
      for (const auto& [name, value] : config["policy"].items()) {
        manifest::Policy p;
        if (!value.is_string() || !manifest::ParsePolicy(value.get<std::string>(), &p)) {
          return Fail(args.config + ": policy of " + name + " must be eager, lazy or prefetch");
        }
        options.overrides[name] = p;
      }
    }
  }
  for (const std::string& spec : args.policies) {
    const size_t eq = spec.find('=');
    manifest::Policy p;
    if (eq == std::string::npos || !manifest::ParsePolicy(spec.substr(eq + 1), &p)) {
      return Fail("--policy " + spec + ": expected NAME=eager|lazy|prefetch");
    }
    options.overrides[spec.substr(0, eq)] = p;
  }

  options.allow_undefined = args.allow_undefined;
  options.emmalloc = args.malloc == "emmalloc";
  for (const std::string& f : args.js_libraries) {
    std::error_code ec;
    if (!fs::is_regular_file(f, ec)) return Fail("--js-library " + f + ": no such file");
  }

  std::vector<manifest::PackInput> inputs;
  std::map<std::string, fs::path> path_of;
  for (const std::string& path : args.modules) {
    manifest::PackInput in;
    in.name = fs::path(path).filename().string();
    std::string error;
    if (!ReadBytes(path, &in.bytes, &error)) return Fail(error);
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec);
    path_of[in.name] = ec ? fs::path(path) : absolute;
    inputs.push_back(std::move(in));
  }

  // What the host provides: asked of the host itself (web/cli.mjs), so that
  // an import pack accepts is one the loader binds.
  {
    std::string text;
    // With --js-library, the libraries' functions too (read by the host's
    // own parser); a library or setting that is wrong fails here, before
    // anything is written.
    const int status = CaptureNode("host-functions", AppSettingArgs(args), &text);
    if (status != 0) return Fail("cannot list the host's functions (node web/cli.mjs host-functions: exit status " +
                                 std::to_string(status) + ")\nnothing was written to " + args.out_dir);
    std::vector<manifest::HostFunctionSpec> host;
    size_t at = 0;
    while (at < text.size()) {
      size_t end = text.find('\n', at);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(at, end - at);
      at = end + 1;
      const size_t t1 = line.find('\t');
      const size_t t2 = t1 == std::string::npos ? std::string::npos : line.find('\t', t1 + 1);
      if (t2 == std::string::npos) continue;
      host.push_back({line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)});
    }
    if (host.empty()) return Fail("the host listed no functions (node web/cli.mjs host-functions)");
    options.host_functions = std::move(host);
  }

  // No standard library given: the variant the modules need, from where
  // `lazylink run` takes it (the main module's directory, then web/dist/).
  std::string libstd_from;
  options.find_standard_library = [&](const std::string& libstd,
                                      const std::string& main) -> Expected<std::vector<uint8_t>> {
    std::vector<fs::path> dirs = {path_of[main].parent_path(), fs::path(WebDistDir())};
    std::string tried;
    for (const fs::path& dir : dirs) {
      const fs::path file = dir / libstd;
      std::vector<uint8_t> bytes;
      std::error_code ec;
      std::string error;
      if (fs::exists(file, ec) && ReadBytes(file.string(), &bytes, &error)) {
        libstd_from = file.string();
        return bytes;
      }
      tried += (tried.empty() ? "" : ", ") + dir.string() + (error.empty() ? "" : " (" + error + ")");
    }
    return Error(libstd, Msg("no standard library was given and none was found (looked in ", tried,
                             "): build lazylink's Emscripten configuration (make build), or name the file"));
  };

  Expected<manifest::PackResult> result = manifest::Pack(inputs, options);
  if (!result.ok()) return Fail(result.error().Format() + "\nnothing was written to " + args.out_dir);

  std::error_code ec;
  fs::create_directories(args.out_dir, ec);
  if (ec) return Fail("cannot create " + args.out_dir + ": " + ec.message());
  for (const manifest::PackedModule& m : result->modules) {
    if (!WriteBytes(fs::path(args.out_dir) / m.url, m.bytes.data(), m.bytes.size())) {
      return Fail("cannot write " + (fs::path(args.out_dir) / m.url).string());
    }
  }
  const std::string json = result->ManifestJson();
  const fs::path manifest_path = fs::path(args.out_dir) / "lazylink.json";
  if (!WriteBytes(manifest_path, json.data(), json.size())) return Fail("cannot write " + manifest_path.string());

  // The JS libraries (copied content-hashed) and the run settings, into
  // the manifest (web/pack-app.mjs), before the start plan, which uses them.
  {
    std::vector<std::string> node_args = AppSettingArgs(args);
    if (!node_args.empty()) {
      node_args.insert(node_args.begin(), args.out_dir);
      const int status = SpawnNode("pack-app", node_args);
      if (status != 0) return Fail("recording the JS libraries and settings failed (exit status " +
                                   std::to_string(status) + ")");
    }
  }

  // The start plan: the first load planned now, by the loader itself (the
  // wasm core under Node, web/start-plan-pack.mjs), and page hints.
  if (args.start_plan) {
    std::vector<std::string> node_args = {args.out_dir};
    if (args.quiet) node_args.push_back("-q");
    const int status = SpawnNode("start-plan", node_args);
    if (status != 0) return Fail("making the start plan failed (exit status " + std::to_string(status) + ")");
  }

  // The app's files (--files): content-hashed under files/, listed in the
  // manifest's "files" (web/pack-files.mjs).
  if (!args.files.empty()) {
    std::vector<std::string> node_args = {args.out_dir};
    node_args.insert(node_args.end(), args.files.begin(), args.files.end());
    if (args.quiet) node_args.push_back("-q");
    const int status = SpawnNode("pack-files", node_args);
    if (status != 0) return Fail("packing the files failed (exit status " + std::to_string(status) + ")");
  }

  if (!args.quiet) {
    uint64_t eager = 0, total = 0;
    uint32_t slot_calls = 0, slot_functions = 0, got_in_memory = 0, own_slots = 0;
    std::printf("%-28s %-9s %10s  %s\n", "module", "policy", "bytes", "why");
    for (const manifest::PackedModule& m : result->modules) {
      std::printf("%-28s %-9s %10llu  %s\n", m.name.c_str(), manifest::PolicyName(m.policy),
                  static_cast<unsigned long long>(m.size), m.reason.c_str());
      total += m.size;
      if (m.policy == manifest::Policy::kEager) eager += m.size;
      slot_calls += m.slot_calls;
      slot_functions += m.slot_functions;
      got_in_memory += m.got_in_memory;
      own_slots += m.own_slots;
    }
    if (own_slots) {
      std::printf("%u address-taken functions added to their modules' element segments (no slot written "
                  "one by one)\n", own_slots);
    }
    if (got_in_memory) {
      std::printf("%u GOT entries moved into their modules' memory (no import per entry)\n", got_in_memory);
    }
    if (slot_calls) {
      std::printf("%u calls to %u lazily bound functions go through their table slot (no PLT trampoline)\n",
                  slot_calls, slot_functions);
    }
    if (!result->added_standard_library.empty()) {
      std::printf("added %s (no standard library was given), from %s\n", result->added_standard_library.c_str(),
                  libstd_from.c_str());
    }
    std::printf("%llu of %llu bytes load before main; %zu symbols bind lazily\nwrote %s\n",
                static_cast<unsigned long long>(eager), static_cast<unsigned long long>(total),
                result->symbols.size(), manifest_path.string().c_str());
  }
  return 0;
}

}  // namespace

void AddPackCommand(CLI::App& app) {
  auto args = std::make_shared<PackArgs>();
  CLI::App* cmd = app.add_subcommand(
      "pack", "Write modules under content-hashed names and a manifest (lazylink.json)");
  cmd->add_option("modules", args->modules, "The app's modules (main, libraries; libstd.wasm or libstd-eh.wasm is added when not given)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--out", args->out_dir, "Output directory")->required();
  cmd->add_option("--policy", args->policies, "NAME=eager|lazy|prefetch (repeatable)");
  cmd->add_option("--config", args->config, "JSON file: {\"policy\": {NAME: POLICY}, \"main\": NAME}");
  cmd->add_option("--main", args->main, "The main module's file name (default: the one exporting main)");
  cmd->add_option("--allow-undefined", args->allow_undefined,
                  "NAME[,NAME...]: symbols that may stay undefined, because the app provides them at run time "
                  "(a dlopen'ed module, its own JS); repeatable. Any other import that no module, the standard "
                  "library or the host provides makes pack fail")
      ->allow_extra_args(false)
      ->delimiter(',');
  cmd->add_flag("-q,--quiet", args->quiet, "Print nothing on success");
  cmd->add_flag("!--no-slot-calls", args->slot_calls,
                "Keep calls into lazy modules as imports bound to PLT trampolines (by default they are rewritten "
                "to call through the function's GOT.func table slot; docs/lazy-loading.md)");
  cmd->add_flag("!--no-got-in-memory", args->got_in_memory,
                "Keep the modules' GOT.mem/GOT.func entries as imports (by default they move into each module's "
                "memory, as `bind-local --got-in-memory` does; docs/linking.md)");
  cmd->add_flag("!--no-own-slots", args->own_slots,
                "Leave the modules' element segments alone (by default each module's address-taken functions "
                "are added to its own segment, as `bind-local --own-slots` does; docs/linking.md)");
  cmd->add_option("--files", args->files,
                  "HOST_DIR[::GUEST_DIR]: put the files under HOST_DIR into the app, at GUEST_DIR in its file "
                  "system (default: /<HOST_DIR's name>); content-hashed, fetched on first open; repeatable")
      ->allow_extra_args(false);  // one directory per --files: the modules that follow stay positional
  cmd->add_option("--js-library", args->js_libraries,
                  "FILE: JavaScript library functions the modules import, in the format of emcc --js-library "
                  "(docs/em-js.md); counted as defined by pack's checks, copied into the app content-hashed and "
                  "listed in the manifest; repeatable")
      ->allow_extra_args(false);
  cmd->add_option("--js-define", args->js_defines,
                  "NAME[=VALUE]: a setting the JS libraries' #if lines see (as lazylink run --js-define, emcc "
                  "-jsD); recorded with the libraries in the manifest; repeatable")
      ->allow_extra_args(false);
  cmd->add_option("--malloc", args->malloc,
                  "dlmalloc|emmalloc: the allocator (as lazylink run --malloc): emmalloc adds libstd-emmalloc.wasm")
      ->check(CLI::IsMember({"dlmalloc", "emmalloc"}));
  for (const char* flag : {"--initial-memory", "--maximum-memory", "--stack-size", "--memory-growth-geometric-step",
                           "--memory-growth-geometric-cap", "--memory-growth-linear-step"}) {
    cmd->add_option_function<std::string>(
        flag, [args, flag](const std::string& v) { args->memory[flag] = v; },
        "as lazylink run's option of that name (docs/cli-run.md); recorded in the manifest's settings, which "
        "load() uses");
  }
  cmd->add_flag("!--no-start-plan", args->start_plan,
                "Do not plan the first load now (the loader then plans it at run time; docs/start-plans.md)");
  cmd->callback([args]() {
    const int status = RunPack(*args);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace lazylink::cli
