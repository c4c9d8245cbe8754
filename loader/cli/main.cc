// lazylink: the command-line tool. Each subcommand lives in its own file and
// registers itself here; the subcommand's callback sets the exit status.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "loader/cli/bind_local_command.h"
#include "loader/cli/bindgen_command.h"
#include "loader/cli/inspect_command.h"
#include "loader/cli/pack_command.h"
#include "loader/cli/run_command.h"

int main(int argc, char** argv) {
  CLI::App app{"lazylink: a dynamic linker for WebAssembly"};
  app.require_subcommand(1);
  lazylink::cli::AddInspectCommand(app);
  lazylink::cli::AddPackCommand(app);
  lazylink::cli::AddRunCommand(app);
  lazylink::cli::AddServeCommand(app);
  lazylink::cli::AddBindgenCommand(app);
  lazylink::cli::AddBindLocalCommand(app);
  // Exit status: the command's own (0, 1 for a refused input, ...); 2 for a
  // usage error (CLI11's message); 70 should anything else escape.
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lazylink: internal error: %s\n", e.what());
    return 70;
  }
  return 0;
}
