import { describe, expect, it } from "vitest";
import { parseDicom } from "../imaging/dicom/parse";
import { generatePatient } from "../synth/generate-patient";
import {
  acquisitionParameters,
  checkAcquisition,
  summariseAcquisition,
  tmSeconds,
  type AcquisitionParameters,
} from "./index";

describe("acquisition check on generated data", () => {
  // One generated patient's DICOM series (the generator writes 3 T MR).
  const g = generatePatient("acquisition-check", 0, { nifti: false });
  const params = g.series.map((s) => acquisitionParameters(parseDicom(s.files[0]), s.role));

  it("reads field strength, manufacturer, pixel spacing and slice thickness from the generated headers", () => {
    const ce = params.find((p) => p.role === "CE-T1")!;
    expect(ce.fieldStrengthT).toBe(3);
    expect(ce.manufacturer).toBe("NACpredict synthetic phantom");
    expect(ce.pixelSpacingMm).toBeCloseTo(0.7, 9);
    expect(ce.sliceThicknessMm).toBeCloseTo(1.8, 9);
    expect(ce.contrastDelayS).toBeUndefined(); // the generator records no bolus start time: not compared
    expect(params.find((p) => p.role === "CT")!.fieldStrengthT).toBeUndefined();
  });

  it("warns for a 3 T series when the bundle was trained on 1.5 T only, and not when trained on 3 T", () => {
    // A 1.5 T training site: the same protocol otherwise (generated headers with the field strength of a 1.5 T scanner).
    const training15: AcquisitionParameters[] = Array.from({ length: 20 }, () =>
      params.map((p) => (p.role === "CT" ? p : { ...p, fieldStrengthT: 1.5 })),
    ).flat();
    const d15 = summariseAcquisition(training15, "1.5 T site");
    expect(d15.byRole["CE-T1"]!.fieldStrengthsT).toEqual([{ value: "1.5", n: 20 }]);
    const w = params.flatMap((p) => checkAcquisition(d15, p));
    expect(w.map((x) => [x.role, x.parameter])).toEqual([
      ["CE-T1", "fieldStrength"],
      ["T2", "fieldStrength"],
    ]);
    expect(w[0].message).toBe("CE-T1 field strength 3 T is outside the training data (trained on 1.5 T only)");
    const d3 = summariseAcquisition(params, "3 T site");
    expect(params.flatMap((p) => checkAcquisition(d3, p))).toEqual([]);
  });

  it("warns for another manufacturer and for a slice thickness outside the training range (beyond a 5 % margin)", () => {
    const d = summariseAcquisition(params, "generated");
    const ce = params.find((p) => p.role === "CE-T1")!;
    expect(checkAcquisition(d, { ...ce, manufacturer: "  nacpredict   SYNTHETIC phantom " })).toEqual([]);
    expect(checkAcquisition(d, { ...ce, manufacturer: "Other Vendor" }).map((x) => x.parameter)).toEqual([
      "manufacturer",
    ]);
    expect(checkAcquisition(d, { ...ce, sliceThicknessMm: 1.85 })).toEqual([]);
    const thick = checkAcquisition(d, { ...ce, sliceThicknessMm: 3 });
    expect(thick.map((x) => x.message)).toEqual([
      "CE-T1 slice thickness 3 mm is outside the training data (training 1.8–1.8 mm)",
    ]);
    // A parameter the series does not record is not compared; a role the training data lacks is not either.
    expect(checkAcquisition(d, { role: "CE-T1" })).toEqual([]);
    expect(checkAcquisition(summariseAcquisition([], "none"), ce)).toEqual([]);
  });

  it("reads DICOM times", () => {
    expect(tmSeconds("093015.5")).toBe(9 * 3600 + 30 * 60 + 15.5);
    expect(tmSeconds("09:30:15")).toBe(9 * 3600 + 30 * 60 + 15);
    expect(tmSeconds("0930")).toBe(9 * 3600 + 30 * 60);
    expect(tmSeconds("garbage")).toBeUndefined();
  });
});
