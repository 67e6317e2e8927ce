/**
 * Where the WebAssembly codecs get their .wasm bytes. The core never reads files: a host (the Node edge in
 * ../node/codec-wasm.ts, or the browser app) registers a provider; without one the emscripten loader falls back to its
 * own lookup (fetch next to the script in a browser, fs next to the package in Node).
 */
export type WasmCodecName = "charls" | "openjpeg";
export type WasmProvider = (name: WasmCodecName) => Promise<ArrayBuffer | Uint8Array | undefined>;

let provider: WasmProvider | undefined;

export function setWasmProvider(p: WasmProvider | undefined): void {
  provider = p;
}

export async function wasmBytesFor(name: WasmCodecName): Promise<ArrayBuffer | Uint8Array | undefined> {
  return provider ? provider(name) : undefined;
}
