import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deidentifyDicom } from "./deidentify";
import { parseDicom } from "./parse";
import { TAG } from "./tags";

const FILE = path.resolve("lib/testdata/breast_mri_ucsf_br_06/image_dce_pe1/1-01.dcm");

describe("deidentifyDicom", () => {
  it("replaces name and ID with the pseudonym, removes birth date, keeps UIDs and pixels", () => {
    const original = new Uint8Array(readFileSync(FILE));
    const before = parseDicom(original);
    const after = parseDicom(deidentifyDicom(original, { pseudonym: "NAC-0001" }));
    expect(after.string("00100010")).toBe("NAC-0001");
    expect(after.string(TAG.PatientID)).toBe("NAC-0001");
    expect(after.string("00100030")).toBeUndefined();
    expect(after.string("00120062")).toBe("YES");
    expect(after.string(TAG.SOPInstanceUID)).toBe(before.string(TAG.SOPInstanceUID));
    expect(after.string(TAG.SeriesInstanceUID)).toBe(before.string(TAG.SeriesInstanceUID));
    expect(Buffer.from(after.bytes(TAG.PixelData)!).equals(Buffer.from(before.bytes(TAG.PixelData)!))).toBe(true);
  });

  it("refuses a non-DICOM input with a clear error", () => {
    expect(() => deidentifyDicom(new TextEncoder().encode("not dicom"), { pseudonym: "X" })).toThrow(
      /cannot de-identify/,
    );
  });
});
