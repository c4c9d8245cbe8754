#include "loader/rewrite/bind_local.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "loader/wasm/test_builder.h"

namespace lazylink::rewrite {
namespace {

using namespace wasm::testing;  // NOLINT

// A side module with two function imports: env.host (defined nowhere here)
// and env.weak (also defined and exported here, as wasm-ld emits a weak
// definition). Function 2 (`weak`) returns 7; function 3 (`user`) calls
// host, then weak twice (once through return_call).
//   extra_sections: appended after the code section (e.g. a name section).
Bytes SideModule(const Bytes& elem = {}, const Bytes& extra_sections = {}, const Bytes& user_extra = {}) {
  const Bytes types = Section(kType, Cat(Leb(2), FuncSig({}, {kI32}), FuncSig({}, {})));
  const Bytes imports = Section(kImport, Cat(Leb(2),
      Str("env"), Str("host"), Bytes{0x00}, Leb(1),
      Str("env"), Str("weak"), Bytes{0x00}, Leb(0)));
  const Bytes funcs = Section(kFunction, Cat(Leb(2), Leb(0), Leb(0)));
  const Bytes table = Section(kTable, Cat(Leb(1), Bytes{0x70, 0x00}, Leb(4)));
  const Bytes exports = Section(kExport, Cat(Leb(2), Str("weak"), Bytes{0x00}, Leb(2),
      Str("user"), Bytes{0x00}, Leb(3)));
  const Bytes weak_body = Cat(Leb(0), Bytes{0x41, 0x07, kEnd});
  const Bytes user_body = Cat(Leb(0), Bytes{0x10, 0x00},  // call host
      Bytes{0x10, 0x01, 0x1a},                              // call weak; drop
      user_extra,
      Bytes{0x12, 0x01, kEnd});                             // return_call weak
  const Bytes code = Section(kCode, Cat(Leb(2), Leb(weak_body.size()), weak_body,
      Leb(user_body.size()), user_body));
  const Bytes dylink = Custom("dylink.0", Cat(
      Subsection(kMemInfo, Cat(Leb(0), Leb(0), Leb(0), Leb(0))),
      Subsection(kImportInfo, Cat(Leb(1), Str("env"), Str("weak"), Leb(1)))));
  Bytes out = ModuleBytes({dylink, types, imports, funcs, table, exports});
  if (!elem.empty()) Append(out, elem);
  Append(out, code);
  Append(out, extra_sections);
  return out;
}

Expected<BindLocalResult> Bind(const Bytes& m, std::vector<std::string> keep = {}) {
  return BindLocal(m.data(), m.size(), {"side.wasm", std::move(keep)});
}

TEST(BindLocal, CallsToOwnWeakDefinitionBecomeDirectAndTheImportGoes) {
  auto r = Bind(SideModule());
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(2u, r->imports_before);
  EXPECT_EQ(1u, r->imports_removed);
  EXPECT_EQ(2u, r->calls_bound);
  auto m = Read(r->bytes);
  ASSERT_TRUE(m.ok()) << m.error().Format();
  ASSERT_EQ(1u, m->imports.size());
  EXPECT_EQ("host", m->imports[0].field);
  // Renumbered: weak is now function 1, user function 2.
  EXPECT_EQ(1u, m->FindExport("weak")->index);
  EXPECT_EQ(2u, m->FindExport("user")->index);
  // user's body: call 0 (host), call 1 (weak, defined), return_call 1.
  const wasm::FunctionBody& user = m->code[1];
  const Bytes body(r->bytes.begin() + user.offset, r->bytes.begin() + user.offset + user.size);
  EXPECT_EQ(Bytes({0x00, 0x10, 0x00, 0x10, 0x01, 0x1a, 0x12, 0x01, kEnd}), body);
  // The weak import's dylink.0 import info went with it.
  EXPECT_EQ(0u, m->ImportFlags("env", "weak"));
  EXPECT_TRUE(m->dylink.has_mem_info);
}

TEST(BindLocal, KeptNamesStayImported) {
  for (const char* pattern : {"weak", "we*"}) {
    auto r = Bind(SideModule(), {pattern});
    ASSERT_TRUE(r.ok()) << r.error().Format();
    EXPECT_EQ(0u, r->imports_removed) << pattern;
    EXPECT_EQ(1u, r->kept) << pattern;
    EXPECT_EQ(SideModule(), r->bytes) << "nothing to do: the same bytes";
  }
}

TEST(BindLocal, AddressTakenImportStaysForIdentityButCallsAreBound) {
  // An element segment holding the imported `weak` (function 1).
  const Bytes elem = Section(kElem, Cat(Leb(1), Leb(0), Bytes{0x41, 0x00, kEnd}, Leb(1), Leb(1)));
  auto r = Bind(SideModule(elem));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(0u, r->imports_removed);
  EXPECT_EQ(1u, r->pinned);
  EXPECT_EQ(2u, r->calls_bound);
  auto m = Read(r->bytes);
  ASSERT_TRUE(m.ok()) << m.error().Format();
  EXPECT_EQ(2u, m->imports.size());
  ASSERT_EQ(1u, m->elements.size());
  EXPECT_EQ(std::vector<uint32_t>{1}, m->elements[0].func_indices);
  const wasm::FunctionBody& user = m->code[1];
  const Bytes body(r->bytes.begin() + user.offset, r->bytes.begin() + user.offset + user.size);
  EXPECT_EQ(Bytes({0x00, 0x10, 0x00, 0x10, 0x02, 0x1a, 0x12, 0x02, kEnd}), body);
}

TEST(BindLocal, RenumbersElementsAndFunctionNames) {
  // Elements in the expression encoding (flags 4) naming `user` (3), and
  // a name section naming all four functions.
  const Bytes elem = Section(kElem, Cat(Leb(1), Leb(4), Bytes{0x41, 0x00, kEnd}, Leb(2),
      Bytes{0xd2, 0x03, kEnd}, Bytes{0xd0, 0x70, kEnd}));
  const Bytes names = Custom("name", Cat(
      Subsection(0, Str("side")),
      Subsection(1, Cat(Leb(4), Leb(0), Str("host"), Leb(1), Str("weak_import"),
                        Leb(2), Str("weak"), Leb(3), Str("user")))));
  auto r = Bind(SideModule(elem, names));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(1u, r->imports_removed);
  auto m = Read(r->bytes);
  ASSERT_TRUE(m.ok()) << m.error().Format();
  ASSERT_EQ(1u, m->elements.size());
  EXPECT_EQ(2u, m->elements[0].func_indices[0]);
  EXPECT_EQ(wasm::kNullElement, m->elements[0].func_indices[1]);
  EXPECT_EQ("host", *m->FunctionName(0));
  EXPECT_EQ("weak", *m->FunctionName(1));
  EXPECT_EQ("user", *m->FunctionName(2));
  EXPECT_EQ("side", m->names.module_name);
}

TEST(BindLocal, DifferentTypeIsNotBound) {
  // Export `user` (() -> i32) as "host" (imported as () -> nil): the same
  // name, not the same function; that import stays.
  Bytes m = SideModule();
  const Bytes user = Str("user");
  auto at = std::search(m.begin(), m.end(), user.begin(), user.end());
  ASSERT_NE(m.end(), at);
  const Bytes host = Str("host");
  std::copy(host.begin(), host.end(), at);
  auto r = Bind(m);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(1u, r->imports_removed);
  auto read = Read(r->bytes);
  ASSERT_TRUE(read.ok()) << read.error().Format();
  ASSERT_EQ(1u, read->imports.size());
  EXPECT_EQ("host", read->imports[0].field);
}

TEST(BindLocal, BindingTwiceChangesNothing) {
  auto once = Bind(SideModule());
  ASSERT_TRUE(once.ok());
  auto twice = Bind(once->bytes);
  ASSERT_TRUE(twice.ok()) << twice.error().Format();
  EXPECT_EQ(0u, twice->imports_removed);
  EXPECT_EQ(once->bytes, twice->bytes);
}

TEST(BindLocal, UnknownInstructionFailsWithItsOffset) {
  const Bytes m = SideModule({}, {}, Bytes{0xff});
  auto r = Bind(m);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string::npos, r.error().message.find("unknown instruction 0xff")) << r.error().Format();
  ASSERT_NE(kNoOffset, r.error().offset);
  EXPECT_EQ(0xff, m[r.error().offset]);
}

TEST(BindLocal, EveryInstructionEncodingIsWalked) {
  // Blocks with each block type, br_table, memory ops with and without a
  // memory index, constants, 0xfc and 0xfd prefixed instructions: the call
  // after them is still found and bound.
  const Bytes extra = {
      0x02, 0x40, 0x0b,                          // block end
      0x03, 0x7f, 0x41, 0x01, 0x0b, 0x1a,        // loop (result i32) i32.const 1 end drop
      0x41, 0x00, 0x04, 0x40, 0x05, 0x0b,        // i32.const 0 if else end
      0x02, 0x40, 0x41, 0x00, 0x0e, 0x02, 0x00, 0x00, 0x00, 0x0b,  // block br_table end
      0x41, 0x00, 0x28, 0x02, 0x80, 0x01, 0x1a,  // i32.load align=2 offset=128 drop
      0x42, 0x80, 0x7f, 0x1a,                    // i64.const -128 drop
      0x43, 0, 0, 0, 0, 0x1a,                    // f32.const drop
      0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x1a,        // f64.const drop
      0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0b, 0x00,  // memory.fill
      0x3f, 0x00, 0x1a,                          // memory.size drop
      0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1a,  // v128.const drop
      0x10, 0x01, 0x1a,                          // call weak drop
  };
  auto r = Bind(SideModule({}, {}, extra));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(3u, r->calls_bound);
  EXPECT_EQ(1u, r->imports_removed);
  EXPECT_TRUE(Read(r->bytes).ok());
}

TEST(BindLocal, RefusesObjectFilesAndDebugInfo) {
  for (const char* name : {"linking", ".debug_info"}) {
    Bytes m = SideModule();
    Append(m, Custom(name, Bytes{0x02}));
    auto r = Bind(m);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_NE(std::string::npos, r.error().message.find(name)) << r.error().Format();
  }
}

TEST(BindLocal, TruncatedModuleFailsCleanly) {
  const Bytes m = SideModule();
  for (size_t len = 9; len < m.size(); len++) {
    auto r = BindLocal(m.data(), len, {"side.wasm", {}});
    if (r.ok()) continue;  // a prefix ending at a section boundary
    EXPECT_LE(r.error().offset, len) << r.error().Format();
  }
}

// Four GOT imports: GOT.mem.a and GOT.func.b only read, GOT.mem.c written
// by a global.set, GOT.mem.d re-exported; plus an env global.
Bytes GotModule() {
  const Bytes types = Section(kType, Cat(Leb(1), FuncSig({}, {})));
  const Bytes mut_i32 = Bytes{0x03, kI32, 0x01};
  const Bytes imports = Section(kImport, Cat(Leb(5),
      Str("GOT.mem"), Str("a"), mut_i32, Str("GOT.func"), Str("b"), mut_i32,
      Str("GOT.mem"), Str("c"), mut_i32, Str("GOT.mem"), Str("d"), mut_i32,
      Str("env"), Str("e"), mut_i32));
  const Bytes funcs = Section(kFunction, Cat(Leb(1), Leb(0)));
  const Bytes exports = Section(kExport, Cat(Leb(2), Str("f"), Bytes{0x00}, Leb(0),
      Str("d"), Bytes{0x03}, Leb(3)));
  const Bytes body = Cat(Leb(0), Bytes{0x23, 0x00, 0x23, 0x01, 0x6a,  // a + b
      0x24, 0x02, kEnd});                                               // -> c
  const Bytes code = Section(kCode, Cat(Leb(1), Leb(body.size()), body));
  const Bytes dylink = Custom("dylink.0", Subsection(kMemInfo, Cat(Leb(0), Leb(0), Leb(0), Leb(0))));
  return ModuleBytes({dylink, types, imports, funcs, exports, code});
}

TEST(BindLocal, ImmutableGotFreezesOnlyGotImportsNothingWrites) {
  const Bytes in = GotModule();
  BindLocalOptions opts{"got.wasm", {}};
  auto same = BindLocal(in.data(), in.size(), opts);
  ASSERT_TRUE(same.ok()) << same.error().Format();
  EXPECT_EQ(in, same->bytes) << "without the option: untouched";
  opts.immutable_got = true;
  auto r = BindLocal(in.data(), in.size(), opts);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(2u, r->got_frozen);
  auto m = Read(r->bytes);
  ASSERT_TRUE(m.ok()) << m.error().Format();
  ASSERT_EQ(5u, m->imports.size());
  const bool expect_mutable[] = {false, false, true, true, true};  // a b | c (written) d (exported) e (env)
  for (size_t i = 0; i < 5; i++) {
    EXPECT_EQ(expect_mutable[i], m->imports[i].global.is_mutable) << m->imports[i].field;
  }
  EXPECT_EQ(in.size(), r->bytes.size());
}

// For slot calls: env.lazy (called twice, once by return_call), env.ptr
// (called, and re-exported, so its import stays) with its GOT.func.ptr
// import, env.weakfn (weak: left alone), no table, and a defined global
// that code reads, an export names and the name section names.
Bytes SlotModule() {
  const Bytes types = Section(kType, Cat(Leb(2), FuncSig({}, {kI32}), FuncSig({}, {})));
  const Bytes imports = Section(kImport, Cat(Leb(4),
      Str("env"), Str("lazy"), Bytes{0x00}, Leb(0),
      Str("env"), Str("ptr"), Bytes{0x00}, Leb(0),
      Str("GOT.func"), Str("ptr"), Bytes{0x03, kI32, 0x01},
      Str("env"), Str("weakfn"), Bytes{0x00}, Leb(0)));
  const Bytes funcs = Section(kFunction, Cat(Leb(1), Leb(0)));
  const Bytes globals = Section(kGlobal, Cat(Leb(1), Bytes{kI32, 0x01, 0x41, 0x05, kEnd}));
  const Bytes exports = Section(kExport, Cat(Leb(3), Str("user"), Bytes{0x00}, Leb(3),
      Str("ptr_again"), Bytes{0x00}, Leb(1), Str("data_sym"), Bytes{0x03}, Leb(1)));
  const Bytes body = Cat(Leb(0), Bytes{0x10, 0x00, 0x1a,  // call lazy; drop
      0x10, 0x01, 0x1a,                                    // call ptr; drop
      0x23, 0x01, 0x1a,                                    // global.get data_sym; drop
      0x10, 0x02, 0x1a,                                    // call weakfn; drop
      0x12, 0x00, kEnd});                                  // return_call lazy
  const Bytes code = Section(kCode, Cat(Leb(1), Leb(body.size()), body));
  const Bytes names = Custom("name", Subsection(7, Cat(Leb(1), Leb(1), Str("data_sym"))));
  const Bytes dylink = Custom("dylink.0", Cat(
      Subsection(kMemInfo, Cat(Leb(0), Leb(0), Leb(0), Leb(0))),
      Subsection(kImportInfo, Cat(Leb(1), Str("env"), Str("weakfn"), Leb(1)))));
  return ModuleBytes({dylink, types, imports, funcs, globals, exports, code, names});
}

TEST(BindLocal, SlotCallsGoThroughGotFuncAndGlobalsAreRenumbered) {
  const Bytes in = SlotModule();
  BindLocalOptions opts{"slot.wasm", {}};
  opts.bind_weak = false;
  opts.slot_calls = {"lazy", "ptr", "weak*"};
  auto r = BindLocal(in.data(), in.size(), opts);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(2u, r->slot_functions);
  EXPECT_EQ(3u, r->slot_calls);
  EXPECT_EQ(1u, r->slot_imports_removed);  // lazy; ptr is re-exported
  auto m = Read(r->bytes);
  ASSERT_TRUE(m.ok()) << m.error().Format();
  // ptr, GOT.func.ptr, weakfn, then the added GOT.func.lazy and the table.
  ASSERT_EQ(5u, m->imports.size());
  EXPECT_EQ("ptr", m->imports[0].field);
  EXPECT_EQ("weakfn", m->imports[2].field);
  EXPECT_EQ("GOT.func", m->imports[3].module);
  EXPECT_EQ("lazy", m->imports[3].field);
  EXPECT_FALSE(m->imports[3].global.is_mutable);
  EXPECT_EQ(wasm::ExternalKind::kTable, m->imports[4].kind);
  EXPECT_EQ("__indirect_function_table", m->imports[4].field);
  // The defined global moved from 1 to 2, the function from 3 to 2.
  EXPECT_EQ(2u, m->FindExport("data_sym")->index);
  EXPECT_EQ(2u, m->FindExport("user")->index);
  EXPECT_EQ(0u, m->FindExport("ptr_again")->index);
  ASSERT_EQ(1u, m->code.size());
  const Bytes body(r->bytes.begin() + m->code[0].offset, r->bytes.begin() + m->code[0].offset + m->code[0].size);
  const Bytes want = Cat(Leb(0), Bytes{0x23, 0x01, 0x11, 0x00, 0x00, 0x1a,  // GOT.func.lazy; call_indirect
      0x23, 0x00, 0x11, 0x00, 0x00, 0x1a,                                  // GOT.func.ptr; call_indirect
      0x23, 0x02, 0x1a,                                                    // data_sym, renumbered
      0x10, 0x01, 0x1a,                                                    // weakfn: a plain call
      0x23, 0x01, 0x13, 0x00, 0x00, kEnd});                                // return_call_indirect
  EXPECT_EQ(want, body);
  // The name section names the global by its new index.
  const Bytes name_entry = Cat(Leb(2), Str("data_sym"));
  EXPECT_NE(std::search(r->bytes.begin(), r->bytes.end(), name_entry.begin(), name_entry.end()), r->bytes.end());
}

TEST(BindLocal, SlotCallsNeedTheFunctionTable) {
  // SideModule defines its own table and imports none: no slot to call through.
  const Bytes in = SideModule();
  BindLocalOptions opts{"side.wasm", {}};
  opts.bind_weak = false;
  opts.slot_calls = {"host"};
  auto r = BindLocal(in.data(), in.size(), opts);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string::npos, r.error().Format().find("env.__indirect_function_table")) << r.error().Format();
}

TEST(BindLocal, MatchesKeep) {
  EXPECT_TRUE(MatchesKeep({"malloc"}, "malloc"));
  EXPECT_FALSE(MatchesKeep({"malloc"}, "malloc2"));
  EXPECT_TRUE(MatchesKeep({"_Znw*"}, "_Znwm"));
  EXPECT_TRUE(MatchesKeep({"*"}, "anything"));
  EXPECT_FALSE(MatchesKeep({"_Znw*"}, "_Zna"));
  EXPECT_FALSE(MatchesKeep({}, "x"));
}

}  // namespace
}  // namespace lazylink::rewrite
