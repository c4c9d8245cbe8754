// POSIX behaviour where Emscripten 3.1.6's own file system departs from it
// (shared offsets of dup'ed descriptors, FD_CLOEXEC, ENOTDIR through a
// file, ...). The expected output is what the same program prints built
// natively on Linux (clang main.c && ./a.out), not a plain emcc build's.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// errno by name: strerror's texts differ between glibc and musl.
static const char *errname(int e) {
  switch (e) {
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    case ELOOP: return "ELOOP";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EACCES: return "EACCES";
    default: return "other";
  }
}

static void check(const char *what, long rc) {
  if (rc >= 0) printf("%s: %ld\n", what, rc);
  else printf("%s: -1 %s\n", what, errname(errno));
}

static void put(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  write(fd, text, strlen(text));
  close(fd);
}

int main(void) {
  char buf[64];
  char dir[] = "/tmp/fs_posix_XXXXXX";
  if (!mkdtemp(dir) || chdir(dir) != 0) {
    perror("mkdtemp");
    return 1;
  }
  put("f", "abcdefgh");
  mkdir("d", 0755);

  // Descriptors made by dup, dup2 and F_DUPFD share the open file.
  int fd = open("f", O_RDONLY);
  int fd2 = dup(fd);
  read(fd, buf, 2);
  check("dup shares the offset", lseek(fd2, 0, SEEK_CUR));
  dup2(fd, 20);
  read(20, buf, 3);
  check("dup2 shares the offset", lseek(fd, 0, SEEK_CUR));
  int fd3 = fcntl(fd, F_DUPFD, 30);
  check("F_DUPFD shares the offset", lseek(fd3, 0, SEEK_CUR));
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  check("FD_CLOEXEC kept", fcntl(fd, F_GETFD));
  check("not on the duplicate", fcntl(fd2, F_GETFD));
  check("F_DUPFD_CLOEXEC", fcntl(fcntl(fd, F_DUPFD_CLOEXEC, 0), F_GETFD));
  close(fd);
  close(fd2);
  close(20);
  close(fd3);

  // F_SETFL O_APPEND reaches later writes.
  fd = open("f", O_WRONLY);
  fcntl(fd, F_SETFL, O_APPEND);
  check("F_GETFL has O_APPEND", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
  write(fd, "XY", 2);
  close(fd);
  struct stat st;
  stat("f", &st);
  check("size after appending", (long)st.st_size);

  // An unlinked file lives on while it is open.
  put("gone", "still here");
  fd = open("gone", O_RDONLY);
  unlink("gone");
  check("access after unlink", access("gone", F_OK));
  memset(buf, 0, sizeof buf);
  check("read after unlink", read(fd, buf, sizeof buf - 1));
  printf("content: %s\n", buf);
  close(fd);

  // Paths through a regular file, trailing slashes, "." as the last name.
  check("open f/x", open("f/x", O_RDONLY));
  check("open f/x O_CREAT", open("f/x", O_WRONLY | O_CREAT, 0644));
  check("mkdir f/x", mkdir("f/x", 0755));
  check("unlink f/x", unlink("f/x"));
  check("access f/x", access("f/x", F_OK));
  check("open f/", open("f/", O_RDONLY));
  check("open f O_DIRECTORY", open("f", O_RDONLY | O_DIRECTORY));
  check("rmdir d/.", rmdir("d/."));
  check("mkdir e/ (trailing slash)", mkdir("e/", 0755));
  check("stat \"\"", stat("", &st));

  // rename's rules.
  mkdir("d/sub", 0755);
  check("rename d into d/sub/x", rename("d", "d/sub/x"));
  check("rename f over dir e", rename("f", "e"));
  check("rename dir e over file f", rename("e", "f"));
  check("rename e over non-empty d", rename("e", "d"));
  check("rename e over empty d/sub", rename("e", "d/sub"));
  check("rename f to itself", rename("f", "f"));

  // Symbolic links: loops, O_NOFOLLOW, O_EXCL on a dangling link.
  symlink("loop", "loop");
  check("open a loop", open("loop", O_RDONLY));
  symlink("f", "lf");
  check("O_NOFOLLOW on a link", open("lf", O_RDONLY | O_NOFOLLOW));
  symlink("nothing", "dangling");
  check("O_CREAT|O_EXCL on a dangling link", open("dangling", O_WRONLY | O_CREAT | O_EXCL, 0644));
  check("access through it", access("nothing", F_OK));
  fd = open("dangling", O_WRONLY | O_CREAT, 0644);
  check("O_CREAT through a dangling link creates the target", access("nothing", F_OK));
  close(fd);

  // Directory descriptors, seeking, truncating read-only files.
  fd = open("d", O_RDONLY);
  check("read a directory", read(fd, buf, 1));
  check("write a directory", write(fd, "x", 1));
  close(fd);
  fd = open("f", O_RDONLY);
  check("ftruncate read-only", ftruncate(fd, 0));
  check("lseek before 0", lseek(fd, -1, SEEK_SET));
  check("lseek past the end", lseek(fd, 100, SEEK_SET));
  check("read past the end", read(fd, buf, 1));
  close(fd);

  // readdir sees a file created after a rewinddir.
  DIR *dp = opendir("d");
  int n = 0;
  while (readdir(dp)) n++;
  put("d/new", "");
  rewinddir(dp);
  int m = 0;
  while (readdir(dp)) m++;
  closedir(dp);
  printf("entries before %d, after rewinddir %d\n", n, m);

  // Clean up.
  unlink("d/new");
  unlink("loop");
  unlink("lf");
  unlink("dangling");
  unlink("nothing");
  unlink("f");
  rmdir("d/sub");
  rmdir("d");
  rmdir("e");
  chdir("/");
  check("rmdir the scratch directory", rmdir(dir));
  return 0;
}
