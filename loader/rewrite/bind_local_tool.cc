#include "loader/rewrite/bind_local_tool.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "loader/rewrite/bind_local.h"
#include "loader/rewrite/got_memory.h"
#include "loader/rewrite/own_slots.h"
#include "loader/support/read_file.h"

namespace lazylink::rewrite {
namespace {

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Regular files only, up to the input limit (loader/support/read_file.h).
bool ReadAll(const std::string& path, std::vector<uint8_t>& out) {
  Expected<std::vector<uint8_t>> read = ReadInputFile(path);
  if (!read.ok()) {
    std::fprintf(stderr, "lazylink bind-local: %s\n", read.error().Format().c_str());
    return false;
  }
  out = std::move(*read);
  return true;
}

bool ReadPatterns(const std::string& path, std::vector<std::string>& out) {
  std::vector<uint8_t> bytes;
  if (!ReadAll(path, bytes)) return false;
  std::string line;
  auto flush = [&] {
    const size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    const size_t b = line.find_first_not_of(" \t\r");
    const size_t e = line.find_last_not_of(" \t\r");
    if (b != std::string::npos) out.push_back(line.substr(b, e - b + 1));
    line.clear();
  };
  for (uint8_t ch : bytes) {
    if (ch == '\n') {
      flush();
    } else {
      line += static_cast<char>(ch);
    }
  }
  flush();
  return true;
}

}  // namespace

int BindLocalFile(const BindLocalFileArgs& args) {
  BindLocalOptions opts;
  opts.name = BaseName(args.input);
  opts.keep = args.keep;
  opts.immutable_got = args.immutable_got;
  opts.slot_calls = args.slot_calls;
  for (const std::string& f : args.keep_files) {
    if (!ReadPatterns(f, opts.keep)) return 1;
  }
  if (args.slot_calls_kept) opts.slot_calls.insert(opts.slot_calls.end(), opts.keep.begin(), opts.keep.end());
  std::vector<uint8_t> in;
  if (!ReadAll(args.input, in)) return 1;
  Expected<BindLocalResult> r = BindLocal(in.data(), in.size(), opts);
  if (!r) {
    std::fprintf(stderr, "lazylink bind-local: %s\n", r.error().Format().c_str());
    return 1;
  }
  OwnSlotsResult own;
  if (args.own_slots || args.own_slots_all) {
    Expected<OwnSlotsResult> o = AddOwnSlots(r->bytes.data(), r->bytes.size(), {opts.name, args.own_slots_all});
    if (!o) {
      std::fprintf(stderr, "lazylink bind-local: %s\n", o.error().Format().c_str());
      return 1;
    }
    own = std::move(*o);
    r->bytes = std::move(own.bytes);
  }
  GotMemoryResult got;
  if (args.got_in_memory) {
    Expected<GotMemoryResult> g = MoveGotToMemory(r->bytes.data(), r->bytes.size(), {opts.name});
    if (!g) {
      std::fprintf(stderr, "lazylink bind-local: %s\n", g.error().Format().c_str());
      return 1;
    }
    got = std::move(*g);
    r->bytes = std::move(got.bytes);
  }
  const std::string tmp = args.output + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    std::fprintf(stderr, "lazylink bind-local: cannot write %s: %s\n", tmp.c_str(), std::strerror(errno));
    return 1;
  }
  const bool ok = std::fwrite(r->bytes.data(), 1, r->bytes.size(), f) == r->bytes.size();
  const bool closed = std::fclose(f) == 0;
  if (!ok || !closed || std::rename(tmp.c_str(), args.output.c_str()) != 0) {
    std::fprintf(stderr, "lazylink bind-local: cannot write %s: %s\n", args.output.c_str(), std::strerror(errno));
    std::remove(tmp.c_str());
    return 1;
  }
  if (!args.quiet) {
    std::printf("%s: %u of %u function imports bound locally (%u calls), %u kept preemptible, "
                "%u still imported (address taken)%s; %zu -> %zu bytes\n",
                opts.name.c_str(), r->imports_removed, r->imports_before, r->calls_bound, r->kept, r->pinned,
                opts.immutable_got ? (", " + std::to_string(r->got_frozen) + " GOT imports immutable").c_str() : "",
                in.size(), r->bytes.size());
    if (!opts.slot_calls.empty()) {
      std::printf("%s: %u calls to %u functions go through their GOT.func slot (%u imports removed)\n",
                  opts.name.c_str(), r->slot_calls, r->slot_functions, r->slot_imports_removed);
    }
    if (args.own_slots || args.own_slots_all) {
      std::printf("%s: %u address-taken functions added to its element segment (%u there already), "
                  "table size %u\n", opts.name.c_str(), own.added, own.already, own.table_size);
    }
    if (args.got_in_memory) {
      std::printf("%s: %u GOT entries moved to memory at offset %u (%u kept)\n", opts.name.c_str(), got.moved,
                  got.offset, got.kept);
    }
  }
  return 0;
}

}  // namespace lazylink::rewrite
