// A program that wraps a host function under its own name: it defines
// __syscall_getcwd and reaches the host's through an import given that name
// (as Emscripten's own test_syscall_intercept does). Its definition takes
// precedence over the host's, for libstd's getcwd() too, and its import of
// the same name means the host's (the next definition), not itself.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((import_module("env"), import_name("__syscall_getcwd")))
long host_getcwd(long buf, long size);

static int wrapped;

long __syscall_getcwd(long buf, long size) {
  wrapped++;
  return host_getcwd(buf, size);
}

int main(void) {
  char cwd[256];
  long n = __syscall_getcwd((long)cwd, sizeof cwd);
  printf("direct: %s (%ld bytes), wrapper calls %d\n", cwd, n, wrapped);
  memset(cwd, 0, sizeof cwd);
  char* r = getcwd(cwd, sizeof cwd);
  printf("getcwd(): %s, wrapper calls %d\n", r ? r : "(null)", wrapped);
  return 0;
}
