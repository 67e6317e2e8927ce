/**
 * Universal Binary JSON (UBJSON, draft 12) decoder and encoder, browser-safe (DataView only), enough for XGBoost's
 * `.ubj` model files: big-endian numbers, strongly typed/counted containers (`$` type, `#` count) which decode to
 * typed arrays for numeric element types.
 */
import { NacError } from "../../errors";
import { concatBytes } from "../../bytes/concat";

export type UbjValue =
  null | boolean | number | bigint | string | UbjValue[] | { [k: string]: UbjValue } | ArrayBufferView;

const td = new TextDecoder("utf-8", { fatal: true });
const te = new TextEncoder();

function bad(msg: string, pos: number): never {
  throw new NacError("MODEL_INVALID", `UBJSON: ${msg} at byte ${pos}`);
}

class Reader {
  pos = 0;
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number): void {
    if (this.pos + n > this.bytes.length) bad(`unexpected end of data (need ${n} bytes)`, this.pos);
  }
  marker(): string {
    this.need(1);
    return String.fromCharCode(this.bytes[this.pos++]);
  }
  peek(): string {
    this.need(1);
    return String.fromCharCode(this.bytes[this.pos]);
  }
  scalar(type: string): number | bigint {
    const v = this.view;
    let x: number | bigint;
    switch (type) {
      case "i":
        this.need(1);
        x = v.getInt8(this.pos);
        this.pos += 1;
        return x;
      case "U":
        this.need(1);
        x = v.getUint8(this.pos);
        this.pos += 1;
        return x;
      case "I":
        this.need(2);
        x = v.getInt16(this.pos);
        this.pos += 2;
        return x;
      case "l":
        this.need(4);
        x = v.getInt32(this.pos);
        this.pos += 4;
        return x;
      case "L": {
        this.need(8);
        const b = v.getBigInt64(this.pos);
        this.pos += 8;
        return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
      }
      case "d":
        this.need(4);
        x = v.getFloat32(this.pos);
        this.pos += 4;
        return x;
      case "D":
        this.need(8);
        x = v.getFloat64(this.pos);
        this.pos += 8;
        return x;
      default:
        bad(`"${type}" is not a numeric type`, this.pos);
    }
  }
  length(): number {
    const t = this.marker();
    const n = this.scalar(t);
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) bad(`invalid length ${String(n)}`, this.pos);
    return n;
  }
  string(): string {
    const n = this.length();
    this.need(n);
    const s = td.decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
  value(type: string): UbjValue {
    switch (type) {
      case "Z":
        return null;
      case "T":
        return true;
      case "F":
        return false;
      case "i":
      case "U":
      case "I":
      case "l":
      case "L":
      case "d":
      case "D":
        return this.scalar(type);
      case "H": {
        const s = this.string();
        const x = Number(s);
        if (Number.isNaN(x)) bad(`bad high-precision number "${s}"`, this.pos);
        return x;
      }
      case "C":
        this.need(1);
        return String.fromCharCode(this.bytes[this.pos++]);
      case "S":
        return this.string();
      case "[":
        return this.array();
      case "{":
        return this.object();
      default:
        bad(`unknown type marker "${type}"`, this.pos - 1);
    }
  }
  /** Reads an optional `$type` and `#count` header. */
  header(): { type?: string; count?: number } {
    let type: string | undefined;
    let count: number | undefined;
    if (this.peek() === "$") {
      this.pos++;
      type = this.marker();
      if (this.peek() !== "#") bad("typed container without count", this.pos);
    }
    if (this.peek() === "#") {
      this.pos++;
      count = this.length();
    }
    return { type, count };
  }
  array(): UbjValue {
    const { type, count } = this.header();
    if (type !== undefined && count !== undefined) {
      const typed = this.typedArray(type, count);
      if (typed) return typed;
      const out: UbjValue[] = new Array(count);
      for (let i = 0; i < count; i++) out[i] = this.value(type);
      return out;
    }
    const out: UbjValue[] = [];
    if (count !== undefined) {
      for (let i = 0; i < count; i++) out.push(this.next());
      return out;
    }
    for (;;) {
      const m = this.marker();
      if (m === "]") return out;
      if (m === "N") continue;
      out.push(this.value(m));
    }
  }
  typedArray(type: string, n: number): ArrayBufferView | null {
    const size = ({ i: 1, U: 1, I: 2, l: 4, L: 8, d: 4, D: 8 } as Record<string, number>)[type];
    if (!size) return null;
    this.need(n * size);
    const v = this.view;
    const p = this.pos;
    let out: ArrayBufferView;
    switch (type) {
      case "i":
        out = Int8Array.from({ length: n }, (_, k) => v.getInt8(p + k));
        break;
      case "U":
        out = this.bytes.slice(p, p + n);
        break;
      case "I":
        out = Int16Array.from({ length: n }, (_, k) => v.getInt16(p + 2 * k));
        break;
      case "l":
        out = Int32Array.from({ length: n }, (_, k) => v.getInt32(p + 4 * k));
        break;
      case "L":
        out = BigInt64Array.from({ length: n }, (_, k) => v.getBigInt64(p + 8 * k));
        break;
      case "d":
        out = Float32Array.from({ length: n }, (_, k) => v.getFloat32(p + 4 * k));
        break;
      default:
        out = Float64Array.from({ length: n }, (_, k) => v.getFloat64(p + 8 * k));
        break;
    }
    this.pos += n * size;
    return out;
  }
  object(): UbjValue {
    const { type, count } = this.header();
    const out: { [k: string]: UbjValue } = {};
    if (count !== undefined) {
      for (let i = 0; i < count; i++) {
        const k = this.string();
        out[k] = type !== undefined ? this.value(type) : this.next();
      }
      return out;
    }
    for (;;) {
      if (this.peek() === "}") {
        this.pos++;
        return out;
      }
      if (this.peek() === "N") {
        this.pos++;
        continue;
      }
      const k = this.string();
      out[k] = this.next();
    }
  }
  next(): UbjValue {
    for (;;) {
      const m = this.marker();
      if (m !== "N") return this.value(m);
    }
  }
}

export function decodeUbjson(bytes: Uint8Array): UbjValue {
  const r = new Reader(bytes);
  const v = r.next();
  if (r.pos !== bytes.length) bad(`${bytes.length - r.pos} trailing bytes`, r.pos);
  return v;
}

/**
 * Encoder in XGBoost's dialect (what its UBJReader accepts): typed counted arrays for numeric typed arrays, counted
 * generic arrays, '}'-terminated objects, int64 counts, lengths and integers, float64 for other numbers.
 */
export function encodeUbjson(value: UbjValue): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const push = (b: Uint8Array) => {
    chunks.push(b);
    total += b.length;
  };
  const num = (type: string, size: number, set: (v: DataView) => void) => {
    const b = new Uint8Array(1 + size);
    b[0] = type.charCodeAt(0);
    set(new DataView(b.buffer, 1));
    push(b);
  };
  const mark = (c: string) => push(Uint8Array.of(c.charCodeAt(0)));
  // XGBoost's reader wants int64 ('L') lengths and counts.
  const len = (n: number) => num("L", 8, (v) => v.setBigInt64(0, BigInt(n)));
  const str = (s: string) => {
    const b = te.encode(s);
    len(b.length);
    push(b);
  };
  const enc = (v: UbjValue): void => {
    if (v === null) return mark("Z");
    if (typeof v === "boolean") return mark(v ? "T" : "F");
    if (typeof v === "bigint") return num("L", 8, (d) => d.setBigInt64(0, v));
    if (typeof v === "number") {
      if (Number.isSafeInteger(v)) return num("L", 8, (d) => d.setBigInt64(0, BigInt(v)));
      return num("D", 8, (d) => d.setFloat64(0, v));
    }
    if (typeof v === "string") {
      mark("S");
      return str(v);
    }
    if (v instanceof BigInt64Array) {
      mark("[");
      mark("$");
      mark("L");
      mark("#");
      len(v.length);
      const b = new Uint8Array(v.length * 8);
      const d = new DataView(b.buffer);
      for (let i = 0; i < v.length; i++) d.setBigInt64(i * 8, v[i]);
      return push(b);
    }
    if (ArrayBuffer.isView(v)) {
      const spec: [string, number, (d: DataView, o: number, x: number) => void] | null =
        v instanceof Float32Array
          ? ["d", 4, (d, o, x) => d.setFloat32(o, x)]
          : v instanceof Float64Array
            ? ["D", 8, (d, o, x) => d.setFloat64(o, x)]
            : v instanceof Int32Array
              ? ["l", 4, (d, o, x) => d.setInt32(o, x)]
              : v instanceof Uint8Array
                ? ["U", 1, (d, o, x) => d.setUint8(o, x)]
                : v instanceof Int8Array
                  ? ["i", 1, (d, o, x) => d.setInt8(o, x)]
                  : v instanceof Int16Array
                    ? ["I", 2, (d, o, x) => d.setInt16(o, x)]
                    : null;
      if (!spec) throw new NacError("INTERNAL", "UBJSON: unsupported typed array");
      const a = v as unknown as ArrayLike<number>;
      mark("[");
      mark("$");
      mark(spec[0]);
      mark("#");
      len(a.length);
      const b = new Uint8Array(a.length * spec[1]);
      const d = new DataView(b.buffer);
      for (let i = 0; i < a.length; i++) spec[2](d, i * spec[1], a[i]);
      return push(b);
    }
    if (Array.isArray(v)) {
      mark("[");
      mark("#");
      len(v.length);
      for (const x of v) enc(x);
      return;
    }
    // Objects end with '}' (XGBoost's reader does not accept counted objects).
    mark("{");
    for (const [k, x] of Object.entries(v)) {
      str(k);
      enc(x);
    }
    mark("}");
  };
  enc(value);
  return concatBytes(chunks, total);
}
