const METHOD = { platt: "Platt scaling", isotonic: "isotonic regression" } as const;

/**
 * Whether the headline probability went through the bundle's calibration map. `undefined`: a
 * prediction stored before calibration existed (nothing said).
 */
export function CalibrationNote(props: {
  endpoint: string;
  calibration: "platt" | "isotonic" | null | undefined;
  uncalibratedProbability?: number;
}) {
  if (props.calibration === undefined) return null;
  return (
    <p className="text-xs text-ink-500" data-testid={`calibration-${props.endpoint}`}>
      {props.calibration
        ? `calibrated (${METHOD[props.calibration]}, fitted on out-of-fold training predictions)${props.uncalibratedProbability !== undefined ? `; the model's own probability was ${(100 * props.uncalibratedProbability).toFixed(0)}%` : ""}`
        : "uncalibrated: this model bundle has no calibration map"}
    </p>
  );
}
