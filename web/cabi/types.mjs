// lazylink: decoding the type descriptors written by the C++ core
// (loader/cabi/descriptor.h, docs/type-descriptors.md) into linked type
// objects that the Canonical ABI functions walk.
//
//   import { TypeTable } from './types.mjs';
//   const table = new TypeTable(descriptor.types);
//   const t = table.type(descriptor.refs['list<string>']);   // {k: 'list', t: {k: 'string'}}
//   const f = table.func(descriptor.exports[0].func);         // {params: [...], results: [...]}
//
// A reference is a primitive's name ("u8"), an index into the table, or (for
// hand-written descriptors) an inline entry object ({k: 'list', t: 'u8'}).

export const PRIMITIVES = Object.freeze([
  'bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string',
]);

const primitiveTypes = new Map(PRIMITIVES.map((k) => [k, Object.freeze({ k })]));

/** The shared type object of a primitive, e.g. primitive('u8'). */
export function primitive(name) {
  const t = primitiveTypes.get(name);
  if (!t) throw new TypeError(`not a primitive type: ${name}`);
  return t;
}

const COMPOUND = new Set(['list', 'record', 'tuple', 'variant', 'enum', 'flags', 'option', 'result',
  'map', 'own', 'borrow']);

export class TypeTable {
  /** @param {Array<object>} entries the descriptor's `types` array */
  constructor(entries = []) {
    this.entries = entries;
    this.decoded = new Array(entries.length);
  }

  /** The type object for a reference (primitive name, index or inline entry). */
  type(ref) {
    if (typeof ref === 'string') return primitive(ref);
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0 || ref >= this.entries.length) {
        throw new TypeError(`type reference ${ref} is not in the table (${this.entries.length} types)`);
      }
      if (!this.decoded[ref]) this.decoded[ref] = this.#decode(this.entries[ref]);
      return this.decoded[ref];
    }
    if (ref && typeof ref === 'object') {
      if (COMPOUND.has(ref.k)) return this.#decode(ref);
      if (primitiveTypes.has(ref.k)) return primitiveTypes.get(ref.k);
    }
    throw new TypeError(`not a type reference: ${JSON.stringify(ref)}`);
  }

  /** A function type: {params: [{label, t}], results: [{label, t}]}; label null for `-> T`. */
  func(desc) {
    const pair = ([label, ref]) => ({ label, t: this.type(ref) });
    return { params: desc.params.map(pair), results: desc.results.map(pair) };
  }

  #decode(e) {
    const opt = (ref) => (ref === null || ref === undefined ? null : this.type(ref));
    switch (e.k) {
      case 'list':
        return e.n ? { k: 'list', t: this.type(e.t), n: e.n, name: e.name } : { k: 'list', t: this.type(e.t), name: e.name };
      case 'option':
        return { k: 'option', t: this.type(e.t), name: e.name };
      case 'result':
        return { k: 'result', ok: opt(e.ok), err: opt(e.err), name: e.name };
      case 'map':
        return { k: 'map', key: this.type(e.key), value: this.type(e.value), name: e.name };
      case 'tuple':
        return { k: 'tuple', ts: e.ts.map((r) => this.type(r)), name: e.name };
      case 'record':
        return { k: 'record', fields: e.fields.map(([label, r]) => ({ label, t: this.type(r) })), name: e.name };
      case 'variant':
        return { k: 'variant', cases: e.cases.map(([label, r]) => ({ label, t: opt(r) })), name: e.name };
      case 'enum':
      case 'flags':
        return { k: e.k, labels: [...e.labels], name: e.name };
      case 'own':
      case 'borrow':
        return { k: e.k, resource: e.resource, name: e.name };
      default:
        throw new TypeError(`unknown type kind in descriptor: ${JSON.stringify(e.k)}`);
    }
  }
}

/** WIT-like text of a type, for messages. */
export function typeToString(t) {
  if (t === null) return '_';
  if (t.name) return `${t.k} ${t.name}`;
  switch (t.k) {
    case 'list': return t.n ? `list<${typeToString(t.t)}, ${t.n}>` : `list<${typeToString(t.t)}>`;
    case 'option': return `option<${typeToString(t.t)}>`;
    case 'result': return `result<${typeToString(t.ok)}, ${typeToString(t.err)}>`;
    case 'map': return `map<${typeToString(t.key)}, ${typeToString(t.value)}>`;
    case 'tuple': return `tuple<${t.ts.map(typeToString).join(', ')}>`;
    case 'record': return `record{${t.fields.map((f) => `${f.label}: ${typeToString(f.t)}`).join(', ')}}`;
    case 'variant': return `variant{${t.cases.map((c) => (c.t ? `${c.label}(${typeToString(c.t)})` : c.label)).join(', ')}}`;
    case 'enum':
    case 'flags': return `${t.k}{${t.labels.join(', ')}}`;
    case 'own':
    case 'borrow': return `${t.k}<${t.resource}>`;
    default: return t.k;
  }
}
