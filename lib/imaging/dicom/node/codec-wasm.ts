/**
 * Node edge for the WebAssembly codecs. Under Node the emscripten glue of @cornerstonejs/codec-charls and
 * codec-openjpeg reads its own .wasm with fs, next to itself in node_modules, so the Node edge hands the core no bytes:
 * it clears any provider so that the glue's lookup is used.
 *
 * This only holds while Node loads the codec packages itself. In the Next.js server build they are listed in
 * next.config.js `serverExternalPackages`: bundled by webpack, the glue's `__dirname` would point into .next, and an
 * earlier `require.resolve(<codec>/decodewasm)` here became a webpack stub that threw "Cannot find module".
 * e2e/jpeg2000-jpegls-import.spec.ts checks it against the production server.
 */
import { setWasmProvider } from "../codecs/wasm-provider";

export function useNodeCodecWasm(): void {
  setWasmProvider(undefined);
}
