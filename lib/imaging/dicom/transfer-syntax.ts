/**
 * DICOM transfer syntaxes NACpredict knows: how the data set is encoded (VR, byte order, deflate) and which
 * pixel codec a frame needs. Unknown syntaxes are reported as DICOM_UNSUPPORTED, never guessed.
 */
export type PixelEncoding =
  | "native"
  | "rle"
  | "jpeg-baseline" // process 1 (8-bit)
  | "jpeg-extended" // process 2 & 4 (8/12-bit)
  | "jpeg-lossless"
  | "jpeg-ls"
  | "jpeg-2000";

export interface TransferSyntax {
  uid: string;
  name: string;
  littleEndian: boolean;
  implicitVr: boolean;
  deflated: boolean;
  encoding: PixelEncoding;
}

const ts = (
  uid: string,
  name: string,
  encoding: PixelEncoding,
  opts: Partial<Pick<TransferSyntax, "littleEndian" | "implicitVr" | "deflated">> = {},
): TransferSyntax => ({
  uid,
  name,
  encoding,
  littleEndian: opts.littleEndian ?? true,
  implicitVr: opts.implicitVr ?? false,
  deflated: opts.deflated ?? false,
});

export const TRANSFER_SYNTAXES: Record<string, TransferSyntax> = Object.fromEntries(
  [
    ts("1.2.840.10008.1.2", "Implicit VR Little Endian", "native", { implicitVr: true }),
    ts("1.2.840.10008.1.2.1", "Explicit VR Little Endian", "native"),
    ts("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", "native", { deflated: true }),
    ts("1.2.840.10008.1.2.2", "Explicit VR Big Endian", "native", { littleEndian: false }),
    ts("1.2.840.10008.1.2.5", "RLE Lossless", "rle"),
    ts("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", "jpeg-baseline"),
    ts("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 and 4)", "jpeg-extended"),
    ts("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", "jpeg-lossless"),
    ts(
      "1.2.840.10008.1.2.4.70",
      "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
      "jpeg-lossless",
    ),
    ts("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", "jpeg-ls"),
    ts("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", "jpeg-ls"),
    ts("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", "jpeg-2000"),
    ts("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", "jpeg-2000"),
  ].map((t) => [t.uid, t]),
);

export function lookupTransferSyntax(uid: string): TransferSyntax | undefined {
  return TRANSFER_SYNTAXES[uid];
}
