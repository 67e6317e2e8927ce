/**
 * Browser edge for the WebAssembly codecs: a provider that fetches the decoder .wasm files from a URL prefix where the
 * app serves them (copy node_modules/@cornerstonejs/codec-charls/dist/charlswasm_decode.wasm and
 * .../codec-openjpeg/dist/openjpegwasm_decode.wasm there). Use: setWasmProvider(fetchWasmProvider("/codecs")).
 */
import { NacError } from "../../../errors/nac-error";
import type { WasmCodecName, WasmProvider } from "./wasm-provider";

const FILES: Record<WasmCodecName, string> = {
  charls: "charlswasm_decode.wasm",
  openjpeg: "openjpegwasm_decode.wasm",
};

export function fetchWasmProvider(baseUrl: string, fetchImpl: typeof fetch = fetch): WasmProvider {
  const base = baseUrl.replace(/\/+$/, "");
  return async (name) => {
    const url = `${base}/${FILES[name]}`;
    const res = await fetchImpl(url);
    if (!res.ok) throw new NacError("INTERNAL", `could not fetch the ${name} codec from ${url} (HTTP ${res.status})`);
    return new Uint8Array(await res.arrayBuffer());
  };
}
