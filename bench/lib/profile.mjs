// Chrome CPU profiles (CDP Profiler) of one benchmark op in a fresh page:
// self time per function, for finding where a missed target's time goes.
//
//   node bench/lib/profile.mjs OP OPTS_JSON [--top 40] [--out file.cpuprofile]
// OPTS_JSON as for bench/lib/ops.mjs (files as URLs on the bench server;
// 'floor' needs opts.recorded: run 'record' first, as the drivers do). With
// "profile": true in OPTS_JSON, op 'ours' profiles only its timed span.
import fs from 'node:fs';
import { callPage, openBench } from './browser.mjs';

// C++ names without their template arguments and std:: noise.
function short(name) {
  let out = '';
  let depth = 0;
  for (const ch of name) {
    if (ch === '<') depth++;
    if (depth === 0) out += ch;
    if (ch === '>') depth = Math.max(0, depth - 1);
  }
  out = out.replace(/std::__2::/g, 'std::').replace(/\(anonymous namespace\)::/g, '');
  return out.length > 160 ? `${out.slice(0, 157)}...` : out;
}

// Self time (ms) per function from a CDP profile, largest first.
export function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    const f = n.callFrame;
    const url = f.url ? f.url.split('/').slice(-2).join('/') : '';
    const key = `${short(f.functionName || '(anonymous)')} ${url}${url ? `:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]);
}

// Inclusive time (ms) per function: samples whose stack contains it.
export function inclusiveTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n) => {
    const f = n.callFrame;
    const url = f.url ? f.url.split('/').slice(-2).join('/') : '';
    return `${short(f.functionName || '(anonymous)')} ${url}${url ? `:${f.lineNumber + 1}` : ''}`;
  };
  const incl = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const k = label(byId.get(id));
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    }
  }
  return [...incl.entries()].sort((a, b) => b[1] - a[1]);
}

export async function profileOp(bench, op, opts, { samplingUs = 100 } = {}) {
  const p = await bench.page('/bench/lib/page.html');
  try {
    await p.page.waitForFunction(() => window.__benchReady);
    const cdp = await p.context.newCDPSession(p.page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: samplingUs });
    if (opts.profile) {
      // The op profiles its own timed span (console.profile in runOurs).
      const got = new Promise((resolve) => cdp.on('Profiler.consoleProfileFinished', (e) => resolve(e.profile)));
      const result = await callPage(p.page, 'benchOp', { op, opts });
      return { result, profile: await got };
    }
    await cdp.send('Profiler.start');
    const result = await callPage(p.page, 'benchOp', { op, opts });
    const { profile } = await cdp.send('Profiler.stop');
    return { result, profile };
  } finally {
    await p.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [op, json, ...rest] = process.argv.slice(2);
  if (rest.includes('--from')) {
    // Re-analyse a saved profile: profile.mjs - - --from file.cpuprofile
    const profile = JSON.parse(fs.readFileSync(rest[rest.indexOf('--from') + 1], 'utf8'));
    const top = rest.includes('--top') ? Number(rest[rest.indexOf('--top') + 1]) : 40;
    for (const [k, ms] of inclusiveTimes(profile).slice(0, top)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${k}`);
    process.exit(0);
  }
  const top = rest.includes('--top') ? Number(rest[rest.indexOf('--top') + 1]) : 40;
  const out = rest.includes('--out') ? rest[rest.indexOf('--out') + 1] : null;
  const bench = await openBench();
  try {
    const { result, profile } = await profileOp(bench, op, JSON.parse(fs.readFileSync(json, 'utf8')));
    if (out) fs.writeFileSync(out, JSON.stringify(profile));
    console.log(`op ${op}: ${result.ms?.toFixed?.(1) ?? result.totalMs?.toFixed?.(1)} ms`);
    console.log('self time:');
    for (const [k, ms] of selfTimes(profile).slice(0, top)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${k}`);
    console.log('inclusive time:');
    for (const [k, ms] of inclusiveTimes(profile).slice(0, top)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${k}`);
  } finally {
    await bench.close();
  }
}
