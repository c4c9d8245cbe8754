// Run twice in one browser profile by fs_pack.test.mjs with
// load(..., { persist: ['/data'] }): what the first run writes under /data
// is there after a page reload; /tmp is not persisted.
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
  int runs = 0;
  FILE *f = fopen("/data/count.txt", "r");
  if (f) {
    if (fscanf(f, "%d", &runs) != 1) runs = -100;
    fclose(f);
  }
  runs++;
  f = fopen("/data/count.txt", "w");
  fprintf(f, "%d\n", runs);
  fclose(f);

  mkdir("/data/log", 0755);
  f = fopen("/data/log/runs.txt", "a");
  fprintf(f, "run %d\n", runs);
  fclose(f);
  if (runs == 1) {
    f = fopen("/data/first-only.txt", "w");
    fputs("made by the first run\n", f);
    fclose(f);
    symlink("/data/count.txt", "/data/count-link");
  } else {
    unlink("/data/first-only.txt");
  }
  printf("tmp had a file: %d\n", access("/tmp/scratch", F_OK) == 0);
  f = fopen("/tmp/scratch", "w");
  fclose(f);

  printf("run %d\n", runs);
  char line[64];
  f = fopen("/data/log/runs.txt", "r");
  while (f && fgets(line, sizeof line, f)) printf("log: %s", line);
  if (f) fclose(f);
  char target[64] = {0};
  readlink("/data/count-link", target, sizeof target - 1);
  printf("link: %s\n", target);
  printf("first-only.txt: %d\n", access("/data/first-only.txt", F_OK) == 0);
  return 0;
}
