/**
 * DICOM reading for NACpredict (browser- and Node-safe): parse Part 10 files, decode pixel data of every supported
 * transfer syntax to stored values, summarise a file. WebAssembly codecs get their bytes from a provider the host
 * sets (Node: lib/imaging/dicom/node/codec-wasm.ts `useNodeCodecWasm()`).
 */
export { parseDicom } from "./parse";
export { DicomDataset, formatTag, type DicomFileMeta } from "./dataset";
export { decodePixelData, type DecodedPixels, type StoredArray } from "./decode-pixel-data";
export { readPixelInfo, hasPixelData, numberOfFrames, type PixelInfo } from "./pixel-info";
export { describeDicom, type DicomInfo } from "./describe";
export { TAG } from "./tags";
export { TRANSFER_SYNTAXES, lookupTransferSyntax, type TransferSyntax } from "./transfer-syntax";
export { setWasmProvider, type WasmProvider, type WasmCodecName } from "./codecs/wasm-provider";
export { fetchWasmProvider } from "./codecs/fetch-wasm-provider";
export * from "./functional-groups";
