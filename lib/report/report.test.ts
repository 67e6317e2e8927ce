import { unzlibSync } from "fflate";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { makeVolume } from "../imaging/volume";
import { renderKeyImage } from "./key-image";
import { pdfText } from "./pdf-text";
import { encodePngRgba } from "./png";
import { buildReportPdf, type ReportData } from "./report-pdf";

describe("report", () => {
  it("encodes a PNG whose IDAT inflates to the filtered RGBA rows", () => {
    const rgba = new Uint8Array(3 * 2 * 4).map((_, i) => i);
    const png = encodePngRgba(3, 2, rgba);
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const dv = new DataView(png.buffer);
    expect([dv.getUint32(16), dv.getUint32(20)]).toEqual([3, 2]);
    const idatLen = dv.getUint32(33);
    const raw = unzlibSync(png.subarray(41, 41 + idatLen));
    expect(raw.length).toBe(2 * (1 + 12));
    expect([...raw.subarray(1, 13)]).toEqual([...rgba.subarray(0, 12)]);
  });

  it("picks the slice where the ROI is largest and outlines it in red", () => {
    const dims: [number, number, number] = [8, 8, 3];
    const image = makeVolume(
      Float32Array.from({ length: 192 }, (_, i) => i % 17),
      { dims },
    );
    const roi = makeVolume(new Uint8Array(192), { dims });
    for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) roi.data[2 * 64 + y * 8 + x] = 1;
    roi.data[0 * 64 + 9] = 1;
    const k = renderKeyImage(image, roi);
    expect(k.slice).toBe(2);
    const px = (x: number, y: number) => [...k.rgba.subarray((y * 8 + x) * 4, (y * 8 + x) * 4 + 3)];
    expect(px(2, 2)).toEqual([248, 81, 73]); // boundary voxel
    expect(px(3, 3)).not.toEqual([248, 81, 73]); // interior keeps the image
  });

  it("builds a PDF that carries the research-use label, both probabilities, the spread, the model version and a key image", async () => {
    const data: ReportData = {
      generatedAt: "2026-11-27T10:00:00.000Z",
      patient: { displayName: "DEMO, PATIENT-001", patientKey: "DEMO-1", isSynthetic: true },
      prediction: { id: "p1", createdAt: "2026-11-27T09:59:00.000Z", author: "Dr Demo" },
      model: {
        name: "NACpredict demo",
        version: "1.2.3",
        isDemo: true,
        label: "demo model, synthetic data, not for clinical use",
        bundleId: "b",
      },
      endpoints: [
        {
          key: "pcr",
          label: "Pathologic complete response (pCR)",
          probability: 0.42,
          spread: { mean: 0.4, sd: 0.05, min: 0.31, max: 0.49, n: 10 },
          contributions: [{ words: "CE-T1 peritumoral GLCM contrast: +0.12", value: 0.12 }],
        },
        {
          key: "response",
          label: "Response (>= 30% size reduction)",
          probability: 0.77,
          spread: { mean: 0.75, sd: 0.04, min: 0.7, max: 0.82, n: 10 },
          contributions: [],
        },
      ],
      warnings: ["no ROI on T2"],
      card: {
        intendedUse: "research",
        trainingData: "synthetic",
        validation: ["pCR: balanced accuracy 80%"],
        limitations: ["synthetic"],
      },
      keyImages: [{ title: "CE-T1, slice 3", png: encodePngRgba(2, 2, new Uint8Array(16).fill(200)) }],
      measurements: [
        {
          role: "CE-T1",
          roiVersion: 2,
          voxelCount: 5050,
          volumeMm3: 5050.4,
          maxDiameter3dMm: 24.13,
          maxDiameterInPlaneMm: 21.96,
          maxDiameterAxialMm: 21.96,
        },
      ],
      provenanceHash: "abc",
    };
    const pdf = await buildReportPdf(data);
    const text = pdfText(pdf);
    expect(text).toContain("RESEARCH USE ONLY - NOT FOR CLINICAL DECISION MAKING");
    expect(text).toContain("Pathologic complete response (pCR): 42%");
    expect(text).toContain("Response (>= 30% size reduction): 77%");
    expect(text).toContain("Spread across 10 partition models: 40% +/- 5.0 points (range 31% - 49%).");
    expect(text).toContain("Model: NACpredict demo, version 1.2.3 - demo model, synthetic data, not for clinical use");
    expect(text).toContain("CE-T1 peritumoral GLCM contrast: +0.12");
    expect(text).toContain("Tumour measurements (ROI)");
    expect(text).toContain(
      "CE-T1 ROI v2: volume 5.05 cm3, longest diameter 24.1 mm (3D), 22.0 mm axial (RECIST-like), 22.0 mm in-plane",
    );
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(Buffer.from(pdf).toString("latin1")).toContain("/Subtype /Image");
  });
});
