// SHA-256 as 64 lowercase hex digits. Asynchronous: WebCrypto (native,
// fast); where it is missing (pages without a secure context) the core's.
// Synchronous: the core's `sha256Hex` (loader/support/sha256.cc compiled to
// wasm), since WebCrypto has no synchronous API.
export const hasWebCrypto = !!(globalThis.crypto && globalThis.crypto.subtle);

export function toHex(buffer) {
  const b = new Uint8Array(buffer);
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

// getCore: () => Promise<core>, used only without WebCrypto.
export async function sha256HexAsync(bytes, getCore) {
  if (hasWebCrypto) return toHex(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return (await getCore()).sha256Hex(bytes);
}

export function sha256HexSync(bytes, core) {
  if (!core || typeof core.sha256Hex !== 'function') {
    throw new Error('synchronous SHA-256 needs the lazylink core (pass { core } to createModuleFetcher)');
  }
  return core.sha256Hex(bytes);
}
