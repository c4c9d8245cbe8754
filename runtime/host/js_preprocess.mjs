// The part of Emscripten's JS-library preprocessor (src/parseTools.js
// `preprocess`) that lazylink runs on a --js-library file: #if, #ifdef,
// #elif, #else and #endif lines, each condition a JavaScript expression over
// the settings: the ones lazylink itself has (LAZYLINK_SETTINGS, what a
// library may ask about how it runs) and the app's own (lazylink run
// --js-define NAME[=VALUE], as emcc -jsDNAME=VALUE; load()'s jsLibrary
// entries { file, source, defines }). #include and {{{ ... }}} macros are not
// run: a library using them is refused, naming the file and line.
//
//   preprocessJsLibrary(source, 'lib.js', { CUSTOM_JS_OPTION: 1 })  // -> source

// How lazylink runs an app's JS, in Emscripten's setting names.
export const LAZYLINK_SETTINGS = Object.freeze({
  ASSERTIONS: 0,
  MEMORY64: 0,
  WASM: 1,
  WASM_BIGINT: 0,
  USE_PTHREADS: 0,
  SHARED_MEMORY: 0,
  RELOCATABLE: 1,
  MAIN_MODULE: 0,
  SIDE_MODULE: 1,
  MINIMAL_RUNTIME: 0,
  MODULARIZE: 0,
  EXIT_RUNTIME: 1,
});

const IDENT = /^[A-Za-z_$][\w$]*$/;

// "NAME" -> [NAME, 1]; "NAME=VALUE" -> [NAME, VALUE as number, true/false or text].
export function parseDefine(text) {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  if (!IDENT.test(name)) throw new Error(`--js-define ${text}: "${name}" is not a name`);
  if (eq < 0) return [name, 1];
  const raw = text.slice(eq + 1);
  if (raw === 'true' || raw === 'false') return [name, raw === 'true'];
  const n = Number(raw);
  return [name, raw.trim() !== '' && Number.isFinite(n) ? n : raw];
}

export function preprocessJsLibrary(source, file, defines = {}) {
  if (!/^\s*#/m.test(source)) return source;
  const settings = { ...LAZYLINK_SETTINGS, ...defines };
  const names = Object.keys(settings).filter((n) => IDENT.test(n));
  const values = names.map((n) => settings[n]);
  const evaluate = (expr, line) => {
    try {
      // eslint-disable-next-line no-new-func
      return !!new Function(...names, `"use strict"; return (${expr});`)(...values);
    } catch (e) {
      const unknown = e instanceof ReferenceError ? /^(\S+) is not defined/.exec(e.message)?.[1] : null;
      throw new Error(`JS library ${file}, line ${line}: #if ${expr}: ` +
        (unknown ? `${unknown} is not a setting lazylink knows; give its value with --js-define ${unknown}=VALUE`
                 : e.message));
    }
  };
  // One frame per open #if: whether its enclosing code is shown, whether a
  // branch of it was taken, whether the current branch is shown.
  const stack = [];
  const shown = () => stack.every((f) => f.on);
  const out = [];
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = /^\s*#(if|ifdef|ifndef|elif|else|endif|include)\b(.*)$/.exec(line);
    if (!m) {
      out.push(shown() ? line : '');
      continue;
    }
    const [, kw, rest] = m;
    const expr = rest.trim();
    const where = i + 1;
    if (kw === 'include') {
      if (shown()) {
        throw new Error(`JS library ${file}, line ${where}: #include is Emscripten's preprocessor's, which lazylink ` +
                        'does not run; put the included code into the library');
      }
    } else if (kw === 'if' || kw === 'ifdef' || kw === 'ifndef') {
      const outer = shown();
      let on = false;
      if (outer) {
        if (kw === 'if') on = evaluate(expr, where);
        else on = (Object.hasOwn(settings, expr) && !!settings[expr]) === (kw === 'ifdef');
      }
      stack.push({ on, taken: on, outer });
    } else {
      const top = stack.at(-1);
      if (!top) throw new Error(`JS library ${file}, line ${where}: #${kw} without #if`);
      if (kw === 'endif') stack.pop();
      else if (kw === 'else') {
        top.on = top.outer && !top.taken;
        top.taken = true;
      } else {
        top.on = top.outer && !top.taken && evaluate(expr, where);
        top.taken ||= top.on;
      }
    }
    out.push('');  // keep line numbers
  }
  if (stack.length) throw new Error(`JS library ${file}: ${stack.length} #if without #endif`);
  return out.join('\n');
}
