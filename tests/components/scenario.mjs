// What the end-to-end component tests expect, shared by the Node test (JS
// adapter) and the Chromium page (wasm and JS adapters): both paths must
// produce exactly the same results and the same trap messages.
function ok(cond, message) {
  if (!cond) throw new Error(message);
}

function same(a, b, what) {
  const show = (v) => JSON.stringify(v, (_, x) => (ArrayBuffer.isView(x) ? Array.from(x) : typeof x === 'bigint' ? `${x}n` : x));
  ok(show(a) === show(b), `${what}: got ${show(a)}, want ${show(b)}`);
}

// app.run(): the host (C++) calling the plugin (C), and the plugin calling back.
export const expectedRunLines = [
  'echo: h\u00e9llo, w\u00f6rld \u2713 \u{1f30d} (same bytes)',
  'reverse: 250 4 3 2 1',
  'sum: 7',
  'shape: circle of radius 1.5, area 6.75',
  'shape: rect 3x4, area 12',
  "shape: shape named 'hexagon', area none",
  'shape: nothing, area none',
  'parse-color green: ok green',
  "parse-color purple: error: unknown color 'purple'",
  'toggle: bold italic -> italic',
  'normalize: name COMPACT, size 12, tags x y normalized, color green, style italic underline',
  'find gamma: at 2',
  'find delta: none',
  'render: 353 bytes of SVG, title escaped, starts <svg xmlns="http://www.w3.org/2000/svg" ',
  'render with no rows: error: no rows to chart',
  'plugin: config theme = dark',
  'plugin: config missing is not set',
  'plugin: data: apples=3 pears=5.5 plums=1.25',
  'plugin: favorite color: blue',
  'plugin: 7 / 2 = 3',
  'plugin: 1 / 0 = error: division by zero',
  'plugin logged: hello from the plugin',
];

export function checkEndToEnd(lines) {
  ok(Array.isArray(lines), 'run() returns a list<string> as an array');
  same(lines, expectedRunLines, 'app.run()');
}

// The plugin's exports called from JS with JS values.
export function checkJsView(exports, ComponentError) {
  const api = exports['plugin-api'];
  ok(api === exports['demo:plugins/plugin-api@0.1.0'] && api === exports['demo:plugins/plugin-api'],
    'interfaces are reachable by full, unversioned and short name');
  same(api.echo('h\u00e9llo \u2713 \u{1f30d}'), 'h\u00e9llo \u2713 \u{1f30d}', 'echo');
  same(api.reverse(new Uint8Array([1, 2, 3, 255])), new Uint8Array([255, 3, 2, 1]), 'reverse');
  ok(api.reverse(new Uint8Array([7])) instanceof Uint8Array, 'list<u8> comes back as a Uint8Array');
  same(api.sum(new Float64Array([1, 2.5, -0.5])), 3, 'sum (typed array)');
  same(api.sum([4, 5]), 9, 'sum (plain array)');
  same(api.describe({ tag: 'rect', val: [3, 4] }), 'rect 3x4', 'describe rect');
  same(api.describe({ tag: 'named', val: 'x' }), "shape named 'x'", 'describe named');
  same(api.describe({ tag: 'empty' }), 'nothing', 'describe empty');
  same(api.area({ tag: 'circle', val: 2 }), 12, 'area circle');
  same(api.area({ tag: 'named', val: 'x' }), null, 'area named (none)');
  same(api.parseColor('blue'), 'blue', 'parse-color ok -> the value');
  let thrown = null;
  try {
    api['parse-color']('pink');
  } catch (e) {
    thrown = e;
  }
  ok(thrown instanceof ComponentError, `parse-color err -> a thrown ComponentError (got ${thrown})`);
  same(thrown.payload, "unknown color 'pink'", 'the error value');
  same(api.toggle({ bold: true, underline: true }), { bold: false, italic: false, underline: true }, 'toggle flags');
  same(api.normalize({ name: 'ab', size: null, tags: ['t'], color: 'red', style: { italic: true } }),
    { name: 'AB', size: 12, tags: ['t', 'normalized'], color: 'red', style: { bold: false, italic: true, underline: true } },
    'normalize record');
  same(api.find(['a', 'b', 'c'], 'c'), 2, 'find some');
  same(api.find([], 'c'), null, 'find none');
  same(api.add(0xffffffff, 2), 1, 'add wraps');
  const svg = exports.chart.render('T & Co', [{ label: 'a', value: 1 }, { label: 'b', value: 2 }]);
  ok(svg.startsWith('<svg') && svg.includes('<title>T &amp; Co</title>'), `render: ${svg.slice(0, 80)}`);
  thrown = null;
  try {
    exports.chart.render('empty', []);
  } catch (e) {
    thrown = e;
  }
  ok(thrown instanceof ComponentError && thrown.payload === 'no rows to chart', `render [] -> error (got ${thrown})`);
  ok(/^js -> plugin demo:plugins\/chart@0\.1\.0#render: returned an error: no rows to chart$/.test(thrown.message), thrown.message);
}

// app.provoke(kind): the plugin misbehaves behind the host's back; each is a
// trap at the app -> plugin boundary (7: the plugin itself traps).
const B = 'app -> plugin demo:plugins/plugin-api@0\\.1\\.0#';
export const provokeCases = [
  [0, new RegExp(`^${B}bad-utf8: invalid UTF-8 in the string at 0x[0-9a-f]+ \\(4 bytes\\)$`)],
  [1, new RegExp(`^${B}bad-shape: variant discriminant 9 is out of range \\(4 cases\\)$`)],
  [2, new RegExp(`^${B}bad-char: char 0xd800 is a surrogate, not a Unicode scalar value$`)],
  [3, new RegExp(`^${B}bad-list: list pointer 0x1 is not aligned to 4$`)],
  [4, new RegExp(`^${B}bad-list: list at 0xfffffff0 \\(16 bytes\\) is out of bounds of memory \\(\\d+ bytes\\)$`)],
  [5, new RegExp(`^${B}bad-list: list at 0xfffffff0 \\(0 bytes\\) is out of bounds of memory \\(\\d+ bytes\\)$`)],
  [6, new RegExp(`^${B}bad-list: list of 268435456 elements \\(1073741824 bytes\\) is longer than the limit of 268435455 bytes$`)],
  [7, /unreachable/],
];
