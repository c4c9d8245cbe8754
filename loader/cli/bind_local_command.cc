#include "loader/cli/bind_local_command.h"

#include <memory>

#include "loader/rewrite/bind_local_tool.h"

namespace lazylink::cli {

void AddBindLocalCommand(CLI::App& app) {
  auto args = std::make_shared<rewrite::BindLocalFileArgs>();
  CLI::App* cmd = app.add_subcommand(
      "bind-local",
      "Bind a side module's calls to its own weak definitions locally (fewer imports, no PLT "
      "hop); names given with --keep stay replaceable by other modules");
  cmd->add_option("module", args->input, "The linked side module (.wasm)")->required();
  cmd->add_option("-o,--output", args->output, "Where to write the result (may be the input)")->required();
  cmd->add_option("--keep", args->keep, "A function left preemptible: a name, or a prefix ending in '*'");
  cmd->add_option("--keep-file", args->keep_files, "A file of --keep patterns, one per line ('#' comments)");
  cmd->add_flag("--immutable-got", args->immutable_got,
                 "Make the GOT imports the module never writes immutable (for lazylink's loader only: its GOT "
                 "values are final at instantiation, and it passes them without a WebAssembly.Global each)");
  cmd->add_option("--slot-calls", args->slot_calls,
                  "An imported function (name, or prefix ending in '*') to call through its GOT.func table slot "
                  "instead of its import, like ELF's -fno-plt (for lazylink's loader: a lazy function's slot is "
                  "its resolver, then the function)");
  cmd->add_flag("--slot-calls-kept", args->slot_calls_kept,
                "Call the functions kept preemptible (--keep, --keep-file) through their slots too: the loader then "
                "needs no PLT trampoline for them");
  cmd->add_flag("--got-in-memory", args->got_in_memory,
                "Then move the GOT imports (GOT.mem / GOT.func) the module never writes into its own linear "
                "memory, like ELF's GOT (libstd: over a thousand fewer imports). The module then needs lazylink's "
                "loader, which reads its lazylink.got section and writes the values at __memory_base before "
                "instantiating it");
  cmd->add_flag("--own-slots", args->own_slots,
                "Add the functions the module takes the address of (GOT.func) and defines to its own element "
                "segment: lazylink's linker uses a function's place there as its canonical table slot, which "
                "the engine writes at instantiation (libstd: about 500 fewer slots written one by one)");
  cmd->add_flag("--own-slots-all", args->own_slots_all,
                "Like --own-slots, for every function the module exports: for a library other modules point "
                "into (libstd: qsort comparators, SQLite's system-call table, dlsym), so that no module's "
                "GOT.func entry or dlsym result needs a slot written one by one (libstd: table 298 -> ~5,000 "
                "slots)");
  cmd->add_flag("-q,--quiet", args->quiet, "No summary line");
  cmd->callback([args] {
    const int status = rewrite::BindLocalFile(*args);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace lazylink::cli
