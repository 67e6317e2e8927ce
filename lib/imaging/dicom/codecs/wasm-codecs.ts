/**
 * JPEG-LS (CharLS) and JPEG 2000 (OpenJPEG) frame decoders: the Cornerstone emscripten builds, loaded lazily once and
 * shared. Decoding copies the result out of wasm memory because the decoder reuses its buffer.
 */
import { NacError } from "../../../errors/nac-error";
import { wasmBytesFor, type WasmCodecName } from "./wasm-provider";

export interface CodecFrame {
  data: Uint8Array | Uint16Array | Int16Array;
  width: number;
  height: number;
  components: number;
  bitsPerSample: number;
  /** True when colour samples come plane by plane instead of interleaved. */
  planar?: boolean;
}

type Ctor = new () => WasmDecoder;
let codecLog: string[] = [];
function logLine(line: string): void {
  if (/error/i.test(line)) codecLog.push(line.replace(/^\[ERROR\]\s*/, "").trim());
}
const decoders = new Map<WasmCodecName, Promise<Ctor>>();

async function loadDecoder(name: WasmCodecName): Promise<Ctor> {
  const wasmBinary = await wasmBytesFor(name);
  // OpenJPEG logs progress and errors through emscripten's print hooks; keep them off stdout and keep the errors
  // for the error message.
  const opts = {
    ...(wasmBinary ? { wasmBinary } : {}),
    print: (line: string) => logLine(line),
    printErr: (line: string) => logLine(line),
  };
  if (name === "charls") {
    const factory = (await import("@cornerstonejs/codec-charls/decodewasmjs")).default;
    return (await factory(opts)).JpegLSDecoder;
  }
  const factory = (await import("@cornerstonejs/codec-openjpeg/decodewasmjs")).default;
  return (await factory(opts)).J2KDecoder;
}

function decoderCtor(name: WasmCodecName): Promise<Ctor> {
  let p = decoders.get(name);
  if (!p) {
    p = loadDecoder(name).catch((e: unknown) => {
      decoders.delete(name);
      throw new NacError(
        "INTERNAL",
        `could not load the ${name} WebAssembly codec: ${e instanceof Error ? e.message : String(e)}`,
      );
    });
    decoders.set(name, p);
  }
  return p;
}

const LABEL: Record<WasmCodecName, string> = { charls: "JPEG-LS", openjpeg: "JPEG 2000" };

export async function decodeWithWasm(name: WasmCodecName, encoded: Uint8Array): Promise<CodecFrame> {
  const Decoder = await decoderCtor(name);
  const decoder = new Decoder();
  codecLog = [];
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    if (codecLog.length) throw new Error(codecLog.join("; "));
    const decoded = decoder.getDecodedBuffer();
    const bytes = new Uint8Array(decoded.length);
    bytes.set(decoded);
    const data = info.bitsPerSample > 8 ? new Uint16Array(bytes.buffer, 0, bytes.length >> 1) : bytes;
    // CharLS returns colour planes separately when the stream was coded without interleaving (mode 0).
    const planar =
      info.componentCount > 1 && typeof decoder.getInterleaveMode === "function" && decoder.getInterleaveMode() === 0;
    return {
      data,
      width: info.width,
      height: info.height,
      components: info.componentCount,
      bitsPerSample: info.bitsPerSample,
      planar,
    };
  } catch (e) {
    if (e instanceof NacError) throw e;
    // An emscripten abort (WebAssembly.RuntimeError) leaves the module unusable: load a fresh one next time.
    if (e instanceof WebAssembly.RuntimeError) decoders.delete(name);
    // emscripten throws numeric exception pointers or strings; either way the stream is bad.
    const msg = typeof e === "number" ? `codec error ${e}` : e instanceof Error ? e.message : String(e);
    throw new NacError("DICOM_MALFORMED", `${LABEL[name]} frame could not be decoded (${msg})`);
  } finally {
    try {
      decoder.delete?.();
    } catch {
      // the module aborted; it has been dropped above
    }
  }
}
