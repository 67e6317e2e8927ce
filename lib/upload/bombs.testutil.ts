/**
 * Test helper: decompression bombs built on the fly in a few milliseconds (never committed). All data is zeros, so a
 * deflate segment of zeros ending on a sync flush can be repeated: every back-reference still points at zeros.
 */
import { constants, deflateRawSync } from "node:zlib";

const SEGMENT_BYTES = 16 * 1024 * 1024;
let segment: Buffer | undefined;

/** Raw deflate data inflating to `bytes` zeros (a multiple of 16 MB), about 1 KB compressed per MB. */
export function deflatedZeros(bytes: number): Buffer {
  segment ??= deflateRawSync(Buffer.alloc(SEGMENT_BYTES), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const n = Math.ceil(bytes / SEGMENT_BYTES);
  return Buffer.concat([...Array.from({ length: n }, () => segment!), Buffer.from([0x03, 0x00])]); // + final empty block
}

/** A .gz file inflating to `bytes` zeros (trailer CRC of zeros is not checked before a bounded reader gives up). */
export function gzipBomb(bytes: number): Buffer {
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(0, 0);
  trailer.writeUInt32LE(bytes % 2 ** 32, 4);
  return Buffer.concat([header, deflatedZeros(bytes), trailer]);
}

/**
 * A zip whose entries each inflate to `entryBytes` zeros. `declared` overrides the sizes written in the headers
 * (a lying bomb declares a small size).
 */
export function zipBomb(entries: number, entryBytes: number, declared = entryBytes): Buffer {
  const data = deflatedZeros(entryBytes);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < entries; i++) {
    const name = Buffer.from(`slice${i}.dcm`);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0, 6);
    lh.writeUInt16LE(8, 8); // deflate
    lh.writeUInt32LE(0, 14); // crc (never reached)
    lh.writeUInt32LE(data.length, 18);
    lh.writeUInt32LE(declared, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, data);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(data.length, 20);
    ch.writeUInt32LE(declared, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    centrals.push(ch, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries, 8);
  end.writeUInt16LE(entries, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A multipart/form-data body (one file part) as a stream, optionally padded with `fillBytes` zeros generated lazily. */
export function multipartStream(o: { field: string; filename: string; content?: Uint8Array; fillBytes?: number }): {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  length: number;
} {
  const boundary = "----nacbomb" + Math.random().toString(16).slice(2);
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${o.field}"; filename="${o.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const content = o.content ?? new Uint8Array(0);
  let fill = o.fillBytes ?? 0;
  const length = head.length + content.length + fill + tail.length;
  const chunk = new Uint8Array(1024 * 1024);
  let stage = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (stage === 0) {
        c.enqueue(head);
        if (content.length) c.enqueue(content);
        stage = 1;
      } else if (fill > 0) {
        const n = Math.min(fill, chunk.length);
        c.enqueue(n === chunk.length ? chunk : chunk.subarray(0, n));
        fill -= n;
      } else {
        c.enqueue(tail);
        c.close();
      }
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, length };
}
