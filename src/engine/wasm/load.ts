// Compiling a WebAssembly module that ships as base64 text (see scripts/build-wasm.ts): no file
// system, no fetch, so the same code loads it in Node and in browsers.

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The compiled module, or null where WebAssembly (or its SIMD extension, which ours use) is missing. */
export function compileBase64Module(b64: string): WebAssembly.Module | null {
  try {
    return new WebAssembly.Module(decodeBase64(b64) as BufferSource);
  } catch {
    return null;
  }
}
