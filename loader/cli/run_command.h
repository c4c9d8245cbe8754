// lazylink run [--lib FILE]... [--path DIR]... [--browser] MAIN.wasm [-- ARGS...]:
// runs a program split into modules with lazylink's loader, under Node or in
// headless Chromium. The loader is the wasm build of the core, so this
// command hands its arguments, unparsed, to the Node entry web/cli.mjs
// (docs/cli-run.md), whose exit status becomes ours.
//
//   CLI::App app{"lazylink"};
//   AddRunCommand(app);
//   CLI11_PARSE(app, argc, argv);
#ifndef LAZYLINK_CLI_RUN_COMMAND_H_
#define LAZYLINK_CLI_RUN_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace lazylink::cli {

void AddRunCommand(CLI::App& app);
// lazylink serve [DIR] [--port N] [--throttle P] [--demo]: web/cli.mjs serve.
void AddServeCommand(CLI::App& app);
// Runs `node web/cli.mjs COMMAND ARGS...` as a child and returns its exit
// status (70 if it could not be started): `lazylink pack` uses it for the
// start plan.
int SpawnNode(const char* command, const std::vector<std::string>& args);
// The same, with the child's stdout collected into `out` (`lazylink pack`
// asks `node web/cli.mjs host-functions` what the host provides).
int CaptureNode(const char* command, const std::vector<std::string>& args, std::string* out);
// web/dist/ beside web/cli.mjs: where `lazylink run` (web/cli.mjs) finds
// the standard library, and where `lazylink pack` takes it from.
std::string WebDistDir();

}  // namespace lazylink::cli

#endif  // LAZYLINK_CLI_RUN_COMMAND_H_
