import { describe, expect, it } from "vitest";
import { evaluateBinary } from "../ml/metrics/evaluate";
import { mulberry32 } from "../random/prng";
import { trackRecord, type PatientOutcome, type StoredPrediction } from "./track-record";

describe("local track record", () => {
  it("scores each patient's latest prediction against generated outcomes; patients without an outcome do not count", () => {
    const r = mulberry32(7);
    const rng = () => r.next();
    const preds: StoredPrediction[] = [];
    const outcomes: PatientOutcome[] = [];
    for (let i = 0; i < 40; i++) {
      const pPcr = rng();
      const pResp = rng();
      // an older, different prediction of the same patient must be ignored
      preds.push({
        patientId: `P${i}`,
        createdAt: "2026-01-01T00:00:00.000Z",
        probabilities: { pcr: 1 - pPcr, response: 1 - pResp },
      });
      preds.push({
        patientId: `P${i}`,
        createdAt: "2026-02-01T00:00:00.000Z",
        probabilities: { pcr: pPcr, response: pResp },
      });
      if (i < 30)
        outcomes.push({
          patientId: `P${i}`,
          pCR: (rng() < pPcr ? 1 : 0) as 0 | 1,
          ...(i < 20 ? { response: (rng() < pResp ? 1 : 0) as 0 | 1 } : {}),
        });
    }
    outcomes.push({ patientId: "never-predicted", pCR: 1, response: 1 });
    const [pcr, response] = trackRecord(preds, outcomes, { pcr: 0.3, response: 0.5 });
    expect([pcr.n, response.n]).toEqual([30, 20]);
    const y: number[] = outcomes.slice(0, 30).map((o) => o.pCR as number);
    const p = preds
      .filter((x) => x.createdAt.startsWith("2026-02"))
      .slice(0, 30)
      .map((x) => x.probabilities.pcr);
    const m = evaluateBinary(y, p, 0.3);
    expect(pcr.balancedAccuracy).toBe(m.balancedAccuracy);
    expect(pcr.auc).toBe(m.auc);
    expect(pcr.nPositive).toBe(y.reduce((a: number, b) => a + b, 0));
    expect(pcr.calibration.reduce((a, b) => a + b.n, 0)).toBe(30);
    // One class only: counted, but no balanced accuracy
    const one = trackRecord(
      preds.slice(0, 4),
      [
        { patientId: "P0", pCR: 1 },
        { patientId: "P1", pCR: 1 },
      ],
      { pcr: 0.5, response: 0.5 },
    );
    expect([one[0].n, one[0].balancedAccuracy, one[1].n]).toEqual([2, null, 0]);
  });
});
