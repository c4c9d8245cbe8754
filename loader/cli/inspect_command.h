// lazylink inspect FILE.wasm [--json]: what the reader sees in a module.
//
//   CLI::App app{"lazylink"};
//   AddInspectCommand(app);
//   CLI11_PARSE(app, argc, argv);
#ifndef LAZYLINK_CLI_INSPECT_COMMAND_H_
#define LAZYLINK_CLI_INSPECT_COMMAND_H_

#include <CLI/CLI.hpp>

namespace lazylink::cli {

void AddInspectCommand(CLI::App& app);

}  // namespace lazylink::cli

#endif  // LAZYLINK_CLI_INSPECT_COMMAND_H_
