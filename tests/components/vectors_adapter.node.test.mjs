// The Canonical ABI vectors through the JS adapter (Node has no
// multi-memory; the wasm adapter runs them in Chromium:
// components.browser.test.mjs).
//   node vectors_adapter.node.test.mjs VECTORS_JSON VECTOR_TYPES_JSON
import { readFileSync } from 'node:fs';
import { parseJsonWithBigInts } from '../cabi/json_bigint.mjs';
import { runAdapterVectors } from './adapter_vectors.mjs';
import { jsAdapterFactory } from './adapter_factories.mjs';

const [vectorsPath, typesPath] = process.argv.slice(2);
const vectors = parseJsonWithBigInts(readFileSync(vectorsPath, 'utf8'));
const descriptors = JSON.parse(readFileSync(typesPath, 'utf8'));
const r = runAdapterVectors({
  vectors, descriptors, label: 'js adapter',
  makeAdapter: jsAdapterFactory(),
  createMemory: () => new WebAssembly.Memory({ initial: 1 }),
});
console.log(r.lines.join('\n'));
process.exit(r.failed === 0 ? 0 : 1);
