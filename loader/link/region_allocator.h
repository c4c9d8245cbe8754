// lazylink: a first-fit allocator over address ranges, used for a domain's
// module data regions (byte addresses in linear memory) and for its table
// slots (indices in the funcref table). Regions can be given back, and
// adjacent free ranges merge, so unloading a module returns its space.
//
//   RegionAllocator mem;
//   mem.AddRange(1024, 1 << 20);                  // space the loader owns
//   std::optional<uint64_t> a = mem.Allocate(300, 16);  // 16-aligned
//   mem.Free(*a);
#ifndef LAZYLINK_LINK_REGION_ALLOCATOR_H_
#define LAZYLINK_LINK_REGION_ALLOCATOR_H_

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace lazylink::link {

class RegionAllocator {
 public:
  struct Region {
    uint64_t start = 0;
    uint64_t size = 0;
  };

  // Adds [start, start + size) to the space this allocator hands out.
  // Ranges must not overlap what it already owns.
  void AddRange(uint64_t start, uint64_t size);

  // First fit: the lowest address, aligned to `align` (a power of two),
  // with `size` bytes free. Zero-sized requests get a unique address of
  // size 1 so that every region has an identity. nullopt when nothing fits.
  std::optional<uint64_t> Allocate(uint64_t size, uint64_t align);

  // Gives a region back. Returns false if `start` is not an allocated region.
  bool Free(uint64_t start);

  // Size of the allocated region at `start`, or 0.
  uint64_t SizeOf(uint64_t start) const;

  // One past the highest address this allocator owns (0 if none).
  uint64_t End() const { return end_; }
  // One past the highest address ever allocated (0 if none): how much of
  // the space has been touched, e.g. how large a table must be.
  uint64_t HighWater() const { return high_water_; }
  // Stops handing out space at or above `limit` (free space there is
  // dropped; allocated regions are kept and can still be freed, returning
  // only what lies below `limit`).
  void TruncateAt(uint64_t limit);
  // Free space (bytes or slots) in all ranges.
  uint64_t FreeTotal() const;
  // Allocated regions, by address.
  std::vector<Region> Allocated() const;

 private:
  std::map<uint64_t, uint64_t> free_;   // start -> size, non-adjacent
  std::map<uint64_t, uint64_t> used_;   // start -> size
  uint64_t end_ = 0;
  uint64_t high_water_ = 0;
  uint64_t limit_ = ~uint64_t{0};
  void InsertFree(uint64_t start, uint64_t size);
};

}  // namespace lazylink::link

#endif  // LAZYLINK_LINK_REGION_ALLOCATOR_H_
