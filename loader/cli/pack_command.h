// lazylink pack MODULE.wasm... -o OUT_DIR: content-hashed modules and the
// manifest (docs/manifest.md).
#ifndef LAZYLINK_CLI_PACK_COMMAND_H_
#define LAZYLINK_CLI_PACK_COMMAND_H_

#include <CLI/CLI.hpp>

namespace lazylink::cli {

void AddPackCommand(CLI::App& app);

}  // namespace lazylink::cli

#endif  // LAZYLINK_CLI_PACK_COMMAND_H_
