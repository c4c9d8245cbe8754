// libc functions built on the file calls: realpath, scandir, nftw, glob,
// readv/writev, fdopen, freopen, statvfs, remove, mkdtemp, utimes,
// futimens, pathconf, posix_fallocate, isatty, ttyname (/proc/self/fd).
// Expected output: a plain emcc build's.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

static int visit(const char *p, const struct stat *st, int type, struct FTW *ftw) {
  printf("nftw: %s type=%d level=%d size=%ld\n", p, type, ftw->level, S_ISREG(st->st_mode) ? (long)st->st_size : -1L);
  return 0;
}
static int sel(const struct dirent *d) { return d->d_name[0] != '.'; }

int main(void) {
  char buf[PATH_MAX];
  mkdir("/tmp/m", 0755);
  mkdir("/tmp/m/a", 0755);
  FILE *f = fopen("/tmp/m/a/x.txt", "w"); fputs("hello", f); fclose(f);
  f = fopen("/tmp/m/y.c", "w"); fputs("int", f); fclose(f);
  symlink("a/x.txt", "/tmp/m/lnk");
  chdir("/tmp/m/a");
  printf("realpath: %s\n", realpath("../lnk", buf) ? buf : strerror(errno));
  printf("realpath missing: %s\n", realpath("/tmp/m/zz", buf) ? buf : "NULL");
  struct dirent **list;
  int n = scandir("/tmp/m", &list, sel, alphasort);
  printf("scandir: %d:", n);
  for (int i = 0; i < n; i++) { printf(" %s", list[i]->d_name); free(list[i]); }
  printf("\n");
  free(list);
  nftw("/tmp/m", visit, 8, FTW_PHYS);
  glob_t g;
  int rc = glob("/tmp/m/*.c", 0, NULL, &g);
  printf("glob: rc=%d n=%zu first=%s\n", rc, g.gl_pathc, g.gl_pathc ? g.gl_pathv[0] : "-");
  globfree(&g);
  int fd = open("/tmp/m/v.bin", O_RDWR | O_CREAT, 0644);
  struct iovec iov[2] = {{"abc", 3}, {"defg", 4}};
  printf("writev: %ld\n", (long)writev(fd, iov, 2));
  lseek(fd, 0, SEEK_SET);
  char a[4] = {0}, b[5] = {0};
  struct iovec r[2] = {{a, 3}, {b, 4}};
  printf("readv: %ld %s %s\n", (long)readv(fd, r, 2), a, b);
  printf("isatty(file): %d isatty(1): %d\n", isatty(fd), isatty(1));
  FILE *ff = fdopen(fd, "r");
  rewind(ff);
  printf("fdopen read: %c fileno ok: %d\n", fgetc(ff), fileno(ff) == fd);
  fclose(ff);
  f = freopen("/tmp/m/y.c", "r", stdin);
  printf("freopen stdin: %s -> %c\n", f ? "ok" : "fail", getchar());
  struct statvfs sv;
  printf("statvfs: %d bsize=%lu\n", statvfs("/tmp", &sv), sv.f_bsize);
  printf("remove file: %d, remove dir: %d\n", remove("/tmp/m/y.c"), remove("/tmp/m/a"));
  char tmpl[] = "/tmp/dXXXXXX";
  printf("mkdtemp: %d\n", mkdtemp(tmpl) != NULL);
  struct timeval tv[2] = {{100, 0}, {200, 0}};
  printf("utimes: %d\n", utimes("/tmp/m/v.bin", tv));
  struct stat st; stat("/tmp/m/v.bin", &st);
  printf("mtime: %ld\n", (long)st.st_mtime);
  fd = open("/tmp/m/v.bin", O_RDONLY);
  struct timespec ts[2] = {{300, 0}, {400, 0}};
  printf("futimens: %d\n", futimens(fd, ts));
  fstat(fd, &st);
  printf("mtime: %ld\n", (long)st.st_mtime);
  close(fd);
  printf("pathconf NAME_MAX: %ld\n", pathconf("/tmp", _PC_NAME_MAX));
  printf("getcwd: %s\n", getcwd(buf, sizeof buf));
  printf("posix_fallocate: %d\n", posix_fallocate(open("/tmp/m/v.bin", O_RDWR), 0, 100));
  stat("/tmp/m/v.bin", &st);
  printf("size after fallocate: %ld\n", (long)st.st_size);
  printf("ttyname(1): %s\n", ttyname(1) ? "set" : "NULL");
  return 0;
}
