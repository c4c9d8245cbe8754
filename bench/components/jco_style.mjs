// A "jco-style" JS glue for the benchmark's baseline: what JS glue between
// two components' memories does when it goes through JS values — lift into
// a JS value (TextDecoder for strings, a copied Uint8Array for list<u8>),
// then lower it into the other memory (TextEncoder, a second copy). Written
// for this benchmark from that description; other types fall back to the
// generic JS adapter (web/cabi).
import { createJsAdapter } from '../../web/component/js_adapter.mjs';

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function kindOf(func) {
  const ks = func.params.map((p) => (p.t.k === 'list' ? `list<${p.t.t.k}>` : p.t.k)).join(',');
  const rs = func.results.map((r) => r.t.k).join(',');
  return `${ks}->${rs}`;
}

export function jcoStyleAdapter(options) {
  const { func, caller, callee, target, postReturn } = options;
  const kind = kindOf(func);
  const src = () => caller.memory.buffer;
  const dst = () => callee.memory.buffer;
  const realloc = callee.realloc;
  if (kind === 'list<u8>->u32') {
    return (ptr, len) => {
      const bytes = new Uint8Array(src(), ptr, len).slice();             // lift: a JS Uint8Array
      const p = realloc(0, 0, 1, bytes.length) >>> 0;                      // lower: allocate, copy
      new Uint8Array(dst(), p, bytes.length).set(bytes);
      const r = target(p, bytes.length);
      postReturn?.(r);
      return r;
    };
  }
  if (kind === 'string->u32') {
    return (ptr, len) => {
      const s = decoder.decode(new Uint8Array(src(), ptr, len));          // lift: a JS string
      // lower: optimistic one byte per UTF-16 unit, encodeInto, grow if short.
      let size = s.length;
      let p = realloc(0, 0, 1, size) >>> 0;
      let { read, written } = encoder.encodeInto(s, new Uint8Array(dst(), p, size));
      if (read < s.length) {
        const more = encoder.encode(s.slice(read));
        p = realloc(p, size, 1, written + more.length) >>> 0;
        new Uint8Array(dst(), p + written, more.length).set(more);
        size = written + more.length;
        written = size;
      }
      const r = target(p, written);
      postReturn?.(r);
      return r;
    };
  }
  if (kind === 'u32,u32->u32') {
    return (a, b) => {
      const r = target(a >>> 0, b >>> 0);
      postReturn?.(r);
      return r >>> 0;
    };
  }
  if (kind === 'u32,u8,bool->u32') {
    return (x, factor, clamp) => {
      const r = target(x >>> 0, factor & 0xff, clamp ? 1 : 0);
      postReturn?.(r);
      return r >>> 0;
    };
  }
  return createJsAdapter(options);
}
