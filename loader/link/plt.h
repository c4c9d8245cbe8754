// lazylink: the procedure linkage table, emitted as a small wasm module.
//
// Each entry is a function exported as "t<k>". A trampoline forwards its
// arguments with call_indirect through a table slot; whatever the slot holds
// (the real function once its module is instantiated, a resolver before) is
// what the call reaches, wasm to wasm. A host thunk wraps an imported host
// function ("h"."<k>") so that it can live in the table, for host functions
// whose address is taken (GOT.func). A lazy entry adds a resolver "r<k>":
// it calls the host's "lazylink"."resolve"(slot), which loads the module
// that defines the function and puts it in the slot, then forwards the call
// through the slot. The slot holds the resolver until then, so the first
// call (or a call through a function pointer) loads; every later call is
// wasm to wasm.
//
//   PltBuilder plt;
//   uint32_t k = plt.AddTrampoline(type, slot);   // export "t<k>"
//   std::vector<uint8_t> bytes = plt.Finish(table_size);
#ifndef LAZYLINK_LINK_PLT_H_
#define LAZYLINK_LINK_PLT_H_

#include <cstdint>
#include <map>
#include <vector>

#include "loader/wasm/module.h"

namespace lazylink::link {

class PltBuilder {
 public:
  // Deduplicated by slot: one trampoline per slot.
  uint32_t AddTrampoline(const wasm::FuncType& type, uint32_t slot);
  // Deduplicated by host function.
  uint32_t AddHostThunk(const wasm::FuncType& type, uint32_t host_index);
  // A trampoline "t<k>" and a resolver "r<k>" for a lazily bound slot.
  uint32_t AddLazy(const wasm::FuncType& type, uint32_t slot);

  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  // Host function index of each import "h"."<k>", in order.
  const std::vector<uint32_t>& host_imports() const { return host_imports_; }
  // The module; it imports env.__indirect_function_table with at least
  // `table_min` slots. `tail_calls`: trampolines and resolvers forward with
  // return_call_indirect (the engine must support wasm tail calls).
  std::vector<uint8_t> Finish(uint32_t table_min, bool tail_calls = false) const;

 private:
  struct Entry {
    wasm::FuncType type;
    bool host = false;
    bool lazy = false;
    uint32_t target = 0;  // slot, or host import number
  };
  std::vector<Entry> entries_;
  std::map<uint32_t, uint32_t> by_slot_;
  std::map<uint32_t, uint32_t> by_host_;
  std::vector<uint32_t> host_imports_;
};

}  // namespace lazylink::link

#endif  // LAZYLINK_LINK_PLT_H_
