// The exceptions benchmark, in any realm (Node, or a Chromium page): the
// same -fexceptions program (invoke_main.cc, invoke_callee.cc, invoke_jmp.c)
// in two domains, one whose invoke_ imports are the wasm wrappers
// (runtime/host/invoke_wasm.mjs) and one whose are the JS wrappers
// lazylink used before them (unwind.mjs, host option wasmInvoke: false).
// Loops, timed in rounds of short blocks, the two domains alternating:
//   calls     n calls that do not throw, each through invoke_ii
//   throws    n C++ throws, each caught in the loop (invoke_vi, __cxa_*)
//   setjmp    n calls under setjmp (invoke_ii), no longjmp
//   longjmp   n longjmps back to a setjmp in the loop (invoke_vii)
//
//   const r = await benchInvoke({ core, bytes: Map(name -> Uint8Array), rounds, n });
//   r.nsPerOp.calls.wasm.median, r.ratios.calls.median (wasm / JS)
import { Domain, RTLD_GLOBAL, RTLD_NOW } from '../../web/domain.mjs';
import { createHost } from '../../runtime/host/index.mjs';
import { memFetcher } from '../lib/modules.mjs';
import { summarize } from '../lib/stats.mjs';

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

// Loop export, and how many of its operations a round runs (throws cost
// far more than calls).
export const LOOPS = {
  calls: { fn: 'bench_calls', scale: 1, expect: (n) => (n * (n + 1)) / 2 + n },
  throws: { fn: 'bench_throws', scale: 1 / 100, expect: (n) => (n * (n - 1)) / 2 },
  setjmp: { fn: 'bench_setjmp_loop', scale: 1, expect: (n) => (n * (n + 1)) / 2 },
  longjmp: { fn: 'bench_longjmp_loop', scale: 1 / 100, expect: (n) => (n * (n - 1)) / 2 },
};

async function domainFor(core, bytes, wasmInvoke) {
  const host = createHost({ wasmInvoke, stdout: () => {}, stderr: () => {} });
  const domain = new Domain({ core, host, fetcher: memFetcher(bytes), lazyMode: 'none' });
  const id = await domain.load('invoke_bench.wasm', RTLD_NOW | RTLD_GLOBAL);
  const stats = host.context.invokeStats;
  if (wasmInvoke ? stats.wasm === 0 || stats.js !== 0 : stats.wasm !== 0) {
    throw new Error(`the ${wasmInvoke ? 'wasm' : 'JS'} domain got ${stats.wasm} wasm and ${stats.js} JS invoke_ wrappers`);
  }
  return { domain, exports: domain.exportsOf(id), stats };
}

export async function benchInvoke({ core, bytes, rounds = 15, n = 2_000_000 }) {
  const variants = { wasm: await domainFor(core, bytes, true), js: await domainFor(core, bytes, false) };
  const ns = {};
  for (const loop of Object.keys(LOOPS)) ns[loop] = { wasm: [], js: [] };
  const run = (variant, loop, count) => {
    const { fn, expect } = LOOPS[loop];
    const t0 = now();
    const r = variants[variant].exports[fn](count);
    const dt = now() - t0;
    // (32-bit wrap-around of the C sums)
    if ((r | 0) !== (expect(count) | 0)) throw new Error(`${variant} ${fn}(${count}) = ${r}, expected ${expect(count) | 0}`);
    return (dt * 1e6) / count;
  };
  // Warm up (tier-up) every loop in both domains.
  for (const loop of Object.keys(LOOPS)) {
    const count = Math.max(10, Math.round(n * LOOPS[loop].scale / 10));
    for (const v of Object.keys(variants)) run(v, loop, count);
  }
  // Each round runs `count` operations per variant as BLOCKS short blocks,
  // the two variants alternating (and taking turns to go first), so that
  // what else the machine does falls on both alike.
  const BLOCKS = 20;
  for (let i = 0; i < rounds; i++) {
    for (const loop of Object.keys(LOOPS)) {
      const count = Math.max(10, Math.round(n * LOOPS[loop].scale));
      const block = Math.max(1, Math.round(count / BLOCKS));
      const total = { wasm: 0, js: 0 };
      for (let b = 0; b < BLOCKS; b++) {
        const order = (i + b) % 2 ? ['js', 'wasm'] : ['wasm', 'js'];
        for (const v of order) total[v] += run(v, loop, block);
      }
      for (const v of Object.keys(total)) ns[loop][v].push(total[v] / BLOCKS);
    }
  }
  const nsPerOp = {};
  const ratios = {};
  for (const loop of Object.keys(LOOPS)) {
    nsPerOp[loop] = { wasm: summarize(ns[loop].wasm), js: summarize(ns[loop].js),
                      count: Math.max(10, Math.round(n * LOOPS[loop].scale)) };  // per variant and round
    ratios[loop] = summarize(ns[loop].wasm.map((x, k) => x / ns[loop].js[k]));
  }
  return { nsPerOp, ratios, rounds, invokes: { wasm: variants.wasm.stats.wasm, js: variants.js.stats.js } };
}
