// Start plans: the plan of an app's first load, made by `lazylink pack` and
// shipped in the manifest (field `start`, docs/manifest.md), so that in a
// browser main runs without waiting for the loader's core: the JS edge
// carries the plan out (Domain.start), the core loads meanwhile and checks
// it (Domain.adopt) before anything else is linked.
//
// A start plan is only used when it was made for what runs: the same plan
// format, the same host functions (module, name and signature of each, in
// order: a fingerprint), the same linker options. Otherwise load() plans
// at run time, as without one.
import { PLAN_VERSION } from './plan.mjs';
import { engineFeatures } from './component/features.mjs';

export const START_PLAN_VERSION = 1;

// 64-bit FNV-1a (two 32-bit lanes) of the host function list, as 16 hex
// digits: a change to any host function's name or signature changes it.
export function hostFingerprint(functions) {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const text = functions.map(([module, name, sig]) => `${module}\t${name}\t${sig || ''}\n`).join('');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2 * i + 1) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function int32sToBytes(codes) {
  const out = new Uint8Array(codes.length * 4);
  const view = new DataView(out.buffer);
  codes.forEach((v, i) => view.setInt32(4 * i, v, true));
  return out;
}

function bytesToInt32s(bytes) {
  if (bytes.length % 4) throw new Error('codes are not whole 32-bit words');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(4 * i, true);
  return out;
}

// The manifest's `start` object for a plan from Domain.makeStartPlan.
export function encodeStartPlan(plan, { hostFunctions, tailCalls }) {
  return {
    version: START_PLAN_VERSION,
    planVersion: PLAN_VERSION,
    host: hostFingerprint(hostFunctions),
    tailCalls: !!tailCalls,
    root: plan.root,
    flags: plan.flags,
    modules: plan.modules,
    // Import names ("module\tname") by module id, in order: import objects
    // are built while the engine compiles (checked again by adopt()).
    imports: plan.imports,
    codes: toBase64(int32sToBytes(plan.codes)),
    plt: toBase64(plan.plt),
    lazySlots: plan.lazySlots,
  };
}

// { plan } if the manifest's start plan can run here, else { why } (a
// sentence saying why not; load() then plans at run time).
//   linkerOptions: what load() was given as options.linker ({} normally)
export function usableStartPlan(start, { hostFunctions, linkerOptions = {} }) {
  if (!start || typeof start !== 'object') return { why: 'the manifest has no start plan' };
  if (start.version !== START_PLAN_VERSION || start.planVersion !== PLAN_VERSION) {
    return { why: `the start plan has format ${start.version}/${start.planVersion}, this loader reads ` +
                  `${START_PLAN_VERSION}/${PLAN_VERSION}` };
  }
  if (start.host !== hostFingerprint(hostFunctions)) {
    return { why: 'the start plan was made for other host functions (another lazylink version, or added providers)' };
  }
  if (start.tailCalls !== engineFeatures().tailCalls) return { why: 'the start plan assumes tail calls this engine lacks' };
  const custom = Object.keys(linkerOptions).filter((k) => linkerOptions[k] !== undefined && k !== 'searchPaths');
  if (custom.length) return { why: `linker options given (${custom.join(', ')})` };
  try {
    if (!Array.isArray(start.modules) || !Number.isInteger(start.root) || !start.modules[start.root]) {
      throw new Error('no root module');
    }
    return {
      plan: {
        root: start.root,
        flags: start.flags >>> 0,
        modules: start.modules,
        imports: Array.isArray(start.imports) ? start.imports : null,
        codes: bytesToInt32s(fromBase64(start.codes)),
        plt: fromBase64(start.plt),
        lazySlots: start.lazySlots && typeof start.lazySlots === 'object' ? start.lazySlots : {},
      },
    };
  } catch (e) {
    return { why: `the start plan is malformed: ${e.message}` };
  }
}
