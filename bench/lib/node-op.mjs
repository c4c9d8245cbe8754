#!/usr/bin/env node
// Runs one bench/lib/ops.mjs measurement in this (fresh) Node process:
//   node --expose-gc bench/lib/node-op.mjs OP JSON_FILE
// and prints its result as JSON on stdout (the program's own output is
// collected, not printed).
import fs from 'node:fs';
import { runOp } from './ops.mjs';

const [op, file] = process.argv.slice(2);
const opts = JSON.parse(fs.readFileSync(file, 'utf8'));
const result = await runOp(op, opts, async (p) => new Uint8Array(fs.readFileSync(p)));
process.stdout.write(JSON.stringify(result));
