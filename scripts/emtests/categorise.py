"""Sorts lazylink's failures on Emscripten's test programs into categories
(undefined symbol, file system, EM_ASM, exceptions, wrong output, ...) and
writes them as markdown: what fails, with the program and the message."""

import os
import re

SOURCE_FEATURES = [
    # (category, regex over the program's source), first match wins; used
    # only when the run itself says nothing more specific.
    ('file system', r'\b(fopen|open|opendir|mkdir|unlink|stat|lstat|fstat|access|chdir|getcwd|tmpfile|mkstemp|rename|readlink|symlink|FS\.)\s*\('),
    ('exceptions', r'\b(throw|try)\b'),
    ('setjmp/longjmp', r'\b(setjmp|longjmp)\s*\('),
    ('time and clocks', r'\b(time|clock|gettimeofday|clock_gettime|strftime|localtime|gmtime|mktime)\s*\('),
    ('emscripten API', r'\bemscripten_\w+\s*\('),
]


def _source(tests_dir, src):
  try:
    with open(os.path.join(tests_dir, src), errors='replace') as f:
      return f.read()
  except OSError:
    return ''


def categorise(program, tests_dir):
  """(category, detail) for a program lazylink does not pass."""
  r = program['results']['lazylink']
  status = r['status']
  if status == 'skip':
    return 'skipped: ' + r['reason'], ''
  if status == 'build-error':
    log = r.get('detail', '')
    if re.search(r'EM_ASM|EM_JS|em_asm|em_js', log):
      return 'EM_ASM / EM_JS in a side module (emcc 3.1.6 refuses it)', first_line(log, r'error')
    return 'side module does not build', first_line(log, r'error')
  out = r.get('output', '')
  undefined = re.findall(r'undefined symbol:? `?([A-Za-z_$][\w$.]*)', out)
  if undefined:
    return 'undefined symbol', ', '.join(sorted(set(undefined)))
  if r.get('reason') == 'timeout':
    return 'timeout (no exit)', last_lines(out)
  if r.get('rc') == 127:
    return 'link error', first_line(out, r'lazylink')
  if re.search(r'does not export|not exported|no export', out):
    return 'link error', first_line(out, r'export')
  if 'internal error' in out:
    return 'lazylink internal error', first_line(out, r'internal error')
  if re.search(r'EM_ASM|emscripten_run_script|emscripten_asm_const', out):
    return 'EM_ASM / JS', first_line(out, r'EM_ASM|asm_const|run_script')
  if 'trapped' in out:
    return 'trap', first_line(out, r'trapped')
  if re.search(r'uncaught|exception', out, re.I) and r.get('rc') not in (0, None):
    return 'exceptions (uncaught)', first_line(out, r'(?i)uncaught|exception')
  if re.search(r'Assertion failed|abort', out) and r.get('rc') not in (0, None):
    return 'abort / assertion', first_line(out, r'Assertion|abort')
  src = _source(tests_dir, program['src'])
  for category, pattern in SOURCE_FEATURES:
    if re.search(pattern, src):
      return 'wrong output or status (program uses %s)' % category, describe(r)
  return 'wrong output or status', describe(r)


def describe(r):
  parts = [r.get('reason', '')]
  if r.get('diff'):
    parts.append(r['diff'])
  return '; '.join(p for p in parts if p)


def first_line(text, pattern):
  for line in (text or '').split('\n'):
    if re.search(pattern, line):
      return line.strip()[:240]
  return last_lines(text)


def last_lines(text, n=2):
  lines = [l for l in (text or '').strip().split('\n') if l.strip()]
  return ' | '.join(lines[-n:])[:240]


def markdown(results, summary, tests_dir):
  failing = [p for p in results if p['results']['lazylink']['status'] not in ('pass', 'skip')]
  groups = {}
  for p in failing:
    cat, detail = categorise(p, tests_dir)
    groups.setdefault(cat, []).append((p, detail))
  counts = summary['passes']
  lines = ['# lazylink on Emscripten 3.1.6\'s test programs: failures by category', '',
           'Measured %s at commit %s (%s); `scripts/emtests/run.py` '
           '(scripts/emtests/README.md).' % (summary['date'], summary['commit'], summary.get('emcc')),
           '',
           '| programs | ' + ' | '.join(counts) + ' |',
           '|---|' + '---|' * len(counts),
           '| %d | ' % summary['programs'] + ' | '.join(str(v) for v in counts.values()) + ' |',
           '']
  if 'dylink_pass_lazylink_fail' in summary:
    lines += ['Emscripten\'s dynamic linker passes and lazylink fails (%d): %s' % (
        len(summary['dylink_pass_lazylink_fail']), ', '.join(summary['dylink_pass_lazylink_fail']) or 'none'), '']
  if 'plain_pass_lazylink_fail' in summary:
    lines += ['Plain emcc passes and lazylink fails: %d' % summary['plain_pass_lazylink_fail'], '']
  packed = [p for p in results if 'packed' in p['results'] and p['results']['lazylink']['status'] == 'pass'
            and p['results']['packed']['status'] not in ('pass', 'skip')]
  if packed:
    lines += ['## Passed by `lazylink run` of the module, failed once packed (`lazylink pack`, run from the manifest) (%d)' % len(packed), '']
    for p in packed:
      r = p['results']['packed']
      what = r.get('reason') or r['status']
      out = last_lines(r.get('output') or r.get('detail') or '', 3)
      lines.append('- `%s`: %s: %s' % (p['src'], what, out.replace('`', "'")))
    lines.append('')
  lines += ['Columns: program, whether plain emcc / Emscripten\'s dynamic linker pass it, and what lazylink did.', '']
  symbols = {}
  for p, detail in groups.get('undefined symbol', []):
    for s in detail.split(', '):
      symbols.setdefault(s, []).append(p['name'])
  for cat in sorted(groups, key=lambda c: (-len(groups[c]), c)):
    items = groups[cat]
    lines += ['## %s (%d)' % (cat, len(items)), '']
    if cat == 'undefined symbol':
      lines += ['Symbols, with the programs that need them:', '']
      for s in sorted(symbols, key=lambda s: (-len(symbols[s]), s)):
        lines.append('- `%s`: %s' % (s, ', '.join(symbols[s])))
      lines.append('')
    for p, detail in items:
      other = []
      for w in ('plain', 'dylink'):
        if w in p['results']:
          other.append('%s %s' % (w, p['results'][w]['status']))
      flags = (' ' + ' '.join(p['flags'])) if p['flags'] else ''
      args = (' args ' + ' '.join(p['args'])) if p['args'] else ''
      lines.append('- `%s`%s%s (%s): %s' % (p['src'], flags, args, ', '.join(other), detail.replace('`', "'")))
    lines.append('')
  return '\n'.join(lines)
