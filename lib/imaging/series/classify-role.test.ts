import { describe, expect, it } from "vitest";
import { classifySeriesRole } from "./classify-role";

describe("classifySeriesRole rules", () => {
  it("CT and non-MR modalities", () => {
    expect(classifySeriesRole({ modality: "CT" })).toMatchObject({ role: "CT", confidence: 0.99 });
    expect(classifySeriesRole({ modality: "PT" }).role).toBe("other");
  });
  it("T2 from keywords and from long TR/TE", () => {
    expect(classifySeriesRole({ modality: "MR", seriesDescription: "Ax T2 FSE" }).role).toBe("T2");
    expect(classifySeriesRole({ modality: "MR", seriesDescription: "STIR bilateral" }).role).toBe("T2");
    const r = classifySeriesRole({
      modality: "MR",
      seriesDescription: "axial",
      acquisition: { repetitionTime: 4000, echoTime: 90, scanningSequence: "SE" },
    });
    expect(r.role).toBe("T2");
    expect(r.confidence).toBeCloseTo(0.8, 10);
  });
  it("CE-T1 needs contrast evidence; pre-contrast T1 is other", () => {
    const post = classifySeriesRole({
      modality: "MR",
      seriesDescription: "Ax VIBRANT post 1",
      acquisition: { repetitionTime: 5, echoTime: 2, contrastBolusAgent: "Gadavist" },
    });
    expect(post.role).toBe("CE-T1");
    expect(post.confidence).toBeCloseTo(0.9, 10);
    const pre = classifySeriesRole({
      modality: "MR",
      seriesDescription: "Ax VIBRANT pre",
      acquisition: { repetitionTime: 5, echoTime: 2 },
    });
    expect(pre.role).toBe("other");
    expect(pre.reasons.join(" ")).toMatch(/pre-contrast/);
  });
  it("excludes localisers and diffusion", () => {
    expect(classifySeriesRole({ modality: "MR", seriesDescription: "3Plane Localizer" }).role).toBe("other");
    expect(classifySeriesRole({ modality: "MR", seriesDescription: "DWI b800 T2" })).toMatchObject({
      role: "other",
      confidence: 0.9,
    });
  });
  it("no evidence -> other at 0.5", () => {
    expect(classifySeriesRole({ modality: "MR", seriesDescription: "series 7" })).toMatchObject({
      role: "other",
      confidence: 0.5,
    });
  });
  it("phases of a split DCE series: baseline is other, later phases CE-T1", () => {
    const base = {
      modality: "MR",
      seriesDescription: "Ax Vibrant MultiPhase",
      acquisition: { repetitionTime: 4.5, echoTime: 2.1 },
    };
    expect(classifySeriesRole({ ...base, phase: { key: "TemporalPositionIdentifier", value: "1" } }).role).toBe(
      "other",
    );
    const p3 = classifySeriesRole({ ...base, phase: { key: "TemporalPositionIdentifier", value: "3" } });
    expect(p3.role).toBe("CE-T1");
    expect(p3.reasons.join("; ")).toMatch(/temporal position 3/);
  });
});
