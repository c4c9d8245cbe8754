// lazylink: the command-line tool. Each subcommand lives in its own file and
// registers itself here; the subcommand's callback sets the exit status.
#include <CLI/CLI.hpp>

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
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  }
  return 0;
}
