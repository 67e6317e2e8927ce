/**
 * Byte-level helpers shared by the NRRD and NIfTI codecs: typed-array construction from (possibly unaligned,
 * possibly big-endian) bytes, and the little-endian bytes of a typed array. Browser-safe (no Buffer).
 */
import { Gunzip } from "fflate";
import { NacError } from "../errors";
import type { VoxelArray } from "./volume";
import { concatBytes } from "../bytes/concat";

export type VoxelTypeName = "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "float32" | "float64";

type VoxelCtor = {
  new (length: number): VoxelArray;
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): VoxelArray;
  readonly BYTES_PER_ELEMENT: number;
};

export const VOXEL_CTORS: Record<VoxelTypeName, VoxelCtor> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
};

export function voxelTypeName(data: VoxelArray): VoxelTypeName {
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Uint8Array) return "uint8";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Uint16Array) return "uint16";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Uint32Array) return "uint32";
  if (data instanceof Float32Array) return "float32";
  return "float64";
}

/** True when this JS engine stores typed arrays little-endian (every mainstream platform). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Copy `count` elements of `type` from `bytes` (starting at byteOffset) into a fresh, aligned typed array,
 * swapping byte order when the source endianness differs from the host.
 */
export function typedFromBytes(
  bytes: Uint8Array,
  byteOffset: number,
  type: VoxelTypeName,
  count: number,
  littleEndian: boolean,
): VoxelArray {
  const ctor = VOXEL_CTORS[type];
  const size = ctor.BYTES_PER_ELEMENT;
  const nbytes = count * size;
  const copy = new Uint8Array(nbytes);
  copy.set(bytes.subarray(byteOffset, byteOffset + nbytes));
  if (size > 1 && littleEndian !== HOST_LITTLE_ENDIAN) swapInPlace(copy, size);
  return new ctor(copy.buffer, 0, count);
}

/** Little-endian bytes of a typed array (a view when the host is little-endian, else a swapped copy). */
export function littleEndianBytes(data: VoxelArray): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (HOST_LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return view;
  const copy = view.slice();
  swapInPlace(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

function swapInPlace(b: Uint8Array, size: number): void {
  for (let o = 0; o < b.length; o += size) {
    for (let a = o, z = o + size - 1; a < z; a++, z--) {
      const t = b[a];
      b[a] = b[z];
      b[z] = t;
    }
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * gunzip without trusting the gzip trailer's size field: fflate's gunzipSync preallocates ISIZE bytes, so a truncated
 * or corrupt file could make it allocate up to 4 GB. Streaming decompression grows with the actual output.
 * Corrupt data becomes NacError IMAGE_FORMAT_INVALID (`what` names the format in the message).
 */
export const DEFAULT_MAX_INFLATED_BYTES = 1024 * 1024 * 1024;

/** ...and bounded: inflating stops with PAYLOAD_TOO_LARGE as soon as the output passes `maxBytes` (a gzip bomb). */
export function gunzipBounded(bytes: Uint8Array, what: string, maxBytes = DEFAULT_MAX_INFLATED_BYTES): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let lastMemberStart = 0; // output offset where the last gzip member began (concatenated streams)
  try {
    const g = new Gunzip((chunk) => {
      total += chunk.length;
      if (total > maxBytes)
        throw new NacError(
          "PAYLOAD_TOO_LARGE",
          `${what}: gzip data inflates to more than ${maxBytes} bytes (limit ${maxBytes} bytes)`,
          { limit: maxBytes },
        );
      chunks.push(chunk);
    });
    g.onmember = () => {
      lastMemberStart = total;
    };
    // fflate inflates a whole pushed chunk before handing it over: feed 4 KB at a time (<= ~4 MB of output each) so
    // the bound above stops a bomb after a few MB instead of after it inflated everything.
    const STEP = 4096;
    for (let o = 0; o < bytes.length; o += STEP) g.push(bytes.subarray(o, o + STEP), o + STEP >= bytes.length);
    if (bytes.length === 0) g.push(bytes, true);
  } catch (e) {
    if (e instanceof NacError) throw e;
    throw new NacError("IMAGE_FORMAT_INVALID", `${what}: gzip data is corrupt (${(e as Error).message})`, undefined, {
      cause: e,
    });
  }
  // The streaming inflater stops at the end of the deflate data; a file cut inside the 8-byte trailer would pass.
  const isize =
    bytes.length >= 18 ? new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true) : -1;
  if (isize !== (total - lastMemberStart) % 2 ** 32) {
    throw new NacError("IMAGE_FORMAT_INVALID", `${what}: gzip data is truncated (size trailer missing or wrong)`);
  }
  if (chunks.length === 1) return chunks[0];
  return concatBytes(chunks, total);
}
