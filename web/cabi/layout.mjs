// lazylink: Canonical ABI layout and flattening in JS (CanonicalABI.md,
// "Despecialization", "Alignment", "Element Size", "Flattening"). One
// function per spec function; `addr` is the memory's address type, 'i32'
// (wasm32) or 'i64' (memory64). Results are memoized on the type objects.
//
//   alignment(t, 'i32'); elemSize(t, 'i64'); flattenType(t, 'i32');
//   flattenFuncType(ft, 'i32', 'lift')  // {params: ['i32', ...], results: [...]}

export const MAX_FLAT_PARAMS = 16;
export const MAX_FLAT_RESULTS = 1;

export function ptrSize(addr) {
  return addr === 'i64' ? 8 : 4;
}

const memo = new WeakMap();
function cached(t, key, compute) {
  let m = memo.get(t);
  if (!m) memo.set(t, (m = new Map()));
  if (!m.has(key)) m.set(key, compute());
  return m.get(key);
}

/** despecialize() for variant-like types: [{label, t|null}]. */
export function despecializeCases(t) {
  return cached(t, 'cases', () => {
    switch (t.k) {
      case 'variant': return t.cases;
      case 'enum': return t.labels.map((label) => ({ label, t: null }));
      case 'option': return [{ label: 'none', t: null }, { label: 'some', t: t.t }];
      case 'result': return [{ label: 'ok', t: t.ok }, { label: 'error', t: t.err }];
      default: return null;
    }
  });
}

/** despecialize() for record-like types: [{label, t}]; a map's element is a pair. */
export function despecializeFields(t) {
  return cached(t, 'fields', () => {
    switch (t.k) {
      case 'record': return t.fields;
      case 'tuple': return t.ts.map((ft, i) => ({ label: String(i), t: ft }));
      default: return null;
    }
  });
}

/** The element type of a list, or the (key, value) tuple of a map. */
export function listElement(t) {
  return cached(t, 'element', () => (t.k === 'map' ? { k: 'tuple', ts: [t.key, t.value] } : t.t));
}

export function alignTo(ptr, alignment) {
  return Math.ceil(ptr / alignment) * alignment;
}

/** discriminant_type(): the discriminant's byte size for n cases. */
export function discriminantSize(n) {
  if (n <= 0x100) return 1;
  if (n <= 0x10000) return 2;
  return 4;
}

export function alignment(t, addr) {
  return cached(t, `align${addr}`, () => {
    switch (t.k) {
      case 'bool': case 's8': case 'u8': return 1;
      case 's16': case 'u16': return 2;
      case 's32': case 'u32': case 'f32': case 'char': return 4;
      case 's64': case 'u64': case 'f64': return 8;
      case 'string': return ptrSize(addr);
      case 'list': case 'map': return alignmentList(t, addr);
      case 'record': case 'tuple': return alignmentRecord(despecializeFields(t), addr);
      case 'variant': case 'enum': case 'option': case 'result':
        return alignmentVariant(despecializeCases(t), addr);
      case 'flags': return alignmentFlags(t.labels);
      case 'own': case 'borrow': return 4;
      default: throw new TypeError(`unknown type kind ${t.k}`);
    }
  });
}

function alignmentList(t, addr) {
  if (t.k === 'list' && t.n) return alignment(t.t, addr);
  return ptrSize(addr);
}

function alignmentRecord(fields, addr) {
  let a = 1;
  for (const f of fields) a = Math.max(a, alignment(f.t, addr));
  return a;
}

function alignmentVariant(cases, addr) {
  return Math.max(discriminantSize(cases.length), maxCaseAlignment(cases, addr));
}

export function maxCaseAlignment(cases, addr) {
  let a = 1;
  for (const c of cases) if (c.t) a = Math.max(a, alignment(c.t, addr));
  return a;
}

function alignmentFlags(labels) {
  const n = labels.length;
  if (n <= 8) return 1;
  if (n <= 16) return 2;
  return 4;
}

export function elemSize(t, addr) {
  return cached(t, `size${addr}`, () => {
    switch (t.k) {
      case 'bool': case 's8': case 'u8': return 1;
      case 's16': case 'u16': return 2;
      case 's32': case 'u32': case 'f32': case 'char': return 4;
      case 's64': case 'u64': case 'f64': return 8;
      case 'string': return 2 * ptrSize(addr);
      case 'list': case 'map': return elemSizeList(t, addr);
      case 'record': case 'tuple': return elemSizeRecord(despecializeFields(t), addr);
      case 'variant': case 'enum': case 'option': case 'result':
        return elemSizeVariant(despecializeCases(t), addr);
      case 'flags': return elemSizeFlags(t.labels);
      case 'own': case 'borrow': return 4;
      default: throw new TypeError(`unknown type kind ${t.k}`);
    }
  });
}

function elemSizeList(t, addr) {
  if (t.k === 'list' && t.n) return t.n * elemSize(t.t, addr);
  return 2 * ptrSize(addr);
}

function elemSizeRecord(fields, addr) {
  let s = 0;
  for (const f of fields) {
    s = alignTo(s, alignment(f.t, addr));
    s += elemSize(f.t, addr);
  }
  return alignTo(s, alignmentRecord(fields, addr));
}

function elemSizeVariant(cases, addr) {
  let s = discriminantSize(cases.length);
  s = alignTo(s, maxCaseAlignment(cases, addr));
  let cs = 0;
  for (const c of cases) if (c.t) cs = Math.max(cs, elemSize(c.t, addr));
  s += cs;
  return alignTo(s, alignmentVariant(cases, addr));
}

function elemSizeFlags(labels) {
  return alignmentFlags(labels);
}

/** flatten_type(): the core value types of a value, e.g. ['i32', 'i64']. */
export function flattenType(t, addr) {
  return cached(t, `flat${addr}`, () => {
    switch (t.k) {
      case 'bool': case 's8': case 'u8': case 's16': case 'u16': case 's32': case 'u32':
      case 'char': case 'flags': case 'own': case 'borrow':
        return ['i32'];
      case 's64': case 'u64': return ['i64'];
      case 'f32': return ['f32'];
      case 'f64': return ['f64'];
      case 'string': case 'map': return [addr, addr];
      case 'list': return flattenList(t, addr);
      case 'record': case 'tuple': return flattenRecord(despecializeFields(t), addr);
      case 'variant': case 'enum': case 'option': case 'result':
        return flattenVariant(despecializeCases(t), addr);
      default: throw new TypeError(`unknown type kind ${t.k}`);
    }
  });
}

export function flattenTypes(ts, addr) {
  return ts.flatMap((t) => flattenType(t, addr));
}

function flattenList(t, addr) {
  if (!t.n) return [addr, addr];
  const e = flattenType(t.t, addr);
  const out = [];
  for (let i = 0; i < t.n; i++) out.push(...e);
  return out;
}

function flattenRecord(fields, addr) {
  return fields.flatMap((f) => flattenType(f.t, addr));
}

/** flatten_variant(): discriminant, then each position joined over the cases. */
export function flattenVariant(cases, addr) {
  const flat = [];
  for (const c of cases) {
    if (!c.t) continue;
    flattenType(c.t, addr).forEach((ft, i) => {
      if (i < flat.length) flat[i] = join(flat[i], ft);
      else flat.push(ft);
    });
  }
  return ['i32', ...flat];
}

export function join(a, b) {
  if (a === b) return a;
  if ((a === 'i32' && b === 'f32') || (a === 'f32' && b === 'i32')) return 'i32';
  return 'i64';
}

/**
 * flatten_functype() for synchronous functions. `ft` is {params: [{t}], results: [{t}]}
 * (TypeTable.func) or {params: [type], results: [type]}; context is 'lift' or 'lower'.
 */
export function flattenFuncType(ft, addr, context) {
  const types = (list) => list.map((p) => (p && p.k === undefined && p.t ? p.t : p));
  let params = flattenTypes(types(ft.params), addr);
  let results = flattenTypes(types(ft.results), addr);
  if (params.length > MAX_FLAT_PARAMS) params = [addr];
  if (results.length > MAX_FLAT_RESULTS) {
    if (context === 'lift') {
      results = [addr];
    } else {
      params = [...params, addr];
      results = [];
    }
  }
  return { params, results };
}
