import { describe, expect, it } from "vitest";
import { pdfText } from "./pdf-text";
import { buildReportPdf, type ReportData } from "./report-pdf";

describe("report: calibration of each probability (issue 18 item 2)", () => {
  it("says calibrated (and by what) or uncalibrated; an older prediction says nothing", async () => {
    const endpoint = (key: string, calibration?: "platt" | "isotonic" | null): ReportData["endpoints"][number] => ({
      key,
      label: key,
      probability: 0.4,
      spread: { mean: 0.4, sd: 0.05, min: 0.31, max: 0.49, n: 10 },
      contributions: [],
      ...(calibration !== undefined ? { calibration } : {}),
    });
    const data: ReportData = {
      generatedAt: "2026-11-27T10:00:00.000Z",
      patient: { displayName: "DEMO, PATIENT-001", patientKey: "DEMO-1", isSynthetic: true },
      prediction: { id: "p1", createdAt: "2026-11-27T09:59:00.000Z", author: "Dr Demo" },
      model: { name: "m", version: "1", isDemo: true, label: "demo", bundleId: "b" },
      endpoints: [endpoint("pcr", "platt"), endpoint("response", null)],
      warnings: [],
      card: { intendedUse: "research", trainingData: "synthetic", validation: [], limitations: [] },
      keyImages: [],
      provenanceHash: "abc",
    };
    const text = pdfText(await buildReportPdf(data)).replace(/\s+/g, " ");
    expect(text).toContain("Calibrated probability (Platt scaling fitted on out-of-fold training predictions).");
    expect(text).toContain("Uncalibrated: the model bundle has no calibration map.");
    const old = pdfText(await buildReportPdf({ ...data, endpoints: [endpoint("pcr"), endpoint("response")] }));
    expect(old).not.toMatch(/alibrat/);
  });
});
