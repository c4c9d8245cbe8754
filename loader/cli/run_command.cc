#include "loader/cli/run_command.h"

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

// Baked in at build time (loader/cli/CMakeLists.txt).
#ifndef LAZYLINK_NODE_PATH
#error "LAZYLINK_NODE_PATH must name the node executable"
#endif
#ifndef LAZYLINK_CLI_MJS
#error "LAZYLINK_CLI_MJS must name web/cli.mjs"
#endif

namespace lazylink::cli {
namespace {

// Replaces this process with `node web/cli.mjs COMMAND ARGS...`; returns
// only if that fails. LAZYLINK_NODE in the environment overrides the node
// found at build time.
int ExecNode(const char* command, const std::vector<std::string>& args) {
  const char* env_node = std::getenv("LAZYLINK_NODE");
  const std::string node = env_node && *env_node ? env_node : LAZYLINK_NODE_PATH;
  std::vector<std::string> argv_storage = {node, LAZYLINK_CLI_MJS, command};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  execvp(argv[0], argv.data());
  std::fprintf(stderr, "lazylink %s: cannot start %s: %s\n", command, node.c_str(), std::strerror(errno));
  return 70;  // EX_SOFTWARE, as web/cli-runner.mjs uses for internal failures
}

}  // namespace

int SpawnNode(const char* command, const std::vector<std::string>& args) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    std::fprintf(stderr, "lazylink %s: cannot fork: %s\n", command, std::strerror(errno));
    return 70;
  }
  if (pid == 0) _exit(ExecNode(command, args));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 70;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int CaptureNode(const char* command, const std::vector<std::string>& args, std::string* out) {
  int fds[2];
  if (pipe(fds) != 0) {
    std::fprintf(stderr, "lazylink %s: cannot make a pipe: %s\n", command, std::strerror(errno));
    return 70;
  }
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    std::fprintf(stderr, "lazylink %s: cannot fork: %s\n", command, std::strerror(errno));
    close(fds[0]);
    close(fds[1]);
    return 70;
  }
  if (pid == 0) {
    close(fds[0]);
    if (dup2(fds[1], 1) < 0) _exit(70);
    close(fds[1]);
    _exit(ExecNode(command, args));
  }
  close(fds[1]);
  char buf[65536];
  for (;;) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n > 0) out->append(buf, static_cast<size_t>(n));
    else if (n == 0 || errno != EINTR) break;
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 70;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::string WebDistDir() {
  std::string cli = LAZYLINK_CLI_MJS;
  const size_t slash = cli.find_last_of('/');
  return (slash == std::string::npos ? std::string(".") : cli.substr(0, slash)) + "/dist";
}

void AddRunCommand(CLI::App& app) {
  CLI::App* run = app.add_subcommand(
      "run", "Run a program split into wasm modules under Node (or --browser: headless Chromium)");
  // Everything after `run` goes to web/cli.mjs as it was given, --help too.
  run->prefix_command();
  run->allow_extras();
  run->set_help_flag();
  run->callback([run]() {
    const int code = ExecNode("run", run->remaining());
    throw CLI::RuntimeError(code);
  });
}

void AddServeCommand(CLI::App& app) {
  CLI::App* serve = app.add_subcommand(
      "serve", "Serve a packed app (or --demo) with MIME types, caching headers and optional throttling");
  serve->prefix_command();
  serve->allow_extras();
  serve->set_help_flag();
  serve->callback([serve]() {
    const int code = ExecNode("serve", serve->remaining());
    throw CLI::RuntimeError(code);
  });
}

}  // namespace lazylink::cli
