// SHA-256 throughput under Node: the core's sha256Hex (our C++ compiled to
// wasm, what synchronous loads use) vs WebCrypto (what asynchronous loads
// use) vs node:crypto. Not a ctest entry; run by hand:
//   node tests/net/sha256_speed.mjs [MiB=16]
// The native number: clang++ -std=c++17 -O2 -I. loader/support/sha256.cc
//   tests/net/sha256_speed.cc -o /tmp/sha256_speed && /tmp/sha256_speed
import crypto from 'node:crypto';
import { loadCore } from '../../web/core.mjs';

const mib = Number(process.argv[2] || 16);
const data = new Uint8Array(mib << 20);
for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
const core = await loadCore();

async function best(label, fn, runs = 5) {
  let ms = Infinity;
  let digest;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    digest = await fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  console.log(`${label.padEnd(32)} ${(mib / (ms / 1000)).toFixed(0).padStart(6)} MiB/s  (${ms.toFixed(1)} ms for ${mib} MiB)  ${digest.slice(0, 16)}`);
  return digest;
}

const hex = (b) => Buffer.from(b).toString('hex');
const a = await best('core.sha256Hex (C++ -> wasm)', () => core.sha256Hex(data));
const b = await best('WebCrypto subtle.digest', async () => hex(await crypto.webcrypto.subtle.digest('SHA-256', data)));
const c = await best('node:crypto createHash', () => crypto.createHash('sha256').update(data).digest('hex'));
if (a !== b || b !== c) throw new Error('digests differ');
// A module-sized input: what one verification costs.
const small = data.subarray(0, 1667409);
const t0 = performance.now();
core.sha256Hex(small);
console.log(`core.sha256Hex of a libstd-sized module (1.6 MB): ${(performance.now() - t0).toFixed(1)} ms`);
