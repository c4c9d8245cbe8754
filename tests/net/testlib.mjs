// A small test runner for the network-layer tests: each test logs what it
// checked, failures print the error, and the summary line is
// "<suite>: N passed, M failed".
//
//   const s = suite('net/node');
//   s.test('404 fails at once', async (t) => { ...; t.log('one request in the log'); });
//   process.exit(await s.run() ? 0 : 1);
export function suite(title) {
  const tests = [];
  const only = process.env.NET_TEST_FILTER ? new RegExp(process.env.NET_TEST_FILTER) : null;
  return {
    test(name, fn) {
      tests.push({ name, fn });
    },
    async run() {
      let passed = 0;
      let failed = 0;
      for (const { name, fn } of tests) {
        if (only && !only.test(name)) continue;
        const lines = [];
        const t = { log: (...parts) => lines.push(parts.join(' ')) };
        const t0 = Date.now();
        try {
          await fn(t);
          passed++;
          console.log(`ok   ${name} (${Date.now() - t0} ms)`);
          for (const l of lines) console.log(`       ${l}`);
        } catch (e) {
          failed++;
          console.log(`FAIL ${name}`);
          for (const l of lines) console.log(`       ${l}`);
          console.log(String(e && e.stack || e).split('\n').map((l) => `       ${l}`).join('\n'));
        }
      }
      console.log(`${title}: ${passed} passed, ${failed} failed`);
      return failed === 0;
    },
  };
}

// The most requests the server had in flight at once, from its log
// (entries { t: start ms, ms: duration }).
export function maxInFlight(requests) {
  const edges = [];
  for (const r of requests) {
    edges.push([r.t, 1]);
    edges.push([r.t + (r.ms ?? 0), -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);  // ends before starts at the same ms
  let now = 0;
  let max = 0;
  for (const [, d] of edges) {
    now += d;
    max = Math.max(max, now);
  }
  return max;
}
