// lazylink: the per-call context of the JS Canonical ABI (the spec's
// LiftLowerContext + CanonicalOptions): one side's memory, its address type,
// string encoding and cabi_realloc, and the name of the boundary for errors.
//
//   const cx = createContext({
//     memory: instance.exports.memory,          // WebAssembly.Memory, ArrayBuffer or Uint8Array
//     addr: 'i32',                              // 'i64' for memory64
//     stringEncoding: 'utf8',                   // 'utf16' | 'latin1+utf16'
//     realloc: instance.exports.cabi_realloc,   // (oldPtr, oldSize, align, newSize) -> ptr
//     boundary: 'host -> plugin demo:img/filter#apply',
//   });
//
// Traps throw CanonicalAbiTrap (a spec trap: the guest's data or allocator is
// wrong); bad JS values throw CanonicalAbiValueError (the host's mistake).

export class CanonicalAbiTrap extends Error {
  constructor(what, boundary = '') {
    super(boundary ? `${boundary}: ${what}` : what);
    this.name = 'CanonicalAbiTrap';
    this.what = what;
    this.boundary = boundary;
  }
}

export class CanonicalAbiValueError extends TypeError {
  constructor(what, boundary = '') {
    super(boundary ? `${boundary}: ${what}` : what);
    this.name = 'CanonicalAbiValueError';
    this.what = what;
    this.boundary = boundary;
  }
}

export const STRING_ENCODINGS = Object.freeze(['utf8', 'utf16', 'latin1+utf16']);
export const MAX_STRING_BYTE_LENGTH = 2 ** 28 - 1;
export const MAX_LIST_BYTE_LENGTH = 2 ** 28 - 1;

export function hex(n) {
  return typeof n === 'bigint' ? `0x${n.toString(16)}` : `0x${Number(n).toString(16)}`;
}

export class Context {
  constructor({ memory, addr = 'i32', stringEncoding = 'utf8', realloc = null, boundary = '' }) {
    if (addr !== 'i32' && addr !== 'i64') throw new TypeError(`addr must be 'i32' or 'i64', not ${addr}`);
    if (!STRING_ENCODINGS.includes(stringEncoding)) {
      throw new TypeError(`stringEncoding must be one of ${STRING_ENCODINGS.join(', ')}`);
    }
    this.memory = memory;
    this.addr = addr;
    this.stringEncoding = stringEncoding;
    this.realloc = realloc;
    this.boundary = boundary;
    this.ptrSize = addr === 'i64' ? 8 : 4;
    this.utf16Tag = addr === 'i64' ? 2n ** 63n : 2 ** 31;
    this.cachedBuffer = null;
    this.cachedBytes = null;
    this.cachedView = null;
  }

  #refresh() {
    const m = this.memory;
    let buffer;
    let offset = 0;
    let length;
    if (m instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && m instanceof SharedArrayBuffer)) {
      buffer = m;
      length = m.byteLength;
    } else if (ArrayBuffer.isView(m)) {
      buffer = m.buffer;
      offset = m.byteOffset;
      length = m.byteLength;
    } else if (m && m.buffer) {
      buffer = m.buffer; // WebAssembly.Memory: the buffer changes when memory grows
      length = buffer.byteLength;
    } else {
      throw new TypeError('memory must be a WebAssembly.Memory, ArrayBuffer or typed array');
    }
    if (buffer !== this.cachedBuffer || this.cachedBytes.byteLength !== length) {
      this.cachedBuffer = buffer;
      this.cachedBytes = new Uint8Array(buffer, offset, length);
      this.cachedView = new DataView(buffer, offset, length);
    }
  }

  /** The memory's bytes (re-created after memory growth). */
  bytes() {
    this.#refresh();
    return this.cachedBytes;
  }

  view() {
    this.#refresh();
    return this.cachedView;
  }

  memoryLength() {
    return this.bytes().byteLength;
  }

  trap(what) {
    return new CanonicalAbiTrap(what, this.boundary);
  }

  valueError(what) {
    return new CanonicalAbiValueError(what, this.boundary);
  }

  /** A pointer or length from a flat value (Number or BigInt) as a Number. */
  toNumber(v) {
    if (typeof v === 'bigint') {
      const u = BigInt.asUintN(64, v);
      return u > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(u);
    }
    return this.addr === 'i32' ? v >>> 0 : v;
  }

  /** A pointer or length as the flat value of this memory's address type. */
  fromNumber(n) {
    return this.addr === 'i64' ? BigInt(n) : n >>> 0;
  }

  /**
   * Calls cabi_realloc and checks its result (CanonicalABI.md: the result is
   * aligned and [ptr, ptr + newSize) is inside the memory).
   */
  callRealloc(oldPtr, oldSize, align, newSize) {
    if (!this.realloc) throw this.trap('a value needs memory but no cabi_realloc was given');
    const args = [oldPtr, oldSize, align, newSize].map((v) => this.fromNumber(v));
    const ptr = this.toNumber(this.realloc(...args));
    if (ptr % align !== 0) {
      throw this.trap(`cabi_realloc returned ${hex(ptr)}, which is not aligned to ${align}`);
    }
    if (ptr + newSize > this.memoryLength()) {
      throw this.trap(`cabi_realloc returned ${hex(ptr)} for ${newSize} bytes, past the end of memory (${this.memoryLength()} bytes)`);
    }
    return ptr;
  }

  /** trap_if(ptr != align_to(ptr, align)); trap_if(ptr + size > len(memory)). */
  checkRange(ptr, size, align, what) {
    if (ptr % align !== 0) throw this.trap(`${what} pointer ${hex(ptr)} is not aligned to ${align}`);
    if (ptr + size > this.memoryLength()) {
      throw this.trap(`${what} at ${hex(ptr)} (${size} bytes) is out of bounds of memory (${this.memoryLength()} bytes)`);
    }
  }
}

export function createContext(options) {
  return options instanceof Context ? options : new Context(options);
}
