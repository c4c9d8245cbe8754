#include "loader/link/region_allocator.h"

#include <iterator>

namespace lazylink::link {

void RegionAllocator::AddRange(uint64_t start, uint64_t size) {
  if (size == 0) return;
  InsertFree(start, size);
  if (start + size > end_) end_ = start + size;
}

void RegionAllocator::TruncateAt(uint64_t limit) {
  limit_ = limit;
  while (!free_.empty()) {
    auto last = std::prev(free_.end());
    if (last->first >= limit) {
      free_.erase(last);
    } else if (last->first + last->second > limit) {
      last->second = limit - last->first;
      break;
    } else {
      break;
    }
  }
  if (end_ > limit) end_ = limit;
}

void RegionAllocator::InsertFree(uint64_t start, uint64_t size) {
  if (start >= limit_) return;
  if (start + size > limit_) size = limit_ - start;
  auto next = free_.lower_bound(start);
  // Merge with the following range if adjacent.
  if (next != free_.end() && start + size == next->first) {
    size += next->second;
    next = free_.erase(next);
  }
  // Merge with the preceding range if adjacent.
  if (next != free_.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second == start) {
      prev->second += size;
      return;
    }
  }
  free_.emplace(start, size);
}

std::optional<uint64_t> RegionAllocator::Allocate(uint64_t size, uint64_t align) {
  if (align == 0) align = 1;
  if ((align & (align - 1)) != 0) return std::nullopt;
  if (size == 0) size = 1;
  for (auto it = free_.begin(); it != free_.end(); ++it) {
    const uint64_t start = it->first;
    const uint64_t len = it->second;
    const uint64_t aligned = (start + align - 1) & ~(align - 1);
    if (aligned < start || aligned - start > len || len - (aligned - start) < size) continue;
    const uint64_t head = aligned - start;
    const uint64_t tail = len - head - size;
    free_.erase(it);
    if (head) free_.emplace(start, head);
    if (tail) free_.emplace(aligned + size, tail);
    used_.emplace(aligned, size);
    if (aligned + size > high_water_) high_water_ = aligned + size;
    return aligned;
  }
  return std::nullopt;
}

bool RegionAllocator::Free(uint64_t start) {
  auto it = used_.find(start);
  if (it == used_.end()) return false;
  const uint64_t size = it->second;
  used_.erase(it);
  InsertFree(start, size);
  return true;
}

uint64_t RegionAllocator::SizeOf(uint64_t start) const {
  auto it = used_.find(start);
  return it == used_.end() ? 0 : it->second;
}

uint64_t RegionAllocator::FreeTotal() const {
  uint64_t total = 0;
  for (const auto& [start, size] : free_) total += size;
  return total;
}

std::vector<RegionAllocator::Region> RegionAllocator::Allocated() const {
  std::vector<Region> out;
  out.reserve(used_.size());
  for (const auto& [start, size] : used_) out.push_back({start, size});
  return out;
}

}  // namespace lazylink::link
