// Directories and names: mkdir/rmdir, readdir, rename, unlink,
// symlink/readlink, stat/lstat, chdir/getcwd, the *at() calls, and the
// errno of failures.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

void fsd_list(const char *path);

static void touch(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f) {
    printf("cannot create %s\n", path);
    return;
  }
  fputs(text, f);
  fclose(f);
}

static void check(const char *what, int rc, int want) {
  printf("%s: rc=%d %s\n", what, rc, rc == 0 ? "" : errno == want ? "errno ok" : strerror(errno));
}

int main(void) {
  char buf[256];
  struct stat st;

  // The tree an Emscripten program starts with.
  printf("/tmp is a dir: %d\n", stat("/tmp", &st) == 0 && S_ISDIR(st.st_mode));
  printf("/home/web_user is a dir: %d\n", stat("/home/web_user", &st) == 0 && S_ISDIR(st.st_mode));
  printf("cwd at start: %s\n", getcwd(buf, sizeof buf));

  check("mkdir /tmp/a", mkdir("/tmp/a", 0755), 0);
  check("mkdir /tmp/a/b", mkdir("/tmp/a/b", 0700), 0);
  check("mkdir again", mkdir("/tmp/a", 0755), EEXIST);
  check("mkdir missing parent", mkdir("/tmp/x/y", 0755), ENOENT);
  stat("/tmp/a/b", &st);
  printf("b: dir=%d mode=%o\n", S_ISDIR(st.st_mode), (unsigned)(st.st_mode & 0777));
  touch("/tmp/a/one.txt", "1");
  touch("/tmp/a/two.txt", "22");
  touch("/tmp/a/b/deep.txt", "333");
  fsd_list("/tmp/a");

  // Relative paths and the working directory.
  check("chdir /tmp/a", chdir("/tmp/a"), 0);
  printf("cwd: %s\n", getcwd(buf, sizeof buf));
  stat("b/deep.txt", &st);
  printf("relative stat size: %ld\n", (long)st.st_size);
  check("chdir b", chdir("b"), 0);
  printf("cwd: %s\n", getcwd(buf, sizeof buf));
  check("chdir ..", chdir(".."), 0);
  printf("cwd: %s\n", getcwd(buf, sizeof buf));
  touch("./three.txt", "4444");
  fsd_list(".");
  check("chdir to a file", chdir("one.txt"), ENOTDIR);
  check("chdir missing", chdir("/nowhere"), ENOENT);
  printf("getcwd too small: %s\n", getcwd(buf, 3) == NULL && errno == ERANGE ? "ERANGE" : "?");

  // rename: a file, over an existing file, a directory.
  check("rename file", rename("one.txt", "uno.txt"), 0);
  check("rename over existing", rename("two.txt", "uno.txt"), 0);
  FILE *f = fopen("uno.txt", "r");
  fgets(buf, sizeof buf, f);
  fclose(f);
  printf("uno.txt now holds: %s\n", buf);
  check("rename dir", rename("/tmp/a/b", "/tmp/a/c"), 0);
  check("rename missing", rename("/tmp/a/none", "/tmp/a/x"), ENOENT);
  fsd_list("/tmp/a");
  fsd_list("/tmp/a/c");

  // unlink and rmdir.
  check("rmdir non-empty", rmdir("/tmp/a/c"), ENOTEMPTY);
  check("unlink a dir", unlink("/tmp/a/c"), EISDIR);
  check("unlink deep", unlink("/tmp/a/c/deep.txt"), 0);
  check("unlink again", unlink("/tmp/a/c/deep.txt"), ENOENT);
  check("rmdir c", rmdir("/tmp/a/c"), 0);
  check("rmdir missing", rmdir("/tmp/a/c"), ENOENT);
  fsd_list("/tmp/a");

  // Symbolic links.
  check("symlink", symlink("/tmp/a/uno.txt", "/tmp/a/link"), 0);
  check("symlink relative", symlink("three.txt", "/tmp/a/rel"), 0);
  check("symlink exists", symlink("x", "/tmp/a/link"), EEXIST);
  ssize_t n = readlink("/tmp/a/link", buf, sizeof buf);
  buf[n < 0 ? 0 : n] = 0;
  printf("readlink: %s (%ld)\n", buf, (long)n);
  n = readlink("/tmp/a/link", buf, 4);
  printf("readlink truncated: %.4s (%ld)\n", buf, (long)n);
  check("readlink a file", (int)readlink("/tmp/a/uno.txt", buf, sizeof buf), EINVAL);
  lstat("/tmp/a/link", &st);
  printf("lstat: link=%d size=%ld\n", S_ISLNK(st.st_mode), (long)st.st_size);
  stat("/tmp/a/link", &st);
  printf("stat through link: reg=%d size=%ld\n", S_ISREG(st.st_mode), (long)st.st_size);
  f = fopen("/tmp/a/rel", "r");
  fgets(buf, sizeof buf, f);
  fclose(f);
  printf("read through relative link: %s\n", buf);
  check("symlink to a dir", symlink("/tmp/a", "/tmp/alink"), 0);
  stat("/tmp/alink/three.txt", &st);
  printf("path through a dir link: size=%ld\n", (long)st.st_size);
  check("unlink the link", unlink("/tmp/a/link"), 0);
  printf("target still there: %d\n", access("/tmp/a/uno.txt", F_OK) == 0);
  fsd_list("/tmp/a");

  // The *at() calls relative to a directory descriptor.
  int dfd = open("/tmp/a", O_RDONLY | O_DIRECTORY);
  printf("open dir: %d\n", dfd >= 3);
  check("mkdirat", mkdirat(dfd, "sub", 0755), 0);
  int fd = openat(dfd, "sub/f.txt", O_WRONLY | O_CREAT, 0644);
  write(fd, "hello", 5);
  close(fd);
  check("fstatat", fstatat(dfd, "sub/f.txt", &st, 0), 0);
  printf("fstatat size: %ld\n", (long)st.st_size);
  check("renameat", renameat(dfd, "sub/f.txt", dfd, "g.txt"), 0);
  check("unlinkat dir", unlinkat(dfd, "sub", AT_REMOVEDIR), 0);
  check("faccessat", faccessat(dfd, "g.txt", R_OK | W_OK, 0), 0);
  check("fchdir", fchdir(dfd), 0);
  printf("cwd after fchdir: %s\n", getcwd(buf, sizeof buf));
  close(dfd);
  fsd_list("/tmp/a");
  check("opendir a file", opendir("/tmp/a/g.txt") ? 0 : -1, ENOTDIR);
  check("opendir missing", opendir("/tmp/zz") ? 0 : -1, ENOENT);

  // Metadata: chmod, utime, access.
  check("chmod", chmod("g.txt", 0600), 0);
  stat("g.txt", &st);
  printf("mode after chmod: %o\n", (unsigned)(st.st_mode & 0777));
  struct utimbuf times = { 1000000000, 1234567890 };
  check("utime", utime("g.txt", &times), 0);
  stat("g.txt", &st);
  printf("mtime: %ld\n", (long)st.st_mtime);
  check("access missing", access("nothing", F_OK), ENOENT);

  // Clean up and list the root of the tree we made.
  unlink("g.txt");
  unlink("uno.txt");
  unlink("three.txt");
  unlink("rel");
  unlink("/tmp/alink");
  chdir("/");
  check("rmdir /tmp/a", rmdir("/tmp/a"), 0);
  printf("cwd: %s\n", getcwd(buf, sizeof buf));
  fsd_list("/tmp");
  return 0;
}
