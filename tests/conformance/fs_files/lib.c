// Helpers in a separate module: descriptors and FILE*s are the domain's,
// shared by every module.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fsl_write_text(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return (int)n;
}

long fsl_size(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return -1;
  return (long)st.st_size;
}

// Reads what is left on a FILE* opened by the caller.
int fsl_read_rest(FILE *f, char *buf, int cap) {
  size_t n = fread(buf, 1, (size_t)cap - 1, f);
  buf[n] = '\0';
  return (int)n;
}
