// Writes the first `fraction` of a module's bytes: a module truncated in
// transit, for the corrupt-module tests.
//   node truncate.mjs IN OUT FRACTION
import fs from 'node:fs';
const [input, output, fraction] = process.argv.slice(2);
const bytes = fs.readFileSync(input);
fs.writeFileSync(output, bytes.subarray(0, Math.floor(bytes.length * Number(fraction))));
