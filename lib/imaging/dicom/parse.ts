/**
 * parseDicom: DICOM Part 10 bytes (or a raw data set without preamble/meta) -> DicomDataset.
 * Handles explicit/implicit VR, little/big endian and deflate (fflate, browser-safe). A raw data set's encoding is
 * guessed from its first element (byte order from the group number, explicit VR if two upper-case letters follow the
 * tag), as pydicom and DCMTK do. Any parse failure becomes NacError DICOM_MALFORMED (or DICOM_UNSUPPORTED for an
 * unknown transfer syntax) with a one-line message; dicom-parser's thrown strings never escape.
 */
import * as dicomParserNs from "dicom-parser";
import { inflateSync } from "fflate";
import { NacError, isNacError } from "../../errors/nac-error";
import { DicomDataset } from "./dataset";
import { lookupTransferSyntax, type TransferSyntax } from "./transfer-syntax";

// dicom-parser is a UMD bundle: under Node ESM its exports sit on `default`, under bundlers on the namespace.
const dicomParser: typeof dicomParserNs =
  (dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs;

const IMPLICIT_LE = "1.2.840.10008.1.2";
const EXPLICIT_LE = "1.2.840.10008.1.2.1";
const EXPLICIT_BE = "1.2.840.10008.1.2.2";

function errorText(e: unknown): string {
  if (typeof e === "string") return e;
  if (e instanceof Error) return e.message;
  if (e && typeof e === "object" && "exception" in e) return String((e as { exception: unknown }).exception);
  return String(e);
}

function hasPreamble(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d
  );
}

const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;

/** Guess the encoding of a raw data set (no preamble) from its first element. */
function guessRawSyntax(bytes: Uint8Array): string {
  if (bytes.length < 8) throw new NacError("DICOM_MALFORMED", `file is too short to be DICOM (${bytes.length} bytes)`);
  const groupLE = bytes[0] | (bytes[1] << 8);
  const groupBE = (bytes[0] << 8) | bytes[1];
  const explicit = isUpper(bytes[4]) && isUpper(bytes[5]);
  // A data set starts with a low group number (0x0002..0x0010 in practice); the byte order that yields it wins.
  const plausible = (g: number) => g >= 0x0002 && g <= 0x00ff;
  if (plausible(groupLE) && !plausible(groupBE)) return explicit ? EXPLICIT_LE : IMPLICIT_LE;
  if (plausible(groupBE) && !plausible(groupLE)) {
    if (!explicit)
      throw new NacError("DICOM_UNSUPPORTED", "raw data set looks implicit VR big endian, which DICOM does not define");
    return EXPLICIT_BE;
  }
  throw new NacError(
    "DICOM_MALFORMED",
    "not a DICOM file: no DICM prefix at byte 128 and no recognisable data set start",
  );
}

function inflater(arr: Uint8Array, position: number): Uint8Array {
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(arr.subarray(position));
  } catch (e) {
    throw new NacError("DICOM_MALFORMED", `deflated data set could not be inflated: ${errorText(e)}`);
  }
  const out = new Uint8Array(position + inflated.length);
  out.set(arr.subarray(0, position), 0);
  out.set(inflated, position);
  return out;
}

/** Transfer syntax UID from the file meta group, read without trusting dicom-parser's handling of a missing one. */
function metaTransferSyntax(bytes: Uint8Array): string | undefined {
  try {
    const header = dicomParser.readPart10Header(bytes);
    if (!header.elements.x00020010) return undefined;
    return header.string("x00020010")?.replace(/\0/g, "").trim();
  } catch (e) {
    throw new NacError("DICOM_MALFORMED", `file meta information is unreadable: ${errorText(e)}`);
  }
}

export function parseDicom(bytes: Uint8Array): DicomDataset {
  if (!(bytes instanceof Uint8Array)) throw new NacError("BAD_REQUEST", "parseDicom expects a Uint8Array");
  let uid: string;
  let hasFileMeta = true;
  if (hasPreamble(bytes)) {
    const fromMeta = metaTransferSyntax(bytes);
    if (!fromMeta)
      throw new NacError("DICOM_MALFORMED", "file meta information has no Transfer Syntax UID (0002,0010)");
    uid = fromMeta;
  } else {
    hasFileMeta = false;
    uid = guessRawSyntax(bytes);
  }
  const transferSyntax: TransferSyntax | undefined = lookupTransferSyntax(uid);
  if (!transferSyntax) throw new NacError("DICOM_UNSUPPORTED", `transfer syntax ${uid} is not supported`);

  let raw: dicomParserNs.DataSet;
  try {
    raw = dicomParser.parseDicom(bytes, {
      ...(hasFileMeta ? {} : { TransferSyntaxUID: uid }),
      inflater,
    });
  } catch (e) {
    if (isNacError(e)) throw e;
    throw new NacError(
      "DICOM_MALFORMED",
      `DICOM data set is truncated or malformed (${errorText(e).replace(/^dicomParser[.:]\w*: ?/, "")})`,
    );
  }
  for (const w of raw.warnings ?? []) {
    // dicom-parser only warns when it had to guess where an undefined-length element ends: a truncated file.
    if (/missing sequence delimiter/.test(w))
      throw new NacError("DICOM_MALFORMED", `DICOM data set is truncated: ${w}`);
  }
  return new DicomDataset(raw, { transferSyntax, hasFileMeta });
}
