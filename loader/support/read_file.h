// lazylink: reading an input file for the command-line tools, with limits.
//
// Every file the native commands read (modules, --config, WIT files,
// --keep-file) goes through ReadInputFile: it refuses what is not a regular
// file (a directory, a FIFO, a device such as /dev/zero) before reading a
// byte, and a file larger than the limit, so that no input can make a
// command block or grow without bound. Errors are values naming the file.
#ifndef LAZYLINK_SUPPORT_READ_FILE_H_
#define LAZYLINK_SUPPORT_READ_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "loader/support/expected.h"

namespace lazylink {

// The default limit: 1 GiB, the largest module the web's engines compile
// (V8 and SpiderMonkey refuse larger ones). The environment variable
// LAZYLINK_MAX_INPUT_BYTES (a decimal byte count) overrides it.
inline constexpr uint64_t kDefaultMaxInputBytes = uint64_t{1} << 30;

// The limit in effect: LAZYLINK_MAX_INPUT_BYTES when set to a positive
// decimal number, kDefaultMaxInputBytes otherwise.
uint64_t MaxInputBytes();

// Reads `path` whole. Refuses (an Error with `path` as context) a path that
// cannot be opened, is not a regular file, or holds more than `max_bytes`.
Expected<std::vector<uint8_t>> ReadInputFile(const std::string& path, uint64_t max_bytes);
inline Expected<std::vector<uint8_t>> ReadInputFile(const std::string& path) {
  return ReadInputFile(path, MaxInputBytes());
}

}  // namespace lazylink

#endif  // LAZYLINK_SUPPORT_READ_FILE_H_
