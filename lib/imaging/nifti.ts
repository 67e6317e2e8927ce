/**
 * NIfTI-1 / NIfTI-2 single-file (.nii, .nii.gz) read, NIfTI-1 write, for scalar 2D/3D volumes.
 * Spec: https://nifti.nimh.nih.gov/nifti-1 (nifti1.h) and nifti2.h.
 *
 * Geometry rules (same precedence as nibabel): sform when sform_code > 0 (and its axes are non-zero), else qform when
 * qform_code > 0, else
 * pixdim scaling only (zero origin, identity direction). NIfTI world space is RAS, so x and y are negated to reach
 * the LPS of `Volume`. Spatial units in metres/micrometres are converted to mm.
 * NIfTI-1 stores geometry as float32: each float32 is read back as the shortest decimal that rounds to it
 * (e.g. 0.7f -> 0.7), so geometry that came from short decimals (DICOM strings) round-trips bit-exactly; any other
 * double survives only to float32 precision (~6e-8 relative), a limit of the format.
 * Intensities: scl_slope / scl_inter are applied when slope is non-zero and not the identity (1, 0); the result
 * keeps an integer type when slope and intercept are integers and the range fits Int32, else Float32 for
 * <= 16-bit/float32 sources and Float64 otherwise.
 */
import { gzipSync } from "fflate";
import { NacError } from "../errors";
import { makeVolume, type Direction, type Vec3, type Volume, type VoxelArray } from "./volume";
import {
  gunzipBounded,
  isGzip,
  littleEndianBytes,
  typedFromBytes,
  voxelTypeName,
  type VoxelTypeName,
} from "./voxel-bytes";

const DT_TO_TYPE: Record<number, VoxelTypeName> = {
  2: "uint8",
  4: "int16",
  8: "int32",
  16: "float32",
  64: "float64",
  256: "int8",
  512: "uint16",
  768: "uint32",
};
const TYPE_TO_DT: Record<VoxelTypeName, number> = {
  uint8: 2,
  int16: 4,
  int32: 8,
  float32: 16,
  float64: 64,
  int8: 256,
  uint16: 512,
  uint32: 768,
};
const TYPE_BITS: Record<VoxelTypeName, number> = {
  int8: 8,
  uint8: 8,
  int16: 16,
  uint16: 16,
  int32: 32,
  uint32: 32,
  float32: 32,
  float64: 64,
};

function bad(message: string): NacError {
  return new NacError("IMAGE_FORMAT_INVALID", `NIfTI: ${message}`);
}

/** The shortest decimal that rounds to this float32 (so 0.7f reads as 0.7, not 0.699999988079071). */
export function float32ToShortestDecimal(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x === 0 ? 0 : x;
  for (let p = 1; p <= 9; p++) {
    const d = Number(x.toPrecision(p));
    if (Math.fround(d) === x) return d;
  }
  return x;
}

interface Header {
  version: 1 | 2;
  littleEndian: boolean;
  dims: number[]; // dim[0..7]
  datatype: number;
  pixdim: number[];
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  xyztUnits: number;
  qformCode: number;
  sformCode: number;
  quatern: [number, number, number];
  qoffset: [number, number, number];
  srow: [number[], number[], number[]];
}

function parseHeader(b: Uint8Array): Header {
  if (b.length < 348) throw bad(`file too short for a header (${b.length} bytes)`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let le: boolean;
  let version: 1 | 2;
  const s1le = dv.getInt32(0, true);
  const s1be = dv.getInt32(0, false);
  if (s1le === 348 || s1be === 348) {
    version = 1;
    le = s1le === 348;
  } else if (s1le === 540 || s1be === 540) {
    version = 2;
    le = s1le === 540;
  } else {
    throw bad("sizeof_hdr is neither 348 (NIfTI-1) nor 540 (NIfTI-2): not a NIfTI file");
  }
  if (version === 1) {
    const magic = String.fromCharCode(b[344], b[345], b[346]);
    if (magic === "ni1") throw bad("two-file NIfTI (.hdr/.img) is not supported; use a single .nii or .nii.gz");
    if (magic !== "n+1") throw bad(`bad magic "${magic.replace(/[^\x20-\x7e]/g, "?")}"`);
    const f32 = (o: number) => float32ToShortestDecimal(dv.getFloat32(o, le));
    return {
      version,
      littleEndian: le,
      dims: Array.from({ length: 8 }, (_, i) => dv.getInt16(40 + 2 * i, le)),
      datatype: dv.getInt16(70, le),
      pixdim: Array.from({ length: 8 }, (_, i) => f32(76 + 4 * i)),
      voxOffset: dv.getFloat32(108, le),
      sclSlope: dv.getFloat32(112, le),
      sclInter: dv.getFloat32(116, le),
      xyztUnits: b[123],
      qformCode: dv.getInt16(252, le),
      sformCode: dv.getInt16(254, le),
      quatern: [f32(256), f32(260), f32(264)],
      qoffset: [f32(268), f32(272), f32(276)],
      srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f32(280 + 16 * r + 4 * c))) as [number[], number[], number[]],
    };
  }
  if (b.length < 540) throw bad("file too short for a NIfTI-2 header");
  const magic = String.fromCharCode(b[4], b[5], b[6]);
  if (magic !== "n+2")
    throw bad(`bad NIfTI-2 magic "${magic.replace(/[^\x20-\x7e]/g, "?")}" (only single-file is supported)`);
  const f64 = (o: number) => dv.getFloat64(o, le);
  const i64 = (o: number) => Number(dv.getBigInt64(o, le));
  return {
    version,
    littleEndian: le,
    dims: Array.from({ length: 8 }, (_, i) => i64(16 + 8 * i)),
    datatype: dv.getInt16(12, le),
    pixdim: Array.from({ length: 8 }, (_, i) => f64(104 + 8 * i)),
    voxOffset: i64(168),
    sclSlope: f64(176),
    sclInter: f64(184),
    xyztUnits: dv.getInt32(500, le),
    qformCode: dv.getInt32(344, le),
    sformCode: dv.getInt32(348, le),
    quatern: [f64(352), f64(360), f64(368)],
    qoffset: [f64(376), f64(384), f64(392)],
    srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f64(400 + 32 * r + 8 * c))) as [number[], number[], number[]],
  };
}

/** RAS affine columns (3x3, column c = spacing_c * dir_c) and RAS origin. */
function rasAffine(h: Header, spacingScale: number): { cols: Vec3[]; origin: Vec3 } {
  // Some writers set sform_code without filling srow; such an sform is ignored (as if absent).
  const sformUsable = h.sformCode > 0 && [0, 1, 2].every((c) => h.srow.some((row) => row[c] !== 0));
  if (sformUsable) {
    const s = h.srow;
    return {
      cols: [0, 1, 2].map((c) => [s[0][c], s[1][c], s[2][c]].map((x) => x * spacingScale) as Vec3),
      origin: [s[0][3], s[1][3], s[2][3]].map((x) => x * spacingScale) as Vec3,
    };
  }
  const px = [h.pixdim[1], h.pixdim[2], h.pixdim[3]].map((p) => (p > 0 ? p : 1) * spacingScale);
  if (h.qformCode > 0) {
    const [qb, qc, qd] = h.quatern;
    const a = Math.sqrt(Math.max(0, 1 - (qb * qb + qc * qc + qd * qd)));
    const qfac = h.pixdim[0] < 0 ? -1 : 1;
    const R = [
      [a * a + qb * qb - qc * qc - qd * qd, 2 * (qb * qc - a * qd), 2 * (qb * qd + a * qc)],
      [2 * (qb * qc + a * qd), a * a + qc * qc - qb * qb - qd * qd, 2 * (qc * qd - a * qb)],
      [2 * (qb * qd - a * qc), 2 * (qc * qd + a * qb), a * a + qd * qd - qc * qc - qb * qb],
    ];
    const cols = [0, 1, 2].map((c) => {
      const f = (c === 2 ? qfac : 1) * px[c];
      return [R[0][c] * f, R[1][c] * f, R[2][c] * f] as Vec3;
    });
    return { cols, origin: h.qoffset.map((x) => x * spacingScale) as Vec3 };
  }
  // Method 1 (ANALYZE compatibility): scaling only. Expressed in RAS; converted to LPS like the others.
  return {
    cols: [
      [px[0], 0, 0],
      [0, px[1], 0],
      [0, 0, px[2]],
    ],
    origin: [0, 0, 0],
  };
}

export interface ReadNiftiOptions {
  /** Refuse a .nii.gz that inflates past this many bytes (PAYLOAD_TOO_LARGE); default 1 GB. */
  maxInflatedBytes?: number;
}

export function readNifti(input: Uint8Array, opts: ReadNiftiOptions = {}): Volume {
  let bytes = input;
  if (isGzip(bytes)) bytes = gunzipBounded(bytes, "NIfTI", opts.maxInflatedBytes);
  const h = parseHeader(bytes);
  const ndim = h.dims[0];
  if (ndim < 1 || ndim > 7) throw bad(`dim[0] = ${ndim} is out of range`);
  for (let d = 4; d <= ndim; d++) {
    if (h.dims[d] > 1) throw bad(`only scalar 3D images are supported; dim[${d}] = ${h.dims[d]}`);
  }
  const dims: Vec3 = [1, 1, 1];
  for (let d = 1; d <= Math.min(3, ndim); d++) {
    if (!Number.isInteger(h.dims[d]) || h.dims[d] < 1) throw bad(`dim[${d}] = ${h.dims[d]} is not a positive size`);
    dims[d - 1] = h.dims[d];
  }
  const type = DT_TO_TYPE[h.datatype];
  if (!type) throw bad(`unsupported datatype code ${h.datatype} (complex, RGB and 64-bit integer are not supported)`);

  const spatialUnit = h.xyztUnits & 0x07;
  const spacingScale = spatialUnit === 1 ? 1000 : spatialUnit === 3 ? 0.001 : 1;
  const { cols, origin: oRas } = rasAffine(h, spacingScale);
  const spacing = [0, 0, 0] as Vec3;
  const dir: number[] = [];
  const clean = (x: number) => (x === 0 ? 0 : x);
  for (let c = 0; c < 3; c++) {
    const n = Math.hypot(cols[c][0], cols[c][1], cols[c][2]);
    if (!(n > 0) || !Number.isFinite(n)) throw bad(`axis ${c} of the image-to-world transform is zero or not finite`);
    spacing[c] = n;
    dir.push(clean(-cols[c][0] / n), clean(-cols[c][1] / n), clean(cols[c][2] / n));
  }
  const origin: Vec3 = [clean(-oRas[0]), clean(-oRas[1]), clean(oRas[2])];

  const count = dims[0] * dims[1] * dims[2];
  const elem = TYPE_BITS[type] / 8;
  const minOffset = h.version === 1 ? 348 : 540;
  const off = h.voxOffset === 0 ? minOffset + 4 : Math.round(h.voxOffset);
  if (!Number.isFinite(h.voxOffset) || off < minOffset) throw bad(`vox_offset ${h.voxOffset} points into the header`);
  if (bytes.length - off < count * elem) {
    throw bad(
      `image data too short: need ${count * elem} bytes after offset ${off}, have ${Math.max(0, bytes.length - off)}`,
    );
  }
  const raw = typedFromBytes(bytes, off, type, count, h.littleEndian);
  const data = applyScaling(raw, type, h.sclSlope, h.sclInter);
  return makeVolume(data, { dims, spacing, origin, direction: dir as Direction });
}

function applyScaling(raw: VoxelArray, type: VoxelTypeName, slope: number, inter: number): VoxelArray {
  if (!Number.isFinite(slope) || slope === 0) return raw; // spec: slope 0 means "no scaling"
  if (!Number.isFinite(inter)) inter = 0;
  if (slope === 1 && inter === 0) return raw;
  const n = raw.length;
  if (Number.isInteger(slope) && Number.isInteger(inter) && type !== "float32" && type !== "float64") {
    let lo = Infinity,
      hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = raw[i] * slope + inter;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo >= -2147483648 && hi <= 2147483647) {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = raw[i] * slope + inter;
      return out;
    }
  }
  const out = TYPE_BITS[type] <= 16 || type === "float32" ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = raw[i] * slope + inter;
  return out;
}

/** NIfTI-1 quaternion (b, c, d) and qfac from a 3x3 rotation-with-reflection (columns = unit axis directions, RAS). */
function toQuaternion(R: number[][]): { b: number; c: number; d: number; qfac: number } {
  // nifti_mat44_to_quatern: a proper rotation after folding a reflection of the third axis into qfac.
  const det =
    R[0][0] * (R[1][1] * R[2][2] - R[1][2] * R[2][1]) -
    R[0][1] * (R[1][0] * R[2][2] - R[1][2] * R[2][0]) +
    R[0][2] * (R[1][0] * R[2][1] - R[1][1] * R[2][0]);
  const qfac = det < 0 ? -1 : 1;
  const r = R.map((row) => [row[0], row[1], row[2] * qfac]);
  const [[r11, r12, r13], [r21, r22, r23], [r31, r32, r33]] = r;
  let a = r11 + r22 + r33 + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac };
}

export interface WriteNiftiOptions {
  /** gzip the whole file (.nii.gz). Default false. */
  gzip?: boolean;
  /** Free-text description (<= 79 ASCII chars). */
  description?: string;
}

/**
 * NIfTI-1 single file. Both sform (exact affine) and qform (rotation + qfac, for readers that prefer it) are written
 * with code 1 (scanner anatomical); units mm. Data is little-endian, no scaling.
 */
export function writeNifti(vol: Volume, opts: WriteNiftiOptions = {}): Uint8Array {
  const type = voxelTypeName(vol.data);
  const data = littleEndianBytes(vol.data);
  for (const d of vol.dims) {
    if (d > 32767) throw bad(`dimension ${d} does not fit NIfTI-1 (max 32767)`);
  }
  const out = new Uint8Array(352 + data.length);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, 348, true);
  out[38] = "r".charCodeAt(0); // regular
  const dims = [3, vol.dims[0], vol.dims[1], vol.dims[2], 1, 1, 1, 1];
  dims.forEach((d, i) => dv.setInt16(40 + 2 * i, d, true));
  dv.setInt16(70, TYPE_TO_DT[type], true);
  dv.setInt16(72, TYPE_BITS[type], true);

  // RAS axis columns.
  const R = [0, 1, 2].map((row) => [0, 1, 2].map((c) => (row < 2 ? -1 : 1) * vol.direction[c * 3 + row]));
  const q = toQuaternion(R);
  const pixdim = [q.qfac, vol.spacing[0], vol.spacing[1], vol.spacing[2], 1, 1, 1, 1];
  pixdim.forEach((p, i) => dv.setFloat32(76 + 4 * i, p, true));
  dv.setFloat32(108, 352, true);
  dv.setFloat32(112, 1, true); // scl_slope: identity
  dv.setFloat32(116, 0, true);
  out[123] = 2; // xyzt_units: mm
  const desc = (opts.description ?? "NACpredict").slice(0, 79);
  for (let i = 0; i < desc.length; i++) out[148 + i] = desc.charCodeAt(i) & 0x7f;
  dv.setInt16(252, 1, true);
  dv.setInt16(254, 1, true);
  dv.setFloat32(256, q.b, true);
  dv.setFloat32(260, q.c, true);
  dv.setFloat32(264, q.d, true);
  const oRas = [-vol.origin[0], -vol.origin[1], vol.origin[2]];
  dv.setFloat32(268, oRas[0], true);
  dv.setFloat32(272, oRas[1], true);
  dv.setFloat32(276, oRas[2], true);
  for (let row = 0; row < 3; row++) {
    for (let c = 0; c < 3; c++) dv.setFloat32(280 + 16 * row + 4 * c, R[row][c] * vol.spacing[c], true);
    dv.setFloat32(280 + 16 * row + 12, oRas[row], true);
  }
  "n+1\0".split("").forEach((ch, i) => (out[344 + i] = ch.charCodeAt(0)));
  // bytes 348..351: extension flag 0 (none).
  out.set(data, 352);
  return opts.gzip ? gzipSync(out, { level: 6 }) : out;
}
