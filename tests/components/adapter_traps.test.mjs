// One test per Canonical ABI trap through the JS adapter (Node); the same
// cases run through the wasm adapter in Chromium (components.browser.test.mjs).
//   node --test adapter_traps.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsAdapterFactory } from './adapter_factories.mjs';
import { BOUNDARY, runTrapCase, trapCases } from './trap_cases.mjs';

const makeAdapter = jsAdapterFactory({ boundary: BOUNDARY });
for (const c of trapCases) {
  test(`js adapter traps: ${c.name}`, () => {
    assert.equal(runTrapCase(c, makeAdapter), '');
  });
}
