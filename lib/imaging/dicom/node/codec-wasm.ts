/**
 * Node edge for the WebAssembly codecs: reads the .wasm files shipped in the codec packages and hands them to the
 * core through setWasmProvider (the core itself never touches the file system).
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { setWasmProvider, type WasmCodecName } from "../codecs/wasm-provider";

const require = createRequire(import.meta.url);
const WASM: Record<WasmCodecName, string> = {
  charls: "@cornerstonejs/codec-charls/decodewasm",
  openjpeg: "@cornerstonejs/codec-openjpeg/decodewasm",
};

export function useNodeCodecWasm(): void {
  setWasmProvider(async (name) => new Uint8Array(await readFile(require.resolve(WASM[name]))));
}
