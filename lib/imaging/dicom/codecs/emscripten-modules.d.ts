/** Minimal types for the Cornerstone emscripten codec factories (the packages ship none). */
interface EmscriptenCodecOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (file: string, prefix: string) => string;
  print?: (line: string) => void;
  printErr?: (line: string) => void;
}
interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  delete?(): void;
  getInterleaveMode?(): number;
}
declare module "@cornerstonejs/codec-charls/decodewasmjs" {
  const factory: (
    opts?: EmscriptenCodecOptions,
  ) => Promise<{ JpegLSDecoder: new () => WasmDecoder; getExceptionMessage?: (e: number) => string }>;
  export default factory;
}
declare module "@cornerstonejs/codec-openjpeg/decodewasmjs" {
  const factory: (opts?: EmscriptenCodecOptions) => Promise<{ J2KDecoder: new () => WasmDecoder }>;
  export default factory;
}
declare module "jpeg-lossless-decoder-js" {
  export class Decoder {
    constructor(buffer?: ArrayBuffer | null, numBytes?: number);
    decode(buffer?: ArrayBuffer, offset?: number, length?: number, numBytes?: number): Uint8Array | Uint16Array;
    numComp: number;
    xDim: number;
    yDim: number;
    xLoc: number;
    yLoc: number;
    precision?: number;
    // Internals that lossless-last-pixel.ts overrides (see there).
    static MSB: number;
    stream: { get8(): number } | null;
    marker: number;
    markerIndex: number;
    isLastPixel(): boolean;
    getHuffmanValue(table: number[], temp: number[], index: number[]): number;
  }
}
