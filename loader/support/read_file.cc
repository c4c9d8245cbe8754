#include "loader/support/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace lazylink {
namespace {

const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

Error NotRegular(const std::string& path, mode_t mode) {
  return Error(path, Msg("is ", KindOf(mode), ", not a regular file: give the path of a file"));
}

Error TooLarge(const std::string& path, uint64_t max_bytes) {
  return Error(path, Msg("larger than the limit of ", max_bytes,
                         " bytes (set LAZYLINK_MAX_INPUT_BYTES to change it)"));
}

}  // namespace

uint64_t MaxInputBytes() {
  const char* env = std::getenv("LAZYLINK_MAX_INPUT_BYTES");
  if (!env || !*env) return kDefaultMaxInputBytes;
  uint64_t value = 0;
  for (const char* p = env; *p; ++p) {
    if (*p < '0' || *p > '9') return kDefaultMaxInputBytes;
    if (value > (~uint64_t{0} - 9) / 10) return ~uint64_t{0};
    value = value * 10 + static_cast<uint64_t>(*p - '0');
  }
  return value > 0 ? value : kDefaultMaxInputBytes;
}

Expected<std::vector<uint8_t>> ReadInputFile(const std::string& path, uint64_t max_bytes) {
  // stat first: opening a FIFO for reading would block until a writer comes.
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Error(path, Msg("cannot open: ", std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) return NotRegular(path, st.st_mode);
  if (static_cast<uint64_t>(st.st_size) > max_bytes) return TooLarge(path, max_bytes);
  // O_NONBLOCK: should the path have become a FIFO since stat, open does not
  // wait for a writer; fstat below then refuses it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return Error(path, Msg("cannot open: ", std::strerror(errno)));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::fstat(fd, &st) != 0) return Error(path, Msg("cannot read: ", std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) return NotRegular(path, st.st_mode);
  if (static_cast<uint64_t>(st.st_size) > max_bytes) return TooLarge(path, max_bytes);

  std::vector<uint8_t> out;
  out.reserve(static_cast<size_t>(st.st_size));
  // Reads at most max_bytes + 1: a file that grows while it is read (or
  // reports no size, as /proc's do) still stops at the limit.
  uint8_t buf[1 << 16];
  for (;;) {
    const uint64_t room = max_bytes + 1 - out.size();
    const size_t want = room < sizeof buf ? static_cast<size_t>(room) : sizeof buf;
    const ssize_t n = ::read(fd, buf, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(path, Msg("cannot read: ", std::strerror(errno)));
    }
    if (n == 0) break;
    out.insert(out.end(), buf, buf + n);
    if (out.size() > max_bytes) return TooLarge(path, max_bytes);
  }
  return out;
}

}  // namespace lazylink
