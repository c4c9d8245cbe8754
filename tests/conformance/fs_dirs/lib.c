// Directory listing in its own module: sorted names with their kinds.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void fsd_list(const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    printf("  opendir %s failed\n", path);
    return;
  }
  char *names[64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64) {
    char kind = e->d_type == DT_DIR ? 'd' : e->d_type == DT_LNK ? 'l' : e->d_type == DT_REG ? 'f' : '?';
    names[n] = malloc(strlen(e->d_name) + 3);
    sprintf(names[n], "%c %s", kind, e->d_name);
    n++;
  }
  closedir(d);
  qsort(names, n, sizeof names[0], by_name);
  printf("%s:", path);
  for (int i = 0; i < n; i++) {
    printf(" [%s]", names[i]);
    free(names[i]);
  }
  printf("\n");
}
