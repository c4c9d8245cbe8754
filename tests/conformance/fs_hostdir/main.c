// Driven by fs_hostdir.test.mjs through `lazylink run --dir HOST::GUEST`:
// reads GUEST/input.txt, writes GUEST/output.txt and GUEST/made/notes.txt
// back to the host, lists GUEST, and dlopen()s a module from the file
// system (GUEST/libfsplugin.wasm directly, and a copy the program writes
// to /tmp, which exists only in memory).
//   fs_hostdir GUEST
#include <ctype.h>
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int copy(const char *from, const char *to) {
  FILE *in = fopen(from, "rb");
  if (!in) return -1;
  FILE *out = fopen(to, "wb");
  if (!out) {
    fclose(in);
    return -1;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
  fclose(in);
  return fclose(out);
}

static int call_plugin(const char *path) {
  void *h = dlopen(path, RTLD_NOW);
  if (!h) {
    printf("dlopen %s: %s\n", path, dlerror());
    return -1;
  }
  int (*answer)(int) = (int (*)(int))dlsym(h, "fs_plugin_answer");
  return answer ? answer(7) : -2;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/data";
  char path[512], line[256];
  if (chdir(dir) != 0) {
    perror("chdir");
    return 1;
  }
  FILE *in = fopen("input.txt", "r");
  if (!in) {
    perror("input.txt");
    return 1;
  }
  FILE *out = fopen("output.txt", "w");
  int lines = 0;
  while (fgets(line, sizeof line, in)) {
    for (char *p = line; *p; p++) *p = (char)toupper((unsigned char)*p);
    fputs(line, out);
    lines++;
  }
  fprintf(out, "%d lines\n", lines);
  fclose(in);
  fclose(out);
  printf("read %d lines\n", lines);

  mkdir("made", 0755);
  snprintf(path, sizeof path, "%s/made/draft.txt", dir);
  out = fopen(path, "w");
  fputs("notes from the program\n", out);
  fclose(out);
  rename("made/draft.txt", "made/notes.txt");
  unlink("remove-me.txt");

  DIR *d = opendir(".");
  int entries = 0;
  struct dirent *e;
  while ((e = readdir(d))) entries++;
  closedir(d);
  printf("entries: %d\n", entries);
  struct stat st;
  stat("input.txt", &st);
  printf("input.txt: %ld bytes\n", (long)st.st_size);

  snprintf(path, sizeof path, "%s/libfsplugin.wasm", dir);
  printf("plugin from the mapped directory: %d\n", call_plugin(path));
  mkdir("/tmp/mods", 0755);
  if (copy(path, "/tmp/mods/copy.wasm") != 0) perror("copy");
  printf("plugin from memory: %d\n", call_plugin("/tmp/mods/copy.wasm"));
  printf("missing plugin: %d\n", call_plugin("/tmp/mods/none.wasm"));
  return 0;
}
