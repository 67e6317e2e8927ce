/**
 * NRRD (teem format, versions 1-5) read/write for scalar 2D/3D volumes, attached data only.
 * Spec: http://teem.sourceforge.net/nrrd/format.html
 *
 * Geometry: `space directions` column vectors are spacing x unit direction, so spacing = |vector| and
 * direction = vector / |vector|; `space origin` is the centre of the first voxel. RAS / LAS spaces are converted
 * to the LPS of `Volume` by negating the flipped axes. Files without a `space` field fall back to `spacings`
 * (identity direction, zero origin). Encodings: raw, gzip, ascii (read); raw, gzip (write). bzip2 is not supported.
 * Writing uses JavaScript's shortest round-trip number formatting, so an axis-aligned geometry (also with flipped
 * axes) round-trips bit-exactly; oblique directions round-trip to ~1 ulp (spacing is re-derived as a vector norm).
 */
import { gzipSync } from "fflate";
import { NacError } from "../errors";
import { makeVolume, type Direction, type Vec3, type Volume, type VoxelArray } from "./volume";
import {
  gunzipBounded,
  isGzip,
  littleEndianBytes,
  typedFromBytes,
  VOXEL_CTORS,
  voxelTypeName,
  type VoxelTypeName,
} from "./voxel-bytes";

const TYPE_ALIASES: Record<string, VoxelTypeName> = {};
for (const [names, t] of [
  [["signed char", "int8", "int8_t"], "int8"],
  [["uchar", "unsigned char", "uint8", "uint8_t"], "uint8"],
  [["short", "short int", "signed short", "signed short int", "int16", "int16_t"], "int16"],
  [["ushort", "unsigned short", "unsigned short int", "uint16", "uint16_t"], "uint16"],
  [["int", "signed int", "int32", "int32_t"], "int32"],
  [["uint", "unsigned int", "uint32", "uint32_t"], "uint32"],
  [["float"], "float32"],
  [["double"], "float64"],
] as [string[], VoxelTypeName][]) {
  for (const n of names) TYPE_ALIASES[n] = t;
}

const NRRD_TYPE_OUT: Record<VoxelTypeName, string> = {
  int8: "int8",
  uint8: "uint8",
  int16: "short",
  uint16: "unsigned short",
  int32: "int",
  uint32: "unsigned int",
  float32: "float",
  float64: "double",
};

/** Axis sign flips that bring a NRRD space to LPS (x, y, z multipliers). */
const SPACE_TO_LPS: Record<string, Vec3> = {
  "left-posterior-superior": [1, 1, 1],
  lps: [1, 1, 1],
  "right-anterior-superior": [-1, -1, 1],
  ras: [-1, -1, 1],
  "left-anterior-superior": [1, -1, 1],
  las: [1, -1, 1],
  // Scanner/3D right-handed spaces carry no patient orientation; they are treated as LPS-aligned world axes.
  "scanner-xyz": [1, 1, 1],
  "3d-right-handed": [1, 1, 1],
};

function bad(message: string): NacError {
  return new NacError("IMAGE_FORMAT_INVALID", `NRRD: ${message}`);
}

function parseVector(s: string, what: string): number[] {
  const m = s.trim().match(/^\((.*)\)$/);
  if (!m) throw bad(`${what} must be a vector like (x,y,z), got "${s}"`);
  const parts = m[1].split(",").map((p) => Number(p.trim()));
  if (parts.some((x) => !Number.isFinite(x))) throw bad(`${what} has a non-numeric component: "${s}"`);
  return parts;
}

function splitVectors(s: string): string[] {
  return s.trim().match(/\([^)]*\)|none/g) ?? [];
}

interface ParsedHeader {
  fields: Map<string, string>;
  dataStart: number;
}

/** `headerOnly`: a .nhdr may end at end-of-file without the blank line. */
function parseHeader(bytes: Uint8Array, headerOnly = false): ParsedHeader {
  if (bytes.length < 8) throw bad("file too short");
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (!/^NRRD000[1-5]$/.test(magic)) throw bad(`bad magic "${magic.replace(/[^\x20-\x7e]/g, "?")}", not a NRRD file`);
  // Header ends at the first empty line; scan bytes (the data after it is binary).
  let pos = 0;
  const lines: string[] = [];
  const limit = Math.min(bytes.length, 1 << 20);
  const finish = (dataStart: number): ParsedHeader => {
    const fields = new Map<string, string>();
    for (const l of lines.slice(1)) {
      if (l.startsWith("#")) continue;
      if (l.includes(":=")) continue; // key/value pairs carry no geometry
      const idx = l.indexOf(": ");
      if (idx < 0) throw bad(`malformed header line "${l}"`);
      fields.set(l.slice(0, idx).trim().toLowerCase(), l.slice(idx + 2).trim());
    }
    return { fields, dataStart };
  };
  while (pos < limit) {
    let end = pos;
    while (end < bytes.length && bytes[end] !== 0x0a) end++;
    const atEof = end >= bytes.length;
    if (atEof && !headerOnly) throw bad("header is not terminated by an empty line (no data)");
    let line = "";
    for (let i = pos; i < end; i++) line += String.fromCharCode(bytes[i]);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    pos = end + 1;
    if (line === "") return finish(pos);
    lines.push(line);
    if (atEof) return finish(bytes.length);
  }
  if (headerOnly && pos >= bytes.length) return finish(bytes.length);
  throw bad("header too long or not terminated");
}

/**
 * Name of the detached data file of a .nhdr header ("data file: NAME"), or null for attached data. Multi-file
 * forms (LIST, printf-style patterns) are not supported.
 */
export function nrrdDataFileName(bytes: Uint8Array): string | null {
  const { fields } = parseHeader(bytes, true);
  const name = fields.get("data file") ?? fields.get("datafile");
  if (name === undefined) return null;
  if (name === "LIST" || /%\d*d|\s\d+\s+\d+\s+-?\d+/.test(name)) {
    throw bad(`multi-file data ("data file: ${name}") is not supported`);
  }
  return name;
}

export interface ReadNrrdOptions {
  /** Refuse gzip data that inflates past this many bytes (PAYLOAD_TOO_LARGE); default 1 GB. */
  maxInflatedBytes?: number;
  /** Bytes of the detached data file named by a .nhdr header (see nrrdDataFileName). */
  dataFile?: Uint8Array;
}

export function readNrrd(bytes: Uint8Array, opts: ReadNrrdOptions = {}): Volume {
  const detached = nrrdDataFileName(bytes) !== null;
  const { fields, dataStart } = parseHeader(bytes, detached);
  const need = (k: string): string => {
    const v = fields.get(k);
    if (v === undefined) throw bad(`required field "${k}" is missing`);
    return v;
  };
  if (detached && !opts.dataFile) {
    throw bad("this is a detached header (.nhdr): its data file must be supplied (loadVolume does this from disk)");
  }
  const typeName = need("type").toLowerCase();
  const type = TYPE_ALIASES[typeName];
  if (!type) throw bad(`unsupported voxel type "${typeName}" (64-bit integers and block types are not supported)`);
  const dimension = Number(need("dimension"));
  if (dimension !== 2 && dimension !== 3) {
    throw bad(`only scalar 2D/3D images are supported, got dimension ${dimension}`);
  }
  const sizes = need("sizes").split(/\s+/).map(Number);
  if (sizes.length !== dimension || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw bad(`sizes "${fields.get("sizes")}" do not give ${dimension} positive integers`);
  }
  const dims: Vec3 = [sizes[0], sizes[1], dimension === 3 ? sizes[2] : 1];

  const { spacing, origin, direction } = readGeometry(fields, dimension);

  const encoding = (fields.get("encoding") ?? "raw").toLowerCase();
  const endian = (fields.get("endian") ?? "little").toLowerCase();
  if (endian !== "little" && endian !== "big") throw bad(`unknown endian "${endian}"`);
  const count = dims[0] * dims[1] * dims[2];
  const elem = VOXEL_CTORS[type].BYTES_PER_ELEMENT;

  let payload = detached ? opts.dataFile! : bytes.subarray(dataStart);
  const lineSkip = Number(fields.get("line skip") ?? fields.get("lineskip") ?? 0);
  if (!Number.isInteger(lineSkip) || lineSkip < 0)
    throw bad(`line skip must be a non-negative integer, got "${lineSkip}"`);
  for (let l = 0; l < lineSkip; l++) {
    const nl = payload.indexOf(0x0a);
    if (nl < 0) throw bad("line skip runs past the end of the file");
    payload = payload.subarray(nl + 1);
  }
  const byteSkip = Number(fields.get("byte skip") ?? fields.get("byteskip") ?? 0);
  if (!Number.isInteger(byteSkip) || byteSkip < -1)
    throw bad(`byte skip must be -1 or a non-negative integer, got "${byteSkip}"`);

  let data: VoxelArray;
  if (encoding === "raw") {
    const start = byteSkip === -1 ? payload.length - count * elem : byteSkip;
    if (start < 0 || payload.length - start < count * elem) {
      throw bad(
        `raw data too short: need ${count * elem} bytes, have ${Math.max(0, payload.length - Math.max(0, start))}`,
      );
    }
    data = typedFromBytes(payload, start, type, count, endian === "little");
  } else if (encoding === "gzip" || encoding === "gz") {
    if (!isGzip(payload)) throw bad("encoding is gzip but the data does not start with a gzip header");
    const raw = gunzipBounded(payload, "NRRD", opts.maxInflatedBytes);
    const start = byteSkip === -1 ? raw.length - count * elem : byteSkip;
    if (start < 0 || raw.length - start < count * elem) {
      throw bad(`gzip data too short: need ${count * elem} bytes, decompressed ${raw.length}`);
    }
    data = typedFromBytes(raw, start, type, count, endian === "little");
  } else if (encoding === "ascii" || encoding === "text" || encoding === "txt") {
    let text = "";
    for (let i = 0; i < payload.length; i++) text += String.fromCharCode(payload[i]);
    const values = text
      .split(/[\s,]+/)
      .filter((s) => s.length > 0)
      .map(Number);
    if (values.length < count) throw bad(`ascii data has ${values.length} values, need ${count}`);
    if (values.slice(0, count).some((v) => !Number.isFinite(v))) throw bad("ascii data has a non-numeric value");
    data = new VOXEL_CTORS[type](count);
    for (let i = 0; i < count; i++) data[i] = values[i];
  } else {
    throw bad(`unsupported encoding "${encoding}" (raw, gzip and ascii are supported)`);
  }
  return makeVolume(data, { dims, spacing, origin, direction });
}

function readGeometry(
  fields: Map<string, string>,
  dimension: number,
): { spacing: Vec3; origin: Vec3; direction: Direction } {
  const spaceField = fields.get("space");
  const spaceDim = fields.get("space dimension");
  if (spaceField === undefined && spaceDim === undefined) {
    // No world space: only per-axis spacings (NaN = unknown -> 1 mm).
    const sp = (fields.get("spacings") ?? "").split(/\s+/).filter(Boolean).map(Number);
    const spacing: Vec3 = [1, 1, 1];
    for (let a = 0; a < dimension; a++) {
      const s = Math.abs(sp[a]);
      if (Number.isFinite(s) && s > 0) spacing[a] = s;
    }
    return { spacing, origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
  }
  let flip: Vec3 = [1, 1, 1];
  if (spaceField !== undefined) {
    const f = SPACE_TO_LPS[spaceField.toLowerCase()];
    if (!f) throw bad(`unsupported space "${spaceField}" (LPS, RAS, LAS and scanner-xyz are supported)`);
    flip = f;
  } else if (Number(spaceDim) !== 3) {
    throw bad(`only 3D world spaces are supported, got space dimension ${spaceDim}`);
  }
  const dirStrings = splitVectors(fields.get("space directions") ?? "");
  if (dirStrings.length !== dimension) {
    throw bad(`space directions must list ${dimension} vectors, got "${fields.get("space directions") ?? ""}"`);
  }
  const spacing: Vec3 = [1, 1, 1];
  const cols: Vec3[] = [];
  for (let a = 0; a < dimension; a++) {
    if (dirStrings[a] === "none")
      throw bad("space directions: 'none' on a spatial axis (vector images are not supported)");
    const v = parseVector(dirStrings[a], "space directions");
    if (v.length !== 3) throw bad(`space direction vectors must have 3 components, got "${dirStrings[a]}"`);
    const norm = Math.hypot(v[0], v[1], v[2]);
    if (!(norm > 0)) throw bad(`space direction ${a} is a zero vector`);
    spacing[a] = norm;
    cols.push([(flip[0] * v[0]) / norm, (flip[1] * v[1]) / norm, (flip[2] * v[2]) / norm]);
  }
  if (dimension === 2) {
    // A single slice: the third axis is the in-plane normal (right-handed), 1 mm thick.
    const [u, w] = cols;
    cols.push([u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]]);
  }
  let origin: Vec3 = [0, 0, 0];
  const originField = fields.get("space origin");
  if (originField !== undefined) {
    const o = parseVector(originField, "space origin");
    if (o.length !== 3) throw bad(`space origin must have 3 components, got "${originField}"`);
    origin = [flip[0] * o[0], flip[1] * o[1], flip[2] * o[2]];
  }
  // Negating +0 gives -0; normalise so geometry compares cleanly and prints as 0.
  const clean = (x: number) => (x === 0 ? 0 : x);
  const direction = [...cols[0], ...cols[1], ...cols[2]].map(clean) as Direction;
  return { spacing, origin: origin.map(clean) as Vec3, direction };
}

export interface WriteNrrdOptions {
  /** Default "gzip". */
  encoding?: "gzip" | "raw";
  /** World space written in the header; default "LPS" (same as Volume, no sign flips). */
  space?: "LPS" | "RAS";
  /** gzip level 0-9, default 6. */
  level?: number;
}

export function writeNrrd(vol: Volume, opts: WriteNrrdOptions = {}): Uint8Array {
  const encoding = opts.encoding ?? "gzip";
  const space = opts.space ?? "LPS";
  const flip: Vec3 = space === "RAS" ? [-1, -1, 1] : [1, 1, 1];
  const num = (x: number) => {
    if (!Number.isFinite(x)) throw new NacError("IMAGE_FORMAT_INVALID", `NRRD: cannot write non-finite geometry ${x}`);
    return String(x === 0 ? 0 : x);
  };
  const vec = (v: number[]) => `(${v.map(num).join(",")})`;
  const dirs = [0, 1, 2].map((a) => vec([0, 1, 2].map((c) => flip[c] * vol.direction[a * 3 + c] * vol.spacing[a])));
  const header = [
    "NRRD0004",
    "# Written by NACpredict (lib/imaging/nrrd.ts)",
    `type: ${NRRD_TYPE_OUT[voxelTypeName(vol.data)]}`,
    "dimension: 3",
    `space: ${space === "RAS" ? "right-anterior-superior" : "left-posterior-superior"}`,
    `sizes: ${vol.dims.join(" ")}`,
    `space directions: ${dirs.join(" ")}`,
    "kinds: domain domain domain",
    "endian: little",
    `encoding: ${encoding}`,
    `space origin: ${vec(vol.origin.map((o, c) => flip[c] * o))}`,
    "",
    "",
  ].join("\n");
  const head = new Uint8Array(header.length);
  for (let i = 0; i < header.length; i++) head[i] = header.charCodeAt(i);
  const raw = littleEndianBytes(vol.data);
  const body = encoding === "gzip" ? gzipSync(raw, { level: (opts.level ?? 6) as 6 }) : raw;
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}
