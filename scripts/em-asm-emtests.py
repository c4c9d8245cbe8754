#!/usr/bin/env python3
"""Emscripten's test programs that use EM_ASM / EM_JS (which emcc 3.1.6
refuses in side modules, so scripts/emtests/run.py's dylink and lazylink
ways cannot build them), built the way docs/em-js.md describes
(scripts/em-side-module.mjs: emcc -c, wasm-ld -shared, wasm-opt) and run by
`lazylink run`, with the cases, flags, arguments and comparison of
scripts/emtests (test_core.py's). Prints one line per program and the
counts next to the plain emcc way's.

  nice -n 10 scripts/em-asm-emtests.py [--out DIR] [--plain] [NAME...]

--plain also builds and runs the plain emcc way (otherwise the plain
results are read from build/emtests/results.json where present).
"""

import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'emtests'))
import cases as cases_mod  # noqa: E402
import run as emtests  # noqa: E402

ROOT = os.path.dirname(HERE)
SIDE = os.path.join(HERE, 'em-side-module.mjs')
USES_JS = re.compile(r'\b(EM_ASM\w*|EM_JS|EM_ASYNC_JS|emscripten_asm_const_\w+)\b')


class Runner(emtests.Runner):
  def side_module(self, case, d):
    src = os.path.join(emtests.TESTS, case['src'])
    out = os.path.join(d, 'side-em-js', case['name'] + '.wasm')
    flags = self.abs_flags(cases_mod.compile_flags(case))
    cmd = ['node', SIDE, '-O2'] + flags + ['-I' + os.path.dirname(src), src, '-o', out]
    return cmd, out, src


def main():
  ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
  ap.add_argument('programs', nargs='*')
  ap.add_argument('--out', default=os.path.join(ROOT, 'build', 'em-asm-emtests'))
  ap.add_argument('--lazylink', default=os.path.join(ROOT, 'build', 'bin', 'lazylink'))
  ap.add_argument('--plain', action='store_true')
  ap.add_argument('--timeout', type=int, default=60)
  opts = ap.parse_args()
  opts.build_timeout = 600
  opts.retries = 1
  opts.retry_failed_builds = True

  selected = []
  for case in cases_mod.cases():
    if opts.programs and case['name'] not in opts.programs:
      continue
    with open(os.path.join(emtests.TESTS, case['src']), errors='replace') as f:
      if USES_JS.search(f.read()):
        selected.append(case)
  plain_known = {}
  results_json = os.path.join(ROOT, 'build', 'emtests', 'results.json')
  if not opts.plain and os.path.exists(results_json):
    with open(results_json) as f:
      for p in json.load(f)['programs']:
        if 'plain' in p['results']:
          plain_known[p['name']] = p['results']['plain']['status']

  runner = Runner(opts)
  counts = {'plain': 0, 'lazylink': 0, 'both': 0, 'plain_known': 0}
  rows = []
  for case in selected:
    ways = ['plain', 'lazylink'] if opts.plain else ['lazylink']
    r = runner.run_case(case, ways)
    plain = r['plain']['status'] if opts.plain else plain_known.get(case['name'], '?')
    lazy = r['lazylink']['status']
    if plain != '?':
      counts['plain_known'] += 1
    counts['plain'] += plain == 'pass'
    counts['lazylink'] += lazy == 'pass'
    counts['both'] += plain == 'pass' and lazy == 'pass'
    detail = r['lazylink'].get('reason') or r['lazylink'].get('detail', '')
    rows.append((case['name'], plain, lazy))
    print('%-45s plain:%-11s lazylink:%-11s %s' % (case['name'], plain, lazy,
                                                  '' if lazy == 'pass' else str(detail).strip().split('\n')[0][:100]),
          flush=True)
  print('EM_ASM/EM_JS programs: %d; plain emcc passes %d (of %d known); lazylink passes %d, '
        '%d of them among plain emcc\'s passes; Emscripten\'s dynamic linker: 0 (emcc refuses them)'
        % (len(selected), counts['plain'], counts['plain_known'], counts['lazylink'], counts['both']))
  return 0


if __name__ == '__main__':
  sys.exit(main())
