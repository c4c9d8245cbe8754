// The state every host function works against: the domain's memory (views
// refreshed after growth), libstd's exports, stdio sinks, args and environ.
// Host modules (wasi.mjs, emscripten.mjs, ...) receive one HostContext and
// return their functions as entries: [module, name, sig, fn] where sig is
// Emscripten style ('iii': result first, 'v' for none) or '' for "whatever
// the import declares", and a name ending in '*' is a factory
// (importName) => fn for every import with that prefix.

export const ENOSYS = 52;  // Emscripten's errno numbering (wasi)
export const EBADF = 8;
export const EINVAL = 28;
export const ENOENT = 44;
export const ENOTTY = 59;
export const ESPIPE = 70;

// Thrown by exit()/proc_exit to unwind out of wasm.
export class ExitStatus extends Error {
  constructor(code) {
    super(`exit(${code})`);
    this.name = 'ExitStatus';
    this.status = code;
  }
}

// Abnormal termination (abort(), std::terminate, an uncaught C++ exception):
// status 134, what a shell reports for a process killed by SIGABRT.
export const ABORT_STATUS = 134;
export class Abort extends ExitStatus {
  constructor(reason) {
    super(ABORT_STATUS);
    this.name = 'Abort';
    // As Emscripten's abort() error reads ("Aborted(...)"), for JS code
    // (EM_ASM, JS libraries) that catches it and looks.
    this.message = `Aborted(${reason})`;
    this.reason = reason;
  }
}

export class HostContext {
  constructor(options = {}) {
    this.options = options;
    this.domain = null;
    this.libstd = null;
    this.args = options.args ?? ['program'];
    this.env = options.env ?? { USER: 'web_user', LOGNAME: 'web_user', PATH: '/', PWD: '/',
      HOME: '/home/web_user', LANG: 'C.UTF-8', _: './this.program' };
    this.stdout = options.stdout ?? ((text) => (typeof process !== 'undefined' && process.stdout
      ? process.stdout.write(text) : console.log(text)));
    this.stderr = options.stderr ?? ((text) => (typeof process !== 'undefined' && process.stderr
      ? process.stderr.write(text) : console.warn(text)));
    this.stdin = options.stdin ?? null;  // () => Uint8Array | null (EOF)
    this.decoders = [new TextDecoder(), new TextDecoder(), new TextDecoder()];
    this.warned = new Set();
    this.exitCode = null;
    // The high half of a legalized i64 result (Emscripten's tempRet0).
    this.tempRet0 = 0;
    this.buffer_ = null;
    this.u8_ = null;
    this.dv_ = null;
  }

  get memory() { return this.domain.memory; }

  // Views over the domain's memory, refreshed when it grew.
  get u8() {
    const buf = this.domain.memory.buffer;
    if (buf !== this.buffer_) this.refresh(buf);
    return this.u8_;
  }
  get dv() {
    const buf = this.domain.memory.buffer;
    if (buf !== this.buffer_) this.refresh(buf);
    return this.dv_;
  }
  refresh(buf) {
    this.buffer_ = buf;
    this.u8_ = new Uint8Array(buf);
    this.dv_ = new DataView(buf);
  }

  i32(addr) { return this.dv.getInt32(addr, true); }
  u32(addr) { return this.dv.getUint32(addr, true); }
  setI32(addr, v) { this.dv.setInt32(addr, v, true); }
  setU32(addr, v) { this.dv.setUint32(addr, v >>> 0, true); }
  setI64(addr, v) { this.dv.setBigInt64(addr, BigInt(v), true); }
  f64(addr) { return this.dv.getFloat64(addr, true); }

  // A NUL-terminated UTF-8 string.
  cstring(addr, max = Infinity) {
    const u8 = this.u8;
    let end = addr;
    while (end < u8.length && u8[end] !== 0 && end - addr < max) end++;
    return new TextDecoder().decode(u8.subarray(addr, end));
  }

  // Writes `text` + NUL into memory at addr (the caller sized it).
  writeCString(addr, text) {
    const bytes = new TextEncoder().encode(text);
    this.u8.set(bytes, addr);
    this.u8[addr + bytes.length] = 0;
    return bytes.length;
  }

  // malloc'ed copy of a string (the caller owns it).
  mallocCString(text) {
    const bytes = new TextEncoder().encode(text);
    const ptr = this.libstd.malloc(bytes.length + 1) >>> 0;
    if (!ptr) return 0;
    this.u8.set(bytes, ptr);
    this.u8[ptr + bytes.length] = 0;
    return ptr;
  }

  // Runs fn(ptr) with `text` on the app's stack.
  withStackString(text, fn) {
    const { stackSave, stackRestore, stackAlloc } = this.libstd;
    const sp = stackSave();
    try {
      const bytes = new TextEncoder().encode(text);
      const ptr = stackAlloc(bytes.length + 1) >>> 0;
      this.u8.set(bytes, ptr);
      this.u8[ptr + bytes.length] = 0;
      return fn(ptr);
    } finally {
      stackRestore(sp);
    }
  }

  // Writes bytes a program sent to fd 1 or 2.
  writeFd(fd, bytes) {
    const text = this.decoders[fd].decode(bytes, { stream: true });
    if (text) (fd === 1 ? this.stdout : this.stderr)(text);
  }

  // Ends the program abnormally: reports `reason` on stderr, then unwinds
  // out of wasm with status 134 (no atexit handlers, no stdio flush).
  abort(reason) {
    this.stderr(`lazylink: aborted: ${reason}\n`);
    throw new Abort(reason);
  }

  // A stub reports itself by name once (per name) on stderr.
  warnOnce(name, message) {
    if (this.warned.has(name)) return;
    this.warned.add(name);
    this.stderr(`lazylink: ${message}\n`);
  }
}
