/** A small feature table in the CSV contract with planted signal, for tests (names as the case features give them). */
import { plantedSignal } from "../../ml/protocol/testdata/synthetic";

export function syntheticExperimentCsv(o: { rows?: number; seed?: number; missingResponse?: number[] } = {}): string {
  const rows = o.rows ?? 60;
  const names = [
    "CE_T1.intra.original_firstorder_Mean",
    "CE_T1.intra.original_glcm_Contrast",
    "CE_T1.peri.original_firstorder_Mean",
    "T2.intra.original_firstorder_Mean",
    "CT.peri.original_shape_Sphericity",
    "CE_T1.intra.resnet10_000",
    "CE_T1.intra.resnet10_001",
    "T2.intra.resnet10_000",
    "CE_T1.intra.resnet34_000",
    "CE_T1.intra.resnet34_001",
    "clinical.ki67",
    "clinical.her2pos",
  ];
  const a = plantedSignal({
    rows,
    features: names.length,
    informative: 3,
    shift: 1.2,
    seed: o.seed ?? 11,
    positiveFraction: 0.4,
  });
  const b = plantedSignal({
    rows,
    features: 1,
    informative: 1,
    shift: 1,
    seed: (o.seed ?? 11) + 1,
    positiveFraction: 0.5,
  });
  const lines = [["patient_id", ...names, "pCR", "response"].join(",")];
  for (let r = 0; r < rows; r++) {
    const v = Array.from(a.X.data.subarray(r * names.length, (r + 1) * names.length), (x, j) =>
      r === 3 && j === 1 ? "" : String(x),
    );
    const response = o.missingResponse?.includes(r) ? "" : String(b.y[r]);
    lines.push([`SYN-${String(r).padStart(3, "0")}`, ...v, a.y[r], response].join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** A quick protocol for tests: few partitions, small mRMR and RFE, few rounds. */
export const QUICK_PROTOCOL = {
  partitions: 4,
  mrmr: { k: 4 },
  rfe: { mode: "count", nFeatures: 2 },
  classifier: { type: "xgboost", params: { num_boost_round: 12 } },
} as const;
