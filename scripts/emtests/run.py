#!/usr/bin/env python3
"""Runs Emscripten 3.1.6's installed test programs three ways and compares
each run with the program's .out file as Emscripten's own suite does.

  plain     emcc -O2 prog.c -o prog.js; node prog.js ARGS
  dylink    emcc -O2 -sSIDE_MODULE=1 prog.c -o prog.wasm, loaded by a main
            module (emcc -O2 -sMAIN_MODULE=2 stub.c prog.wasm -o main.js,
            the side module on the link line, so Emscripten's dynamic
            linker loads it at start-up); node main.js ARGS
  lazylink  the same side module; lazylink run prog.wasm -- ARGS

Usage (scripts/emtests/README.md has more):
  nice -n 10 scripts/emtests/run.py                    # everything, three ways
  scripts/emtests/run.py --ways lazylink test_strings  # some programs, one way
  scripts/emtests/run.py --ways lazylink --subset scripts/emtests/subset.txt --require-subset

Builds are cached under build/emtests/<program>/ (keyed by the command
line), so a rerun only runs. Per-program results go to
build/emtests/results.json; the categorised lazylink failures to
build/emtests/failures.md.
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases as cases_mod  # noqa: E402
import categorise  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
TESTS = cases_mod.EMSCRIPTEN_TESTS
WAYS = ('plain', 'dylink', 'lazylink', 'packed')
DEFAULT_WAYS = ('plain', 'dylink', 'lazylink')
NODE = ['node', '--no-experimental-fetch']


def log(msg):
  print(msg, flush=True)


# emcc settings that lazylink run takes as options.
MEMORY_SETTINGS = {
  'INITIAL_MEMORY': '--initial-memory',
  'MAXIMUM_MEMORY': '--maximum-memory',
  'TOTAL_STACK': '--stack-size',
  'MEMORY_GROWTH_GEOMETRIC_STEP': '--memory-growth-geometric-step',
  'MEMORY_GROWTH_GEOMETRIC_CAP': '--memory-growth-geometric-cap',
  'MEMORY_GROWTH_LINEAR_STEP': '--memory-growth-linear-step',
}


class Builder:
  """Runs a build command unless its output exists and was made by the
  same command from the same source (a stamp file holds the key)."""

  def __init__(self, timeout):
    self.timeout = timeout

  def build(self, cmd, output, cwd, inputs):
    key = hashlib.sha256(json.dumps(cmd).encode())
    for f in inputs:
      st = os.stat(f)
      key.update(('%s:%d:%d' % (f, st.st_size, int(st.st_mtime))).encode())
    key = key.hexdigest()
    stamp = output + '.stamp'
    log_file = output + '.log'
    if os.path.exists(output) and os.path.exists(stamp):
      with open(stamp) as f:
        if f.read() == key:
          return True, None
    if os.path.exists(stamp):
      os.unlink(stamp)
    os.makedirs(os.path.dirname(output), exist_ok=True)
    try:
      p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         timeout=self.timeout, text=True, errors='replace')
      out, rc = p.stdout, p.returncode
    except subprocess.TimeoutExpired:
      out, rc = 'build timed out after %ds' % self.timeout, -1
    with open(log_file, 'w') as f:
      f.write(' '.join(cmd) + '\n' + out)
    if rc != 0 or not os.path.exists(output):
      # Failed builds are cached too (a stamp beside the log), so reruns
      # do not retry what cannot build.
      with open(output + '.failed', 'w') as f:
        f.write(key)
      return False, out
    with open(stamp, 'w') as f:
      f.write(key)
    failed = output + '.failed'
    if os.path.exists(failed):
      os.unlink(failed)
    return True, None

  def cached_failure(self, cmd, output, inputs):
    key = hashlib.sha256(json.dumps(cmd).encode())
    for f in inputs:
      st = os.stat(f)
      key.update(('%s:%d:%d' % (f, st.st_size, int(st.st_mtime))).encode())
    failed = output + '.failed'
    if os.path.exists(failed):
      with open(failed) as f:
        if f.read() == key.hexdigest():
          with open(output + '.log') as g:
            return g.read()
    return None


def expected_matches(case, expected, output, returncode):
  """Emscripten's comparison (tests/common.py, _build_and_run and
  run_js): the exit status first, then the expected text contained in the
  output (or identical with assert_identical, or a regex), line endings
  normalised; a run expected to succeed must not print "ERROR"."""
  want = case['returncode']
  if want == cases_mod.NON_ZERO:
    if returncode == 0:
      return False, 'exit status 0, expected non-zero'
  elif returncode != want:
    return False, 'exit status %s, expected %s' % (returncode, want)
  output = output.replace('\r\n', '\n')
  expected = expected.replace('\r\n', '\n')
  if case['identical']:
    if output != expected:
      return False, 'output differs (identical expected)'
  elif case['regex']:
    if not re.search(expected, output):
      return False, 'output does not match the expected regex'
  else:
    if expected not in output:
      return False, 'expected output not found'
    if want == 0 and case['check_for_error'] and 'ERROR' in output:
      return False, 'output contains ERROR'
  return True, None


def _sha1_of_output(output):
  import hashlib as h
  return h.sha1(output.replace('\n \n', '\n').encode('utf-8')).hexdigest()


# The suite's output_nicerizer functions (Python code in test_core.py, not
# read statically), written again here for the programs that use one.
NICERIZERS = {
    'test_memcpy_memcmp': _sha1_of_output,
}


def first_difference(expected, output):
  e = expected.replace('\r\n', '\n').split('\n')
  o = output.replace('\r\n', '\n').split('\n')
  for i, line in enumerate(e):
    if i >= len(o):
      return 'line %d: expected %r, output ended' % (i + 1, line[:120])
    if o[i] != line:
      return 'line %d: expected %r, got %r' % (i + 1, line[:120], o[i][:120])
  return None


def run_program(cmd, cwd, case, timeout):
  env = dict(os.environ)
  env.setdefault('NODE_PATH', '/usr/share/nodejs')
  start = time.time()
  try:
    if case['interleaved']:
      p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=timeout, env=env)
      out = p.stdout.decode('utf-8', 'replace')
    else:
      p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, timeout=timeout, env=env)
      out = p.stdout.decode('utf-8', 'replace') + p.stderr.decode('utf-8', 'replace')
    return p.returncode, out, round(time.time() - start, 2)
  except subprocess.TimeoutExpired as e:
    out = (e.stdout or b'').decode('utf-8', 'replace') if isinstance(e.stdout, bytes) else (e.stdout or '')
    return None, out + '\n[timed out after %ds]' % timeout, round(time.time() - start, 2)


class Runner:
  def __init__(self, opts):
    self.opts = opts
    self.out_dir = os.path.abspath(opts.out)
    self.builder = Builder(opts.build_timeout)
    self.lazylink = os.path.abspath(opts.lazylink)
    self.lazylink_cmd = [self.lazylink]

  def take_snapshot(self, probe):
    """`lazylink run` is `node web/cli.mjs run` (loader/cli/run_command.cc):
    a copy of web/ and runtime/ taken now runs every program of this run
    against the same lazylink, however web/dist is rebuilt meanwhile. The
    copy is checked on a probe program, and taken again until it works."""
    import shutil
    snap = os.path.join(self.out_dir, 'lazylink-snapshot')
    for attempt in range(20):
      if os.path.exists(snap):
        shutil.rmtree(snap)
      for part in ('web', 'runtime'):
        shutil.copytree(os.path.join(ROOT, part), os.path.join(snap, part))
      cmd = ['node', os.path.join(snap, 'web', 'cli.mjs')]
      p = subprocess.run(cmd + ['run', probe], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         timeout=120, text=True)
      if p.returncode == 0 and 'hello, world!' in p.stdout:
        self.lazylink_cmd = cmd
        return snap
      log('lazylink snapshot not usable yet (web/dist being rebuilt?): %s' % p.stdout.strip()[-200:])
      time.sleep(30)
    raise SystemExit('could not take a working snapshot of web/ and runtime/')

  def abs_flags(self, flags):
    """Makes paths in the suite's flags (relative to tests/) absolute."""
    result = []
    for f in flags:
      if not f.startswith('-') and os.path.exists(os.path.join(TESTS, f)):
        f = os.path.join(TESTS, f)
      elif f.startswith('--extern-post-js=') or f.startswith('--extern-pre-js='):
        pass
      result.append(f)
    return result

  def prepare(self, case):
    d = os.path.join(self.out_dir, case['name'])
    os.makedirs(d, exist_ok=True)
    for name, content in case['files'].items():
      path = os.path.join(d, name)
      os.makedirs(os.path.dirname(path), exist_ok=True)
      with open(path, 'w') as f:
        f.write(content)
    return d

  def emcc(self, case):
    return 'em++' if case['cxx'] else 'emcc'

  def side_module(self, case, d):
    src = os.path.join(TESTS, case['src'])
    out = os.path.join(d, 'side', case['name'] + '.wasm')
    cmd = [self.emcc(case), '-O2', '-sSIDE_MODULE=1'] + self.abs_flags(cases_mod.compile_flags(case)) + \
          ['-I' + os.path.dirname(src), src, '-o', out]
    return cmd, out, src

  def do_build(self, cmd, out, d, src):
    failure = self.builder.cached_failure(cmd, out, [src])
    if failure is not None and not self.opts.retry_failed_builds:
      return False, failure
    return self.builder.build(cmd, out, d, [src])

  def way_plain(self, case, d):
    src = os.path.join(TESTS, case['src'])
    out = os.path.join(d, 'plain', case['name'] + '.js')
    cmd = [self.emcc(case), '-O2'] + self.abs_flags(cases_mod.compile_flags(case)) + \
          self.abs_flags(cases_mod.link_flags(case)) + ['-I' + os.path.dirname(src), src, '-o', out]
    ok, err = self.do_build(cmd, out, d, src)
    if not ok:
      return {'status': 'build-error', 'detail': tail(err)}
    return self.check(case, NODE + [out] + case['args'], d)

  def way_dylink(self, case, d):
    cmd, side, src = self.side_module(case, d)
    ok, err = self.do_build(cmd, side, d, src)
    if not ok:
      return {'status': 'build-error', 'detail': tail(err), 'stage': 'side module'}
    stub = os.path.join(self.out_dir, 'dylink_stub.c')
    if not os.path.exists(stub):
      with open(stub, 'w') as f:
        f.write('/* The main module of the dylink way: the program, main\n'
                '   included, is the side module named on the link line. */\n'
                'int emtests_main_module_stub;\n')
    out = os.path.join(d, 'dylink', 'main.js')
    link = [f for f in cases_mod.link_flags(case)
            if not f.startswith(('-sMAIN_MODULE', '-sSIDE_MODULE', '-sEXPORT_ALL'))]
    # The side module is loaded from the main module's directory at start-up
    # (it is named by its file name in dylink.0 of main.wasm).
    cmd = [self.emcc(case), '-O2', '-sMAIN_MODULE=2'] + self.abs_flags(cases_mod.compile_flags(case)) + \
          self.abs_flags(link) + [stub, side, '-o', out]
    ok, err = self.do_build(cmd, out, d, side)
    if not ok:
      return {'status': 'build-error', 'detail': tail(err), 'stage': 'main module'}
    # Emscripten's loader reads a NEEDED side module by its file name from
    # the working directory: run there, with a copy of the side module and
    # of the program's files.
    run_dir = os.path.join(d, 'dylink')
    copy_file(side, os.path.join(run_dir, os.path.basename(side)))
    for name in case['files']:
      copy_file(os.path.join(d, name), os.path.join(run_dir, name))
    return self.check(case, NODE + [out] + case['args'], run_dir)

  def em_js_side_module(self, case, d):
    """lazylink's build of a side module with EM_ASM / EM_JS, which emcc
    refuses to link (scripts/em-side-module.mjs, docs/em-js.md)."""
    src = os.path.join(TESTS, case['src'])
    out = os.path.join(d, 'em_js', case['name'] + '.wasm')
    cmd = ['node', os.path.join(ROOT, 'scripts', 'em-side-module.mjs'), '-O2'] + \
          self.abs_flags(cases_mod.compile_flags(case)) + ['-I' + os.path.dirname(src), src, '-o', out]
    return cmd, out, src

  def lazylink_module(self, case, d):
    """The side module lazylink runs: emcc's, or for EM_ASM/EM_JS programs
    scripts/em-side-module.mjs's. Returns (ok, path, build, error)."""
    cmd, side, src = self.side_module(case, d)
    ok, err = self.do_build(cmd, side, d, src)
    build = 'emcc -sSIDE_MODULE=1'
    if not ok and re.search(r'EM_(ASM|JS) is not supported in side modules', err or ''):
      cmd, side, src = self.em_js_side_module(case, d)
      ok, err2 = self.do_build(cmd, side, d, src)
      build = 'scripts/em-side-module.mjs'
      if not ok:
        err = (err or '') + '\n' + (err2 or '')
    return ok, side, build, err

  def run_options(self, case):
    """`lazylink run`'s options for the case's link flags (JS libraries,
    memory settings, the allocator); `lazylink pack` takes the same ones."""
    opts = []
    # The suite's JS libraries (emcc --js-library FILE): lazylink run takes
    # them the same way.
    flags = self.abs_flags(cases_mod.link_flags(case))
    for i, f in enumerate(flags[:-1]):
      if f == '--js-library':
        opts += ['--js-library', flags[i + 1]]
    # Memory settings (-sINITIAL_MEMORY=64Mb, ...): lazylink run's options
    # of the same meaning (docs/cli-run.md).
    for f in flags:
      m = re.match(r'-s([A-Z_]+)=(.+)$', f)
      if m and m.group(1) in MEMORY_SETTINGS:
        opts += [MEMORY_SETTINGS[m.group(1)], m.group(2)]
      elif m and m.group(1) == 'MALLOC' and m.group(2) in ('emmalloc', 'dlmalloc'):
        opts += ['--malloc', m.group(2)]
      elif f.startswith('-jsD'):
        opts += ['--js-define', f[4:]]
    # Without ALLOW_MEMORY_GROWTH (Emscripten's default is 0) the memory
    # never grows: its maximum is its initial size.
    settings = dict(m.groups() for m in (re.match(r'-s([A-Z_]+)(?:=(.*))?$', f) for f in flags) if m)
    grows = 'ALLOW_MEMORY_GROWTH' in settings and settings['ALLOW_MEMORY_GROWTH'] not in ('0', 'false')
    if not grows and 'MAXIMUM_MEMORY' not in settings:
      opts += ['--maximum-memory', settings.get('INITIAL_MEMORY') or '16MB']
    return opts

  def way_lazylink(self, case, d):
    ok, side, build, err = self.lazylink_module(case, d)
    if not ok:
      return {'status': 'build-error', 'detail': tail(err), 'stage': 'side module'}
    opts = self.run_options(case)
    if case['files']:
      # Files the suite writes next to the program: the run's directory as
      # the program's working directory.
      opts += ['--dir', '.']
    cmd = self.lazylink_cmd + ['run'] + opts + [side, '--'] + case['args']
    result = self.check(case, cmd, d)
    result['build'] = build
    if result['status'] == 'fail' and self.opts.retries:
      # The machine is shared and lazylink's JS and libstd (web/dist) may be
      # rebuilt while this runs: a failure is run again, and one that then
      # passes is a pass marked flaky (with the first failure kept).
      again = self.check(case, cmd, d)
      if again['status'] == 'pass':
        again['flaky'] = {k: result.get(k) for k in ('reason', 'rc', 'output')}
        return again
    return result

  def way_packed(self, case, d):
    """The side module packed as an app (`lazylink pack`, libstd added by
    pack, a start plan) and run from its manifest, the way a browser loads
    it."""
    if case['files']:
      return {'status': 'skip', 'reason': 'needs files (not passed to pack here)'}
    ok, side, build, err = self.lazylink_module(case, d)
    if not ok:
      return {'status': 'build-error', 'detail': tail(err), 'stage': 'side module'}
    app = os.path.join(d, 'packed')
    manifest = os.path.join(app, 'lazylink.json')
    # JS libraries and memory settings go into the app (its manifest).
    pack = [self.lazylink, 'pack', '-q', side] + self.run_options(case) + ['-o', app]
    libstds = [os.path.join(ROOT, 'web', 'dist', n) for n in ('libstd.wasm', 'libstd-eh.wasm', 'libstd-emmalloc.wasm')]
    ok, err = self.builder.build(pack, manifest, d, [side, self.lazylink] + libstds)
    if not ok:
      return {'status': 'build-error', 'detail': tail(err), 'stage': 'lazylink pack'}
    result = self.check(case, self.lazylink_cmd + ['run', manifest, '--'] + case['args'], d)
    result['build'] = build
    return result

  def check(self, case, cmd, cwd):
    rc, output, secs = run_program(cmd, cwd, case, self.opts.timeout)
    with open(os.path.join(TESTS, case['out']), errors='replace') as f:
      expected = f.read()
    if case.get('replace'):
      old, new = case['replace']
      if new == 'EMSCRIPTEN_VERSION':
        new = emcc_version_number()
      expected = expected.replace(old, new)
    if case['name'] in NICERIZERS and rc is not None:
      output = NICERIZERS[case['name']](output)
    if rc is None:
      return {'status': 'fail', 'reason': 'timeout', 'rc': None, 'seconds': secs, 'output': tail(output)}
    ok, reason = expected_matches(case, expected, output, rc)
    result = {'status': 'pass' if ok else 'fail', 'rc': rc, 'seconds': secs}
    if not ok:
      result['reason'] = reason
      result['output'] = tail(output)
      diff = first_difference(expected, output)
      if diff:
        result['diff'] = diff
    return result

  def run_case(self, case, ways):
    if case['skip']:
      return {w: {'status': 'skip', 'reason': case['skip']} for w in ways}
    d = self.prepare(case)
    results = {}
    for w in ways:
      try:
        results[w] = getattr(self, 'way_' + w)(case, d)
      except OSError as e:
        results[w] = {'status': 'fail', 'reason': 'runner error: %s' % e}
    return results


def copy_file(src, dst):
  os.makedirs(os.path.dirname(dst), exist_ok=True)
  with open(src, 'rb') as f, open(dst, 'wb') as g:
    g.write(f.read())


def tail(text, n=2000):
  if text is None:
    return ''
  return text if len(text) <= n else '...' + text[-n:]


def read_list(path):
  with open(path) as f:
    return [line.split('#')[0].strip() for line in f if line.split('#')[0].strip()]


def main():
  ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
  ap.add_argument('programs', nargs='*', help='program names (default: all)')
  ap.add_argument('--ways', default=','.join(DEFAULT_WAYS),
                  help='comma-separated, of %s (default: the first three)' % ','.join(WAYS))
  ap.add_argument('--subset', help='file listing program names, one a line (# comments)')
  ap.add_argument('--require-subset', action='store_true',
                  help='exit 1 unless lazylink passes every program of --subset')
  ap.add_argument('--out', default=os.path.join(ROOT, 'build', 'emtests'), help='build and result directory')
  ap.add_argument('--lazylink', default=os.path.join(ROOT, 'build', 'bin', 'lazylink'))
  ap.add_argument('--timeout', type=int, default=60, help='seconds per program run')
  ap.add_argument('--build-timeout', type=int, default=600)
  ap.add_argument('--retry-failed-builds', action='store_true')
  ap.add_argument('--no-snapshot', dest='snapshot', action='store_false',
                  help='run build/bin/lazylink itself, not a snapshot of web/ and runtime/ taken at the start')
  ap.add_argument('--retries', type=int, default=1,
                  help='run a failed lazylink program again this many times (default 1; 0 for none)')
  ap.add_argument('--json', help='results file (default: OUT/results.json)')
  ap.add_argument('--failures', help='categorised lazylink failures, markdown (default: OUT/failures.md)')
  ap.add_argument('--list', action='store_true', help='print the cases as JSON and exit')
  ap.add_argument('--from-json', metavar='RESULTS',
                  help='run nothing: write the failures (and --results-md) from an earlier results.json')
  ap.add_argument('--results-md', help='write the counts into this markdown file\'s section '
                  '"Emscripten\'s test programs" (e.g. bench/results.md)')
  opts = ap.parse_args()

  # Emscripten's JS optimizer (acorn) and the programs' JS find their Node
  # modules through NODE_PATH (Debian installs them in /usr/share/nodejs).
  os.environ.setdefault('NODE_PATH', '/usr/share/nodejs')
  if opts.from_json:
    with open(opts.from_json) as f:
      data = json.load(f)
    summary = data['summary']
    ways = list(summary['passes'])
    md_path = opts.failures or os.path.join(os.path.dirname(opts.from_json), 'failures.md')
    if 'lazylink' in ways:
      with open(md_path, 'w') as f:
        f.write(categorise.markdown(data['programs'], summary, TESTS))
      log('lazylink failures by category: %s' % md_path)
    if opts.results_md:
      write_results_section(opts.results_md, summary, ways)
    return 0
  ways = [w for w in opts.ways.split(',') if w]
  for w in ways:
    if w not in WAYS:
      ap.error('unknown way %r' % w)
  all_cases = cases_mod.cases()
  by_name = {c['name']: c for c in all_cases}
  names = list(opts.programs)
  if opts.subset:
    names += read_list(opts.subset)
  for n in names:
    if n not in by_name:
      ap.error('no such program: %s' % n)
  selected = [by_name[n] for n in names] if names else all_cases
  if opts.list:
    print(json.dumps(selected, indent=1))
    return 0
  if 'lazylink' in ways and not os.path.exists(opts.lazylink):
    ap.error('%s not found (build it: cmake --build build --target lazylink)' % opts.lazylink)

  os.makedirs(opts.out, exist_ok=True)
  # A run of some programs leaves the full run's files alone.
  suffix = '' if len(selected) == len(all_cases) else '-partial'
  json_path = opts.json or os.path.join(opts.out, 'results%s.json' % suffix)
  md_path = opts.failures or os.path.join(opts.out, 'failures%s.md' % suffix)
  runner = Runner(opts)
  if ('lazylink' in ways or 'packed' in ways) and opts.snapshot:
    hello = by_name['test_hello_world']
    cmd, side, src = runner.side_module(hello, runner.prepare(hello))
    ok, err = runner.do_build(cmd, side, os.path.dirname(side), src)
    if not ok:
      raise SystemExit('cannot build the probe program: %s' % err)
    log('lazylink: a snapshot of web/ and runtime/ in %s' % runner.take_snapshot(side))
  results = []
  started = time.time()
  for i, case in enumerate(selected):
    r = runner.run_case(case, ways)
    results.append({'name': case['name'], 'src': case['src'], 'args': case['args'],
                    'flags': cases_mod.compile_flags(case), 'skip': case['skip'],
                    'notes': case['notes'], 'results': r})
    log('[%d/%d] %-45s %s' % (i + 1, len(selected), case['name'],
                               '  '.join('%s:%s' % (w, r[w]['status']) for w in ways)))
  counts = {w: sum(1 for x in results if x['results'][w]['status'] == 'pass') for w in ways}
  if 'lazylink' in ways:
    em_js = sum(1 for x in results if x['results']['lazylink']['status'] == 'pass'
                and x['results']['lazylink'].get('build') == 'scripts/em-side-module.mjs')
  else:
    em_js = None
  summary = {
      'date': time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
      'commit': git_commit(),
      'emcc': emcc_version(),
      'programs': len(selected),
      'skipped': sum(1 for c in selected if c['skip']),
      'passes': counts,
      'lazylink_passes_built_with_em_side_module': em_js,
      'seconds': round(time.time() - started),
  }
  if 'lazylink' in ways and 'dylink' in ways:
    summary['dylink_pass_lazylink_fail'] = [x['name'] for x in results
                                            if x['results']['dylink']['status'] == 'pass'
                                            and x['results']['lazylink']['status'] != 'pass']
  if 'lazylink' in ways and 'plain' in ways:
    summary['plain_pass_lazylink_fail'] = len([x for x in results
                                               if x['results']['plain']['status'] == 'pass'
                                               and x['results']['lazylink']['status'] != 'pass'])
  with open(json_path, 'w') as f:
    json.dump({'summary': summary, 'programs': results}, f, indent=1)
  if 'lazylink' in ways:
    with open(md_path, 'w') as f:
      f.write(categorise.markdown(results, summary, TESTS))
  if opts.results_md:
    write_results_section(opts.results_md, summary, ways)
  log('')
  log('%-10s %s' % ('way', 'passes of %d programs (%d skipped: threads, d8)' % (len(selected), summary['skipped'])))
  for w in ways:
    log('%-10s %d%s' % (w, counts[w], ' (%d of them EM_ASM/EM_JS programs built with scripts/em-side-module.mjs)' % em_js
                        if w == 'lazylink' else ''))
  log('results: %s' % json_path)
  if 'lazylink' in ways:
    log('lazylink failures by category: %s' % md_path)
  if opts.require_subset:
    if 'lazylink' not in ways or not opts.subset:
      ap.error('--require-subset needs --subset and the lazylink way')
    required = set(read_list(opts.subset))
    failed = [x['name'] for x in results if x['name'] in required and x['results']['lazylink']['status'] != 'pass']
    if failed:
      log('FAIL: lazylink no longer passes %d program(s) of %s:' % (len(failed), opts.subset))
      for x in results:
        if x['name'] in failed:
          r = x['results']['lazylink']
          log('  %s: %s %s' % (x['name'], r.get('reason', r['status']), r.get('diff', '')))
          log('    ' + (r.get('output') or r.get('detail') or '')[-600:].replace('\n', '\n    '))
      return 1
    log('lazylink passes all %d programs of %s' % (len(required), opts.subset))
  return 0


SECTION_BEGIN = '<!-- emtests: written by scripts/emtests/run.py --results-md -->'
SECTION_END = '<!-- /emtests -->'


def write_results_section(path, summary, ways):
  """Replaces (or appends) this runner's section of a markdown file."""
  names = {'plain': 'plain emcc', 'dylink': 'Emscripten\'s dynamic linker (MAIN_MODULE=2 + side module)',
           'lazylink': 'lazylink run (side module)',
           'packed': 'lazylink pack, then lazylink run of the manifest (start plan)'}
  lines = [SECTION_BEGIN, '## Emscripten\'s test programs (issue 16)', '',
           'Emscripten %s\'s installed test programs (tests/core/*.c|cpp and tests/test_*.c with a `.out` '
           'file: %d programs, %d skipped for threads or d8), each built and run the ways below in one run of '
           '`nice -n 10 scripts/emtests/run.py --ways %s` (scripts/emtests/README.md) and compared with its '
           '`.out` file as Emscripten\'s test harness does. Measured %s at commit %s, in %d s.' % (
               emcc_version_number(), summary['programs'], summary['skipped'], ','.join(ways), summary['date'],
               summary['commit'], summary['seconds']), '',
           '| way | passes |', '|---|---|']
  for w in ways:
    extra = ''
    if w == 'lazylink' and summary.get('lazylink_passes_built_with_em_side_module'):
      extra = ' (%d of them EM_ASM/EM_JS programs, built with scripts/em-side-module.mjs)' % (
          summary['lazylink_passes_built_with_em_side_module'])
    lines.append('| %s | %d%s |' % (names[w], summary['passes'][w], extra))
  lines.append('')
  if 'dylink_pass_lazylink_fail' in summary:
    lines.append('Passed by Emscripten\'s dynamic linker, not by lazylink (%d): %s.' % (
        len(summary['dylink_pass_lazylink_fail']), ', '.join(summary['dylink_pass_lazylink_fail']) or 'none'))
  if 'plain_pass_lazylink_fail' in summary:
    lines.append('Passed by plain emcc, not by lazylink: %d. Target (issue 16): every program Emscripten\'s '
                 'dynamic linker passes, and at least 280 of the plain emcc passes.' % summary['plain_pass_lazylink_fail'])
  lines += ['Per program: build/emtests/results.json; lazylink\'s failures by category: build/emtests/failures.md.',
            SECTION_END]
  text = open(path).read() if os.path.exists(path) else ''
  if SECTION_BEGIN in text and SECTION_END in text:
    before = text[:text.index(SECTION_BEGIN)]
    after = text[text.index(SECTION_END) + len(SECTION_END):]
    text = before + '\n'.join(lines) + after
  else:
    text = text.rstrip('\n') + '\n\n' + '\n'.join(lines) + '\n'
  with open(path, 'w') as f:
    f.write(text)


def git_commit():
  try:
    return subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, stdout=subprocess.PIPE,
                          text=True).stdout.strip()
  except OSError:
    return None


def emcc_version_number():
  m = re.search(r'(\d+\.\d+\.\d+)', emcc_version() or '')
  return m.group(1) if m else ''


def emcc_version():
  try:
    out = subprocess.run(['emcc', '--version'], stdout=subprocess.PIPE, text=True).stdout
    return out.split('\n')[0]
  except OSError:
    return None


if __name__ == '__main__':
  sys.exit(main())
