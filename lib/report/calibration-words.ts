/** One sentence on a probability's calibration, shared by the report page and the PDF. */
export function calibrationWords(c: "platt" | "isotonic" | null): string {
  return c
    ? `Calibrated probability (${c === "platt" ? "Platt scaling" : "isotonic regression"} fitted on out-of-fold training predictions).`
    : "Uncalibrated: the model bundle has no calibration map.";
}
