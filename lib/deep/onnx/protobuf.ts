/**
 * Minimal protobuf wire-format writer (varint, length-delimited, fixed32), browser-safe and dependency-free.
 * Messages are built bottom-up as lists of byte chunks so large tensors (hundreds of MB of weights) are never
 * copied more than once, when the final model is joined.
 */
import { concatBytes } from "../../bytes/concat";

export class PbWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private scratch: number[] = [];

  get length(): number {
    this.flushScratch();
    return this.size;
  }

  private flushScratch(): void {
    if (this.scratch.length) {
      const b = Uint8Array.from(this.scratch);
      this.chunks.push(b);
      this.size += b.length;
      this.scratch = [];
    }
  }

  private varint(v: number | bigint): void {
    let n = BigInt.asUintN(64, BigInt(v));
    if (n < 0x80n) {
      this.scratch.push(Number(n));
      return;
    }
    while (n >= 0x80n) {
      this.scratch.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.scratch.push(Number(n));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, v: number | bigint): this {
    this.tag(field, 0);
    this.varint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.scratch.push(...b);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2);
    this.varint(data.length);
    this.flushScratch();
    this.chunks.push(data);
    this.size += data.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, m: PbWriter): this {
    this.tag(field, 2);
    this.varint(m.length);
    this.flushScratch();
    for (const c of m.chunks) this.chunks.push(c);
    this.size += m.size;
    return this;
  }

  /** Packed repeated varints. */
  packedInts(field: number, values: ReadonlyArray<number | bigint>): this {
    const inner = new PbWriter();
    for (const v of values) inner.varint(v);
    return this.message(field, inner);
  }

  finish(): Uint8Array {
    this.flushScratch();
    return concatBytes(this.chunks, this.size);
  }
}
