// lazylink bind-local IN.wasm -o OUT.wasm [--keep SYM]... [--keep-file F]...
// [--own-slots] [--got-in-memory]: a side module's calls to its own weak
// definitions bound locally (loader/rewrite/bind_local.h), optionally its
// address-taken functions added to its element segment
// (loader/rewrite/own_slots.h) and its GOT moved into its memory
// (loader/rewrite/got_memory.h).
#ifndef LAZYLINK_CLI_BIND_LOCAL_COMMAND_H_
#define LAZYLINK_CLI_BIND_LOCAL_COMMAND_H_

#include <CLI/CLI.hpp>

namespace lazylink::cli {

void AddBindLocalCommand(CLI::App& app);

}  // namespace lazylink::cli

#endif  // LAZYLINK_CLI_BIND_LOCAL_COMMAND_H_
