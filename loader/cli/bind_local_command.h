// lazylink bind-local IN.wasm -o OUT.wasm [--keep SYM]... [--keep-file F]...:
// a side module's calls to its own weak definitions bound locally
// (loader/rewrite/bind_local.h).
#ifndef LAZYLINK_CLI_BIND_LOCAL_COMMAND_H_
#define LAZYLINK_CLI_BIND_LOCAL_COMMAND_H_

#include <CLI/CLI.hpp>

namespace lazylink::cli {

void AddBindLocalCommand(CLI::App& app);

}  // namespace lazylink::cli

#endif  // LAZYLINK_CLI_BIND_LOCAL_COMMAND_H_
