"""The test programs Emscripten installs, and how its own suite runs each one.

A program is tests/core/NAME.{c,cpp} or tests/test_NAME.{c,cpp} with a
matching NAME.out next to it. How Emscripten's suite builds and runs it
(arguments, -s settings, -fexceptions, the expected exit status, how output
is compared) is written in tests/test_core.py as Python calls such as

    @with_both_eh_sjlj
    def test_exceptions_std(self):
      self.emcc_args += ['-fexceptions']
      self.do_core_test('test_exceptions_std.cpp', args=['x'])

which this module reads with Python's own parser (ast), statement by
statement, without running it. What it cannot read statically is recorded
as a note; what cannot run outside a browser or without threads is a skip
with its reason.
"""

import ast
import os

EMSCRIPTEN_TESTS = os.environ.get('EMTESTS_DIR', '/usr/share/emscripten/tests')

# Calls of the suite that build and run a test program.
RUN_CALLS = {'do_core_test', 'do_run_in_out_file_test', 'do_runf', 'do_run_from_file'}

# Decorators that make a test unrunnable here, with the reason.
SKIP_DECORATORS = {
    'node_pthreads': 'needs threads (pthreads)',
    'requires_threads': 'needs threads (pthreads)',
    'wasm_relaxed_simd': 'needs relaxed SIMD (not in Node 20 by default)',
    'needs_make': 'builds a third-party library with make',
    'require_v8': 'needs the d8 shell',
    'requires_native_clang': 'needs a native clang',
    'disabled': 'disabled in Emscripten\'s own suite',
}

# Calls in a test body that make it unrunnable here.
SKIP_BODY_CALLS = {
    'require_v8': 'needs the d8 shell',
    'setup_node_pthreads': 'needs threads (pthreads)',
}

# Settings that mean threads, a GPU or a browser.
SKIP_SETTINGS = {
    'USE_PTHREADS': 'needs threads (pthreads)',
    'PROXY_TO_PTHREAD': 'needs threads (pthreads)',
    'WASM_WORKERS': 'needs threads (wasm workers)',
    'USE_SDL': 'needs SDL (a browser)',
    'FULL_ES2': 'needs WebGL',
    'MEMORY64': 'needs memory64',
    'WASM': 'wasm2js build',
}

NON_ZERO = 'NON_ZERO'


class Unknown(Exception):
  pass


def _const(node, env):
  """Evaluates an expression of a test body when it is a literal (or a
  few forms the suite uses for literals); raises Unknown otherwise."""
  if isinstance(node, ast.Constant):
    return node.value
  if isinstance(node, (ast.List, ast.Tuple)):
    return [_const(e, env) for e in node.elts]
  if isinstance(node, ast.Dict):
    return {_const(k, env): _const(v, env) for k, v in zip(node.keys, node.values)}
  if isinstance(node, ast.Name):
    if node.id == 'NON_ZERO':
      return NON_ZERO
    if node.id in ('True', 'False', 'None'):
      return {'True': True, 'False': False, 'None': None}[node.id]
    if node.id in env:
      return env[node.id]
    raise Unknown(node.id)
  if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
    return _const(node.left, env) + _const(node.right, env)
  if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
    return _const(node.left, env) * _const(node.right, env)
  if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
    return -_const(node.operand, env)
  if isinstance(node, ast.JoinedStr):
    parts = []
    for v in node.values:
      if isinstance(v, ast.FormattedValue):
        parts.append(str(_const(v.value, env)))
      else:
        parts.append(v.value)
    return ''.join(parts)
  if isinstance(node, ast.Call):
    f = node.func
    # 'a b c'.split()
    if isinstance(f, ast.Attribute) and f.attr == 'split' and not node.args:
      return _const(f.value, env).split()
    name = f.id if isinstance(f, ast.Name) else (f.attr if isinstance(f, ast.Attribute) else None)
    if name in ('test_file', 'Path', 'path_from_root'):
      parts = [str(_const(a, env)) for a in node.args]
      # test_file() names a file under tests/, by its absolute path.
      return os.path.join(EMSCRIPTEN_TESTS if name == 'test_file' else '', *parts)
    if name == 'str' and len(node.args) == 1:
      return str(_const(node.args[0], env))
    if name == 'list' and len(node.args) == 1:
      return list(_const(node.args[0], env))
  raise Unknown(ast.dump(node)[:80])


def _call_name(call):
  f = call.func
  if isinstance(f, ast.Attribute):
    return f.attr
  if isinstance(f, ast.Name):
    return f.id
  return None


def _decorator_name(d):
  if isinstance(d, ast.Call):
    d = d.func
  if isinstance(d, ast.Attribute):
    return d.attr
  if isinstance(d, ast.Name):
    return d.id
  return None


def _setting_flag(key, value):
  if value is True:
    value = 1
  if value is False:
    value = 0
  if isinstance(value, list):
    return '-s%s=[%s]' % (key, ','.join(str(v) for v in value))
  return '-s%s=%s' % (key, value)


class _Body:
  """The state of one test method, statement by statement: the emcc
  arguments and settings so far, and every run call with its kwargs."""

  def __init__(self, test_name, decorators):
    self.test_name = test_name
    self.emcc_args = []
    self.settings = {}
    self.files = {}
    self.notes = []
    self.skip = None
    self.env = {}
    self.runs = []
    for d in decorators:
      name = _decorator_name(d)
      if name in SKIP_DECORATORS and not self.skip:
        self.skip = SKIP_DECORATORS[name]
      if name == 'with_both_eh_sjlj':
        # The Emscripten EH/SjLj half of the pair (the other needs d8).
        self.settings['DISABLE_EXCEPTION_CATCHING'] = 0
        self.settings['SUPPORT_LONGJMP'] = 'emscripten'
      if name == 'wasm_simd':
        self.emcc_args.append('-msimd128')
      if name == 'needs_non_trapping_float_to_int':
        self.emcc_args.append('-mnontrapping-fptoint')
      if name == 'parameterized':
        self.notes.append('parameterized: the first parameter set is used')
        try:
          params = _const(d.args[0], {})
          first = next(iter(params.values()))
          self.params = first if isinstance(first, list) else [first]
        except (Unknown, StopIteration, IndexError):
          self.params = None

  def walk(self, stmts):
    for s in stmts:
      self.statement(s)

  def statement(self, s):
    if isinstance(s, ast.If):
      # Conditions on the test mode are evaluated for the mode this runner
      # is (core2: -O2, wasm, no sanitizer, not standalone); others are not
      # followed.
      try:
        taken = self.condition(s.test)
      except Unknown:
        self.notes.append('condition not followed: ' + ast.unparse(s.test)[:60])
        return
      self.walk(s.body if taken else s.orelse)
      return
    if isinstance(s, ast.For):
      # A loop over literal values (e.g. `for safe in [0, 1]`): its first
      # iteration.
      try:
        values = _const(s.iter, self.env)
      except Unknown:
        self.notes.append('loop not followed')
        return
      if values and isinstance(s.target, ast.Name):
        self.env[s.target.id] = values[0]
        self.notes.append('loop: first iteration (%s = %r)' % (s.target.id, values[0]))
        self.walk(s.body)
      return
    if isinstance(s, (ast.With, ast.Try)):
      self.walk(s.body)
      return
    if isinstance(s, ast.While):
      return
    if isinstance(s, ast.Assign) and len(s.targets) == 1:
      t = s.targets[0]
      if isinstance(t, ast.Name):
        try:
          self.env[t.id] = _const(s.value, self.env)
        except Unknown:
          self.env.pop(t.id, None)
        return
      if isinstance(t, ast.Attribute) and t.attr == 'emcc_args':
        try:
          self.emcc_args = list(_const(s.value, self.env))
        except Unknown:
          self.notes.append('emcc_args assigned from an expression')
        return
    if isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Attribute) and s.target.attr == 'emcc_args':
      try:
        self.emcc_args += list(_const(s.value, self.env))
      except Unknown:
        self.notes.append('emcc_args extended with an expression')
      return
    if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call):
      self.call(s.value)

  def condition(self, node):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
      return not self.condition(node.operand)
    if isinstance(node, ast.BoolOp):
      values = [self.condition(v) for v in node.values]
      return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)):
      right = node.comparators[0]
      if isinstance(right, ast.Attribute) and right.attr == 'emcc_args':
        found = _const(node.left, self.env) in self.emcc_args + ['-O2']
        return found if isinstance(node.ops[0], ast.In) else not found
      raise Unknown('comparison')
    if isinstance(node, ast.Name):
      if node.id == 'WINDOWS' or node.id == 'MACOS':
        return False
      if node.id in self.env:
        return bool(self.env[node.id])
      raise Unknown(node.id)
    if isinstance(node, ast.Call):
      name = _call_name(node)
      if name == 'is_wasm':
        return True
      if name in ('is_wasm2js', 'can_do_standalone', 'is_sanitizing', 'maybe_closure'):
        return False
      if name == 'is_optimizing':
        return True
      if name == 'get_setting':
        return bool(self.settings.get(_const(node.args[0], self.env)))
      if name == 'has_changed_setting':
        return _const(node.args[0], self.env) in self.settings
    raise Unknown(ast.unparse(node)[:40])

  def call(self, c):
    name = _call_name(c)
    f = c.func
    owner = f.value.attr if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Attribute) else None
    try:
      if owner == 'emcc_args' and name == 'append':
        self.emcc_args.append(_const(c.args[0], self.env))
      elif owner == 'emcc_args' and name == 'remove':
        v = _const(c.args[0], self.env)
        if v in self.emcc_args:
          self.emcc_args.remove(v)
      elif owner == 'emcc_args' and name == 'extend':
        self.emcc_args += _const(c.args[0], self.env)
      elif name == 'set_setting':
        key = _const(c.args[0], self.env)
        value = _const(c.args[1], self.env) if len(c.args) > 1 else 1
        self.settings[key] = value
        if key in SKIP_SETTINGS and value not in (0, False) and not self.skip:
          self.skip = SKIP_SETTINGS[key]
      elif name == 'clear_setting':
        self.settings.pop(_const(c.args[0], self.env), None)
      elif name == 'create_file':
        self.files[_const(c.args[0], self.env)] = _const(c.args[1], self.env)
      elif name in SKIP_BODY_CALLS:
        self.skip = self.skip or SKIP_BODY_CALLS[name]
      elif name in RUN_CALLS:
        self.run_call(name, c)
      elif name in ('maybe_closure', 'skipTest', 'add_pre_run', 'add_post_run', 'add_on_exit'):
        if name == 'skipTest':
          self.notes.append('may skip itself')
        elif name != 'maybe_closure':
          self.notes.append('uses ' + name)
      elif name in ('run_process', 'build', 'emcc'):
        self.notes.append('runs its own build step')
    except Unknown as e:
      self.notes.append('%s: argument not literal (%s)' % (name, e))

  def run_call(self, name, c):
    src = _const(c.args[0], self.env)
    kwargs = {}
    for k in c.keywords:
      if k.arg is None:
        self.notes.append('run call with **kwargs')
        continue
      try:
        kwargs[k.arg] = _const(k.value, self.env)
      except Unknown:
        kwargs[k.arg] = None
        self.notes.append('%s= not literal' % k.arg)
    if src.startswith(EMSCRIPTEN_TESTS + '/'):
      src = src[len(EMSCRIPTEN_TESTS) + 1:]
    elif name == 'do_core_test':
      src = os.path.join('core', src)
    # Which expected output: the .out file (do_core_test,
    # do_run_in_out_file_test; do_runf/do_run_from_file when given the .out
    # file's text, maybe with a replace()), or a literal string.
    uses_out, replace = True, None
    if name in ('do_runf', 'do_run_from_file'):
      uses_out = False
      expected = c.args[1] if len(c.args) > 1 else None
      if expected is not None:
        if (isinstance(expected, ast.Call) and isinstance(expected.func, ast.Attribute)
                and expected.func.attr == 'replace'):
          try:
            replace = [_const(a, dict(self.env, **{'shared.EMSCRIPTEN_VERSION': None})) for a in expected.args]
          except Unknown:
            replace = [_const(expected.args[0], self.env), 'EMSCRIPTEN_VERSION']
          expected = expected.func.value
        text = ast.unparse(expected)
        uses_out = name == 'do_run_from_file' or 'read_file' in text or '.out' in text
    self.runs.append({
        'src': os.path.normpath(src),
        'kwargs': kwargs,
        'emcc_args': list(self.emcc_args),
        'settings': dict(self.settings),
        'files': dict(self.files),
        'notes': list(self.notes),
        'skip': self.skip,
        'test': self.test_name,
        'uses_out': uses_out,
        'replace': replace,
    })


def parse_test_core(path=None):
  """Maps each program path (relative to tests/) to the runs of it that
  test_core.py makes, in file order."""
  path = path or os.path.join(EMSCRIPTEN_TESTS, 'test_core.py')
  with open(path) as f:
    tree = ast.parse(f.read())
  runs = {}
  for cls in tree.body:
    if not (isinstance(cls, ast.ClassDef) and cls.name == 'TestCoreBase'):
      continue
    for fn in cls.body:
      if not isinstance(fn, ast.FunctionDef) or not fn.name.startswith('test_'):
        continue
      body = _Body(fn.name, fn.decorator_list)
      if fn.args.vararg:
        body.env[fn.args.vararg.arg] = ()
      params = getattr(body, 'params', None)
      if params is not None:
        names = [a.arg for a in fn.args.args[1:]]
        body.env.update(dict(zip(names, params)))
      body.walk(fn.body)
      for r in body.runs:
        runs.setdefault(r['src'], []).append(r)
  return runs


def discover(tests_dir=EMSCRIPTEN_TESTS):
  """Every program with a matching .out: tests/core/*.{c,cpp} and
  tests/test_*.{c,cpp}. Returns paths relative to tests_dir, sorted."""
  found = []
  for sub, prefix in (('core', ''), ('', 'test_')):
    d = os.path.join(tests_dir, sub)
    for name in sorted(os.listdir(d)):
      stem, ext = os.path.splitext(name)
      if ext not in ('.c', '.cpp') or not name.startswith(prefix):
        continue
      if os.path.exists(os.path.join(d, stem + '.out')):
        found.append(os.path.join(sub, name) if sub else name)
  return found


def cases(tests_dir=EMSCRIPTEN_TESTS):
  """One case per program: the first run of it in test_core.py that uses
  its own .out file (no out_suffix), or defaults when the suite runs it
  elsewhere (test_other.py, test_browser.py) or not at all."""
  runs = parse_test_core(os.path.join(tests_dir, 'test_core.py'))
  result = []
  for src in discover(tests_dir):
    stem = os.path.splitext(src)[0]
    chosen = None
    for r in runs.get(src, []):
      if not r['kwargs'].get('out_suffix') and r['uses_out']:
        chosen = r
        break
    case = {
        'name': stem.replace('/', '_') if not stem.startswith('core/') else stem[len('core/'):],
        'src': src,
        'out': stem + '.out',
        'cxx': src.endswith('.cpp'),
        'args': [],
        'emcc_args': [],
        'settings': {},
        'files': {},
        'returncode': 0,
        'interleaved': True,
        'identical': False,
        'regex': False,
        'check_for_error': True,
        'skip': None,
        'notes': [],
        'test': None,
        'replace': None,
    }
    if chosen:
      kw = chosen['kwargs']
      case['test'] = chosen['test']
      case['emcc_args'] = [a for a in chosen['emcc_args'] + (kw.get('emcc_args') or []) if isinstance(a, str)]
      case['settings'] = chosen['settings']
      case['files'] = chosen['files']
      case['skip'] = chosen['skip']
      case['replace'] = chosen['replace']
      case['notes'] = chosen['notes']
      if 'args' in kw:
        if kw['args'] is None:
          case['notes'].append('args not literal')
        else:
          case['args'] = [str(a) for a in kw['args']]
      if 'assert_returncode' in kw and kw['assert_returncode'] is not None:
        case['returncode'] = kw['assert_returncode']
      if kw.get('interleaved_output') is False:
        case['interleaved'] = False
      case['identical'] = bool(kw.get('assert_identical'))
      case['regex'] = bool(kw.get('regex'))
      if kw.get('check_for_error') is False:
        case['check_for_error'] = False
      if 'output_nicerizer' in kw:
        case['notes'].append('output_nicerizer not applied')
      if kw.get('force_c'):
        case['emcc_args'].append('-xc')
    else:
      case['notes'] = ['not run by test_core.py: default flags']
    for key, value in case['settings'].items():
      if key in SKIP_SETTINGS and value not in (0, False) and not case['skip']:
        case['skip'] = SKIP_SETTINGS[key]
    result.append(case)
  return result


def compile_flags(case):
  """Flags that change how the program's code is compiled (and so also
  apply to a side module): -f/-m/-D/-I/-std flags, and -fexceptions when the
  suite turns exception catching on."""
  flags = []
  for a in case['emcc_args']:
    if a.startswith(('-f', '-m', '-D', '-I', '-std', '-U', '-W', '-x')) and a not in ('-Werror',):
      flags.append(a)
    elif a == '--tracing':
      # Defines __EMSCRIPTEN_TRACING__ for the compile, too.
      flags.append(a)
    elif a == '--profiling-funcs':
      # Keeps function names (the name section) in the wasm the side module
      # is, too: stack traces show them (test_demangle_stacks).
      flags.append(a)
  catching = (case['settings'].get('DISABLE_EXCEPTION_CATCHING') in (0, '0')
              or 'EXCEPTION_CATCHING_ALLOWED' in case['settings'])
  if catching and '-fexceptions' not in flags:
    flags.append('-fexceptions')
  return flags


def link_flags(case):
  """Settings (-sKEY=VALUE) and the other link-time arguments of the suite,
  for a plain emcc build or an Emscripten main module."""
  flags = [_setting_flag(k, v) for k, v in case['settings'].items()]
  skip_next = False
  args = case['emcc_args']
  for i, a in enumerate(args):
    if skip_next:
      skip_next = False
      continue
    if a.startswith(('-f', '-m', '-D', '-I', '-std', '-U', '-W', '-x')):
      continue
    if a in ('--embed-file', '--preload-file', '--pre-js', '--post-js', '--js-library') and i + 1 < len(args):
      flags += [a, args[i + 1]]
      skip_next = True
      continue
    if a.startswith('-O') or a == '-g':
      continue
    if a.startswith('--closure'):
      # The closure compiler is not installed with Debian's emscripten; it
      # only minifies the JS.
      skip_next = a == '--closure'
      continue
    flags.append(a)
  return flags


if __name__ == '__main__':
  import json
  import sys
  cs = cases()
  if len(sys.argv) > 1:
    cs = [c for c in cs if c['name'] in sys.argv[1:]]
  print(json.dumps(cs, indent=1))
