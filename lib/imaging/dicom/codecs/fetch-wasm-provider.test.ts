import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodePixelData, parseDicom } from "../index";
import { fetchWasmProvider } from "./fetch-wasm-provider";
import { setWasmProvider } from "./wasm-provider";

const require = createRequire(import.meta.url);
const TESTDATA = path.resolve(import.meta.dirname, "../../../testdata");

describe("fetchWasmProvider", () => {
  afterAll(() => setWasmProvider(undefined));
  it("fetches <base>/<codec>_decode.wasm and the codec decodes with it", async () => {
    const asked: string[] = [];
    const fakeFetch = (async (url: string) => {
      asked.push(url);
      const file = url.endsWith("charlswasm_decode.wasm")
        ? "@cornerstonejs/codec-charls/decodewasm"
        : "@cornerstonejs/codec-openjpeg/decodewasm";
      return new Response(readFileSync(require.resolve(file)));
    }) as unknown as typeof fetch;
    const provider = fetchWasmProvider("/codecs/", fakeFetch);
    const bytes = await provider("charls");
    expect(bytes!.byteLength).toBeGreaterThan(1000);
    expect(asked).toEqual(["/codecs/charlswasm_decode.wasm"]);
    setWasmProvider(provider);
    const ds = parseDicom(
      new Uint8Array(readFileSync(path.join(TESTDATA, "pydicom/test_files/MR_small_jpeg_ls_lossless.dcm"))),
    );
    const { frames } = await decodePixelData(ds);
    expect(frames[0].length).toBe(64 * 64);
  });
  it("reports an HTTP failure as a NacError", async () => {
    const provider = fetchWasmProvider(
      "/x",
      (async () => new Response("no", { status: 404 })) as unknown as typeof fetch,
    );
    await expect(provider("openjpeg")).rejects.toMatchObject({
      code: "INTERNAL",
      message: expect.stringMatching(/HTTP 404/),
    });
  });
});
