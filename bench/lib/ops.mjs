// One measurement per fresh realm (a new browser page, or a new Node
// process): the loader, the engine and the JIT start cold, as on a real
// page load. The drivers (bench/*/run.mjs) call runOp in many fresh realms
// and aggregate.
//
//   op 'record'     one load through lazylink, its plan kept for the floor
//   op 'ours'       bytes in hand -> main ready, through lazylink's Domain
//   op 'floor'      the same modules, precomputed import objects
//   op 'breakdown'  one instrumented load through lazylink
//   op 'aot'        the shipped start-plan path: the recorded plan (what
//                   lazylink pack puts in the manifest) carried out by
//                   Domain.start without the core, timed from bytes in hand
//   op 'ours-warm', 'breakdown-warm'  the same after `opts.warmups` (2)
//                   earlier loads in this realm (other bytes): the loader's
//                   code compiled and tiered up, as for a module loaded
//                   lazily later in a session
//
// opts: { files: {name: url-or-path}, main, args, linker, entry, nonce, recorded,
//         coreDist }  (coreDist: another build of web/dist/, e.g. one with
//                      function names for profiles)
import { loadCore } from '../../web/core.mjs';
import { breakdownOurs, prepareFloor, recordPlan, runOurs, runStart } from './linkbench.mjs';
import { noncedFiles, now, settle } from './modules.mjs';

export async function readFiles(files, read) {
  const out = new Map();
  for (const [name, where] of Object.entries(files)) out.set(name, await read(where));
  return out;
}

function distUrl(where) {
  if (typeof location !== 'undefined') return new URL(where.endsWith('/') ? where : `${where}/`, location.href);
  return new URL(`file://${where.endsWith('/') ? where : `${where}/`}`);
}

export async function runOp(op, opts, read) {
  const raw = await readFiles(opts.files, read);
  const files = opts.nonce ? noncedFiles(raw, opts.nonce) : raw;
  const common = { files, main: opts.main, args: opts.args ?? [], linker: opts.linker ?? {}, entry: opts.entry ?? 'argv' };
  if (op === 'aot') {
    const r = await runStart({ ...common, recorded: opts.recorded });
    // Context, after main: what the core's later check of the plan costs
    // (Domain.adopt: the same parse and plan as a run-time load, on a cold
    // core), the core's own loading not included.
    const core = await loadCore(opts.coreDist ? { distUrl: distUrl(opts.coreDist) } : {});
    const t1 = now();
    await r.domain.adopt(core);
    return { ms: r.ms, result: r.result, stdout: r.stdout, adoptMs: now() - t1 };
  }
  if (op === 'floor') {
    // The floor runs none of lazylink's code: no core, no Domain.
    const floor = prepareFloor({ ...common, recorded: opts.recorded, maxMemoryPages: common.linker.maxMemoryPages });
    return floor.run(files);
  }
  const t0 = now();
  const core = await loadCore(opts.coreDist ? { distUrl: distUrl(opts.coreDist) } : {});
  const coreMs = now() - t0;
  if (op === 'record') return recordPlan({ core, ...common });
  if (op.endsWith('-warm')) {
    for (let k = 0; k < (opts.warmups ?? 2); k++) {
      await runOurs({ core, ...common, files: noncedFiles(raw, `${opts.nonce}-warmup${k}`), runMain: false });
    }
    await settle();
    op = op.slice(0, -'-warm'.length);
  }
  if (op === 'breakdown') return { coreMs, ...(await breakdownOurs({ core, ...common })) };
  if (op === 'ours') {
    const r = await runOurs({ core, ...common, profile: !!opts.profile });
    return {
      ms: r.ms, coreMs, result: r.result, stdout: r.stdout,
      modules: r.modules.map((m) => ({ name: m.name, bytes: m.bytes, timings: m.timings })),
    };
  }
  throw new Error(`unknown op ${op}`);
}
