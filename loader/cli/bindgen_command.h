// lazylink bindgen WORLD.wit [MORE.wit...] --lang c -o DIR [--world NAME]:
// C bindings for a component's world (docs/components.md).
//
//   CLI::App app{"lazylink"};
//   AddBindgenCommand(app);
//   CLI11_PARSE(app, argc, argv);
#ifndef LAZYLINK_CLI_BINDGEN_COMMAND_H_
#define LAZYLINK_CLI_BINDGEN_COMMAND_H_

#include <CLI/CLI.hpp>

namespace lazylink::cli {

void AddBindgenCommand(CLI::App& app);

}  // namespace lazylink::cli

#endif  // LAZYLINK_CLI_BINDGEN_COMMAND_H_
