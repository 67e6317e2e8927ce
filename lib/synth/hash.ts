/**
 * Hashing for the generator: seeds, sub-streams and DICOM UIDs are derived from SHA-256 of short keys, identically in
 * Node and in the browser (the shared pure-TypeScript SHA-256 in lib/hash, no async WebCrypto).
 */
import { sha256Bytes, sha256Hex } from "../hash/sha256";

export { sha256Hex };

/** SHA-256 digest of raw bytes. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return sha256Bytes(bytes);
}

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/**
 * A DICOM UID under the 2.25 root (ISO/IEC 9834-8: a UUID as one decimal integer), derived from `key` by hashing,
 * so the same seed always yields the same UIDs. The 128 bits are stamped as an RFC 9562 version-8 (custom) UUID.
 */
export function uidFromKey(key: string): string {
  const d = sha256(utf8(`nacpredict-synth-uid/${key}`)).slice(0, 16);
  d[6] = (d[6] & 0x0f) | 0x80;
  d[8] = (d[8] & 0x3f) | 0x80;
  let n = 0n;
  for (const b of d) n = (n << 8n) | BigInt(b);
  return `2.25.${n.toString(10)}`;
}
