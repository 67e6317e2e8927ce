/**
 * Reads PyTorch checkpoint files without Python (browser-safe):
 *  - zip format (torch.save default since 1.6): <prefix>/data.pkl + <prefix>/data/<key> raw storages;
 *  - legacy format (MedicalNet's 2019 releases): pickles of magic number, protocol version, sys_info, the object,
 *    the sorted storage keys, then for each key an int64 element count followed by the raw little-endian storage.
 * Tensors come back as TorchTensor (float32 values, shape); everything else as plain pickle values.
 */
import { unzipSync } from "fflate";
import { NacError } from "../../errors";
import { PyGlobal, unpickle } from "./pickle";

export class TorchTensor {
  constructor(
    readonly shape: number[],
    readonly data: Float32Array,
    readonly dtype: string,
  ) {}
}

interface StorageRef {
  key: string;
  dtype: DType;
  /** element offset into the root storage (legacy storage views) */
  viewOffset: number;
  numel: number;
}

interface PendingTensor {
  storage: StorageRef;
  offset: number;
  shape: number[];
  stride: number[];
}

type DType = "float32" | "float64" | "float16" | "bfloat16" | "int64" | "int32" | "int16" | "int8" | "uint8" | "bool";

const STORAGE_DTYPES: Record<string, DType> = {
  FloatStorage: "float32",
  DoubleStorage: "float64",
  HalfStorage: "float16",
  BFloat16Storage: "bfloat16",
  LongStorage: "int64",
  IntStorage: "int32",
  ShortStorage: "int16",
  CharStorage: "int8",
  ByteStorage: "uint8",
  BoolStorage: "bool",
};
const ELEMENT_SIZE: Record<DType, number> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

function invalid(msg: string): never {
  throw new NacError("CHECKPOINT_INVALID", msg);
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Decodes `numel` elements of a raw little-endian storage into float32 values. */
function decodeStorage(raw: Uint8Array, dtype: DType, numel: number): Float32Array {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const size = ELEMENT_SIZE[dtype];
  if (raw.byteLength < numel * size) invalid(`storage holds ${raw.byteLength} bytes, ${numel * size} expected`);
  if (dtype === "float32") return new Float32Array(raw.slice(0, numel * 4).buffer); // copy also fixes alignment
  const out = new Float32Array(numel);
  for (let i = 0; i < numel; i++) {
    const o = i * size;
    switch (dtype) {
      case "float64":
        out[i] = dv.getFloat64(o, true);
        break;
      case "float16":
        out[i] = halfToFloat(dv.getUint16(o, true));
        break;
      case "bfloat16":
        out[i] = new Float32Array(new Uint32Array([dv.getUint16(o, true) << 16]).buffer)[0];
        break;
      case "int64":
        out[i] = Number(dv.getBigInt64(o, true));
        break;
      case "int32":
        out[i] = dv.getInt32(o, true);
        break;
      case "int16":
        out[i] = dv.getInt16(o, true);
        break;
      case "int8":
        out[i] = dv.getInt8(o);
        break;
      default:
        out[i] = raw[o];
    }
  }
  return out;
}

function storageDtype(t: unknown): DType {
  if (t instanceof PyGlobal) {
    const d = STORAGE_DTYPES[t.name];
    if (d) return d;
    invalid(`unsupported storage type ${t.qualified}`);
  }
  invalid("persistent id without a storage type");
}

function asInts(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number" || !Number.isInteger(x))) invalid(`bad tensor ${what}`);
  return v as number[];
}

/** Shared pickle hooks: storages become StorageRefs, tensors PendingTensors, OrderedDict a Map. */
function makeHooks(storageFromPid: (pid: unknown[]) => StorageRef, pending: PendingTensor[]) {
  return {
    persistentLoad(pid: unknown) {
      if (!Array.isArray(pid) || pid[0] !== "storage") invalid("unsupported persistent id in checkpoint");
      return storageFromPid(pid);
    },
    reduce(fn: unknown, args: unknown[]): unknown {
      if (!(fn instanceof PyGlobal)) return undefined;
      switch (fn.qualified) {
        case "collections.OrderedDict":
          return new Map();
        case "torch._utils._rebuild_tensor":
        case "torch._utils._rebuild_tensor_v2": {
          const [storage, offset, size, stride] = args;
          if (!storage || typeof storage !== "object" || !("key" in storage)) invalid("tensor without a storage");
          const t: PendingTensor = {
            storage: storage as StorageRef,
            offset: Number(offset),
            shape: asInts(size, "size"),
            stride: asInts(stride, "stride"),
          };
          pending.push(t);
          return t;
        }
        case "torch._utils._rebuild_parameter":
          return args[0];
        default:
          return undefined;
      }
    },
  };
}

function materialise(t: PendingTensor, storageData: (ref: StorageRef) => Float32Array): TorchTensor {
  const src = storageData(t.storage);
  const numel = t.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(numel);
  const nd = t.shape.length;
  let contiguous = true;
  for (let d = nd - 1, expect = 1; d >= 0; d--) {
    if (t.shape[d] !== 1 && t.stride[d] !== expect) contiguous = false;
    expect *= t.shape[d];
  }
  const base = t.offset + t.storage.viewOffset;
  if (contiguous) {
    if (base + numel > src.length) invalid(`tensor exceeds its storage ${t.storage.key}`);
    out.set(src.subarray(base, base + numel));
  } else {
    const idx = new Array(nd).fill(0);
    for (let i = 0; i < numel; i++) {
      let o = base;
      for (let d = 0; d < nd; d++) o += idx[d] * t.stride[d];
      if (o < 0 || o >= src.length) invalid(`tensor exceeds its storage ${t.storage.key}`);
      out[i] = src[o];
      for (let d = nd - 1; d >= 0; d--) {
        if (++idx[d] < t.shape[d]) break;
        idx[d] = 0;
      }
    }
  }
  return new TorchTensor(t.shape, out, t.storage.dtype);
}

/** Replaces PendingTensors by TorchTensors throughout a pickled object tree. */
function resolve(v: unknown, done: Map<PendingTensor, TorchTensor>): unknown {
  if (v && typeof v === "object") {
    const t = done.get(v as PendingTensor);
    if (t) return t;
    if (v instanceof Map) {
      for (const [k, x] of v) v.set(k, resolve(x, done));
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = resolve(v[i], done);
    }
  }
  return v;
}

function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

function readZip(bytes: Uint8Array): unknown {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    invalid(`not a readable zip checkpoint (${e instanceof Error ? e.message : String(e)})`);
  }
  const pkl = Object.keys(files).find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (!pkl) invalid("zip checkpoint without <archive>/data.pkl");
  const prefix = pkl.slice(0, -"data.pkl".length);
  const order = files[`${prefix}byteorder`];
  if (order && new TextDecoder().decode(order).trim() !== "little") invalid("big-endian checkpoints are not supported");
  const pending: PendingTensor[] = [];
  const hooks = makeHooks((pid) => {
    // ('storage', storage_type, key, location, numel)
    return { key: String(pid[2]), dtype: storageDtype(pid[1]), viewOffset: 0, numel: Number(pid[4]) };
  }, pending);
  const { value } = unpickle(files[pkl], hooks);
  const cache = new Map<string, Float32Array>();
  const data = (ref: StorageRef) => {
    let d = cache.get(ref.key);
    if (!d) {
      const raw = files[`${prefix}data/${ref.key}`];
      if (!raw) invalid(`storage ${ref.key} missing from the zip`);
      d = decodeStorage(raw, ref.dtype, Math.floor(raw.byteLength / ELEMENT_SIZE[ref.dtype]));
      cache.set(ref.key, d);
    }
    return d;
  };
  const done = new Map(pending.map((t) => [t, materialise(t, data)]));
  return resolve(value, done);
}

function readLegacy(bytes: Uint8Array): unknown {
  const noStorage = { persistentLoad: () => invalid("unexpected storage in checkpoint header") };
  let r = unpickle(bytes, noStorage, 0);
  const magic = r.value;
  if (typeof magic !== "bigint" || magic !== LEGACY_MAGIC) {
    invalid("not a PyTorch checkpoint (neither zip nor legacy magic number)");
  }
  r = unpickle(bytes, noStorage, r.end);
  if (r.value !== 1001) invalid(`unsupported legacy protocol version ${String(r.value)}`);
  r = unpickle(bytes, noStorage, r.end);
  const sysInfo = r.value;
  if (sysInfo instanceof Map && sysInfo.get("little_endian") === false)
    invalid("big-endian checkpoints are not supported");

  const pending: PendingTensor[] = [];
  const roots = new Map<string, { dtype: DType; numel: number }>();
  const hooks = makeHooks((pid) => {
    // ('storage', storage_type, root_key, location, numel, view_metadata)
    const dtype = storageDtype(pid[1]);
    const key = String(pid[2]);
    if (!roots.has(key)) roots.set(key, { dtype, numel: Number(pid[4]) });
    const view = pid[5];
    let viewOffset = 0;
    if (Array.isArray(view)) viewOffset = Number(view[1]); // (view_key, offset, view_size)
    return { key, dtype, viewOffset, numel: Number(pid[4]) };
  }, pending);
  r = unpickle(bytes, hooks, r.end);
  const value = r.value;
  r = unpickle(bytes, noStorage, r.end);
  const keys = r.value;
  if (!Array.isArray(keys)) invalid("legacy checkpoint: storage key list missing");

  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = r.end;
  const storages = new Map<string, Float32Array>();
  for (const k of keys) {
    const key = String(k);
    const info = roots.get(key);
    if (!info) invalid(`legacy checkpoint: storage ${key} is not referenced`);
    if (p + 8 > bytes.length) invalid(`legacy checkpoint truncated before storage ${key}`);
    const numel = Number(dv.getBigInt64(p, true));
    p += 8;
    const nbytes = numel * ELEMENT_SIZE[info.dtype];
    if (p + nbytes > bytes.length) invalid(`legacy checkpoint truncated inside storage ${key}`);
    storages.set(key, decodeStorage(bytes.subarray(p, p + nbytes), info.dtype, numel));
    p += nbytes;
  }
  const done = new Map(
    pending.map((t) => [
      t,
      materialise(t, (ref) => storages.get(ref.key) ?? invalid(`legacy checkpoint: storage ${ref.key} missing`)),
    ]),
  );
  return resolve(value, done);
}

/** Parses a torch.save file (zip or legacy) into plain values with TorchTensor leaves. */
export function readTorchFile(bytes: Uint8Array): unknown {
  if (bytes.length < 16) invalid("checkpoint file is empty or truncated");
  if (!isZip(bytes) && bytes[0] !== 0x80) invalid("not a PyTorch checkpoint (neither a zip archive nor a pickle)");
  return isZip(bytes) ? readZip(bytes) : readLegacy(bytes);
}
