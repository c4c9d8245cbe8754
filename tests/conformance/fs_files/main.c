// Files: stdio and POSIX I/O on the domain's file system, descriptors,
// tmpfile/mkstemp, /dev/null, and the errno of failures.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fsl_write_text(const char *path, const char *text);
long fsl_size(const char *path);
int fsl_read_rest(FILE *f, char *buf, int cap);

static void check_errno(const char *what, int rc, int want) {
  printf("%s: rc=%d errno=%s\n", what, rc, rc == -1 && errno == want ? "ok" : strerror(errno));
}

int main(void) {
  char buf[256];

  // stdio: write, read back, seek, tell, append.
  FILE *f = fopen("/tmp/hello.txt", "w");
  printf("fopen w: %s\n", f ? "ok" : strerror(errno));
  fprintf(f, "hello, %s!\n", "file");
  fputs("second line\n", f);
  printf("ftell after writes: %ld\n", ftell(f));
  fclose(f);
  printf("size: %ld\n", fsl_size("/tmp/hello.txt"));
  f = fopen("/tmp/hello.txt", "r");
  fgets(buf, sizeof buf, f);
  printf("line 1: %s", buf);
  fseek(f, 7, SEEK_SET);
  printf("after fseek 7: %c%c%c%c\n", fgetc(f), fgetc(f), fgetc(f), fgetc(f));
  fseek(f, -5, SEEK_END);
  fsl_read_rest(f, buf, sizeof buf);
  printf("last 5: %s", buf);
  printf("feof: %d\n", feof(f));
  rewind(f);
  printf("after rewind: %ld\n", ftell(f));
  fclose(f);
  f = fopen("/tmp/hello.txt", "a");
  fputs("appended\n", f);
  fclose(f);
  f = fopen("/tmp/hello.txt", "r+");
  fseek(f, 0, SEEK_END);
  printf("size after append: %ld\n", ftell(f));
  fseek(f, 0, SEEK_SET);
  fputs("HELLO", f);
  rewind(f);
  fsl_read_rest(f, buf, sizeof buf);
  printf("r+ content:\n%s", buf);
  fclose(f);

  // Binary data with fwrite/fread.
  int numbers[100];
  for (int i = 0; i < 100; i++) numbers[i] = i * i;
  f = fopen("/tmp/numbers.bin", "wb");
  printf("fwrite: %zu\n", fwrite(numbers, sizeof numbers[0], 100, f));
  fclose(f);
  memset(numbers, 0, sizeof numbers);
  f = fopen("/tmp/numbers.bin", "rb");
  fseek(f, 50 * sizeof(int), SEEK_SET);
  printf("fread: %zu\n", fread(numbers, sizeof numbers[0], 100, f));
  printf("numbers[0]=%d numbers[49]=%d\n", numbers[0], numbers[49]);
  fclose(f);

  // POSIX descriptors: open/read/write/lseek/pread/pwrite, O_APPEND.
  int fd = open("/tmp/posix.dat", O_RDWR | O_CREAT | O_EXCL, 0600);
  printf("open fd >= 3: %d\n", fd >= 3);
  write(fd, "0123456789", 10);
  printf("lseek cur: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
  printf("lseek set 4: %ld\n", (long)lseek(fd, 4, SEEK_SET));
  ssize_t n = read(fd, buf, 3);
  buf[n] = 0;
  printf("read 3: %s\n", buf);
  n = pread(fd, buf, 4, 6);
  buf[n] = 0;
  printf("pread 4 at 6: %s (pos %ld)\n", buf, (long)lseek(fd, 0, SEEK_CUR));
  pwrite(fd, "AB", 2, 0);
  lseek(fd, 20, SEEK_SET);
  write(fd, "Z", 1);  // leaves a hole of zeros
  struct stat st;
  fstat(fd, &st);
  printf("fstat: regular=%d size=%ld mode=%o\n", S_ISREG(st.st_mode), (long)st.st_size,
         (unsigned)(st.st_mode & 0777));
  lseek(fd, 9, SEEK_SET);
  n = read(fd, buf, sizeof buf);
  printf("hole: %ld bytes, [1]=%d last=%c\n", (long)n, buf[1], buf[n - 1]);
  close(fd);
  fd = open("/tmp/posix.dat", O_WRONLY | O_APPEND);
  lseek(fd, 0, SEEK_SET);
  write(fd, "!", 1);
  close(fd);
  printf("append size: %ld\n", fsl_size("/tmp/posix.dat"));

  // truncate and ftruncate.
  truncate("/tmp/posix.dat", 5);
  printf("truncate 5: %ld\n", fsl_size("/tmp/posix.dat"));
  fd = open("/tmp/posix.dat", O_RDWR);
  ftruncate(fd, 8);
  n = pread(fd, buf, sizeof buf, 0);
  printf("ftruncate 8: %ld bytes, %.5s + %d%d%d\n", (long)n, buf, buf[5], buf[6], buf[7]);
  close(fd);
  fd = open("/tmp/posix.dat", O_RDWR | O_TRUNC);
  printf("O_TRUNC: %ld\n", fsl_size("/tmp/posix.dat"));
  close(fd);

  // dup, dup2, fcntl: shared offsets, flags.
  fsl_write_text("/tmp/dup.txt", "abcdef");
  fd = open("/tmp/dup.txt", O_RDONLY);
  int fd2 = dup(fd);
  close(fd);
  n = read(fd2, buf, 2);
  buf[n] = 0;
  printf("read via dup: %s\n", buf);
  fd = open("/tmp/dup.txt", O_RDONLY);
  int fd3 = fcntl(fd, F_DUPFD, 10);
  printf("F_DUPFD >= 10: %d\n", fd3 >= 10);
  printf("F_GETFL accmode: %d\n", fcntl(fd, F_GETFL) & O_ACCMODE);
  printf("F_GETFD: %d\n", fcntl(fd, F_GETFD));
  printf("F_SETFL: %d\n", fcntl(fd, F_SETFL, O_NONBLOCK));
  printf("dup2: %d\n", dup2(fd2, 20) == 20);
  close(fd);
  close(fd2);
  lseek(20, 0, SEEK_SET);
  n = read(20, buf, 10);
  buf[n] = 0;
  printf("read via 20: %s\n", buf);
  close(20);
  close(fd3);

  // stdout redirected into a file with dup2, then restored.
  fflush(stdout);
  int saved = dup(1);
  fd = open("/tmp/out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(fd, 1);
  close(fd);
  printf("this goes to /tmp/out.txt\n");
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  printf("redirected bytes: %ld\n", fsl_size("/tmp/out.txt"));

  // tmpfile and mkstemp.
  FILE *t = tmpfile();
  printf("tmpfile: %s\n", t ? "ok" : "NULL");
  fputs("scratch data", t);
  rewind(t);
  fsl_read_rest(t, buf, sizeof buf);
  printf("tmpfile content: %s\n", buf);
  fclose(t);
  char name[] = "/tmp/fs_files_XXXXXX";
  fd = mkstemp(name);
  printf("mkstemp: %d, name changed: %d\n", fd >= 3, strcmp(name, "/tmp/fs_files_XXXXXX") != 0);
  write(fd, "x", 1);
  close(fd);
  printf("mkstemp file size: %ld\n", fsl_size(name));
  unlink(name);

  // /dev/null and /dev/urandom.
  f = fopen("/dev/null", "w");
  printf("/dev/null write: %d\n", fprintf(f, "discarded\n"));
  fclose(f);
  fd = open("/dev/null", O_RDONLY);
  printf("/dev/null read: %ld\n", (long)read(fd, buf, sizeof buf));
  close(fd);
  fd = open("/dev/urandom", O_RDONLY);
  printf("/dev/urandom read: %ld\n", (long)read(fd, buf, 16));
  close(fd);
  stat("/dev/null", &st);
  printf("/dev/null is a character device: %d\n", S_ISCHR(st.st_mode));

  // Failures and their errno.
  check_errno("open missing", open("/tmp/nope/file", O_RDONLY), ENOENT);
  check_errno("open O_EXCL existing", open("/tmp/hello.txt", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
  check_errno("stat under a file", stat("/tmp/hello.txt/x", &st), ENOTDIR);
  check_errno("rmdir a file", rmdir("/tmp/hello.txt"), ENOTDIR);
  check_errno("open dir for writing", open("/tmp", O_WRONLY), EISDIR);
  check_errno("read bad fd", (int)read(77, buf, 1), EBADF);
  check_errno("close bad fd", close(77), EBADF);
  check_errno("lseek bad fd", (int)lseek(77, 0, SEEK_SET), EBADF);
  check_errno("write read-only fd", (int)write(fd = open("/tmp/hello.txt", O_RDONLY), "x", 1), EBADF);
  close(fd);
  check_errno("stat missing", stat("/missing", &st), ENOENT);
  f = fopen("/no/such/dir/file", "r");
  printf("fopen missing: %s, errno ENOENT: %d\n", f ? "opened" : "NULL", errno == ENOENT);
  return 0;
}
