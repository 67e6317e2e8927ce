import type { ReliabilityBin } from "@/lib/ml/metrics/ece";

type MeanSd = { mean: number; sd: number; n: number };
export interface EndpointCalibrationView {
  label: string;
  /** The final model's map, or null (uncalibrated). */
  method: "platt" | "isotonic" | null;
  /** Held-out figures across partitions (absent when the bundle has none). */
  summary?: { before: { brier: MeanSd; ece: MeanSd }; after: { brier: MeanSd; ece: MeanSd }; curve: { before: ReliabilityBin[]; after: ReliabilityBin[] } };
}

const METHOD = { platt: "Platt scaling", isotonic: "isotonic regression" } as const;
const f3 = (m: MeanSd) => `${m.mean.toFixed(3)} ± ${m.sd.toFixed(3)}`;

/** Reliability diagram: mean predicted vs observed rate per bin on the pooled held-out partitions, before and after. */
function Curve({ curve }: { curve: { before: ReliabilityBin[]; after: ReliabilityBin[] } }) {
  const S = 220, P = 28;
  const x = (v: number) => P + v * (S - 2 * P);
  const y = (v: number) => S - P - v * (S - 2 * P);
  const line = (bins: ReliabilityBin[]) => bins.map((b, i) => `${i ? "L" : "M"}${x(b.meanPredicted).toFixed(1)},${y(b.observed).toFixed(1)}`).join(" ");
  return (
    <svg width={S} height={S} role="img" aria-label="calibration curve before and after calibration" className="rounded bg-room-950">
      <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="currentColor" strokeOpacity={0.3} strokeDasharray="3 3" />
      <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(0)} stroke="currentColor" strokeOpacity={0.5} />
      <line x1={x(0)} y1={y(0)} x2={x(0)} y2={y(1)} stroke="currentColor" strokeOpacity={0.5} />
      <text x={S / 2} y={S - 6} textAnchor="middle" fontSize={10} fill="currentColor">
        predicted probability
      </text>
      <text x={10} y={S / 2} textAnchor="middle" fontSize={10} fill="currentColor" transform={`rotate(-90 10 ${S / 2})`}>
        observed rate
      </text>
      <path d={line(curve.before)} fill="none" stroke="#9ca3af" strokeWidth={1.5} strokeDasharray="5 3" />
      {curve.before.map((b) => (
        <circle key={`b${b.lower}`} cx={x(b.meanPredicted)} cy={y(b.observed)} r={2.5} fill="#9ca3af" />
      ))}
      <path d={line(curve.after)} fill="none" stroke="#38bdf8" strokeWidth={2} />
      {curve.after.map((b) => (
        <circle key={`a${b.lower}`} cx={x(b.meanPredicted)} cy={y(b.observed)} r={3} fill="#38bdf8" />
      ))}
    </svg>
  );
}

/** Model card section: calibration curve, Brier score and ECE before and after, per endpoint. */
export function CalibrationSection({ endpoints }: { endpoints: EndpointCalibrationView[] }) {
  return (
    <section className="flex flex-col gap-2" data-testid="model-calibration">
      <h2 className="font-semibold">Calibration (held-out partitions)</h2>
      <div className="flex flex-wrap gap-6">
        {endpoints.map((e) =>
          e.method && e.summary ? (
            <figure key={e.label} className="flex flex-col gap-1 text-sm" data-testid={`calibration-card-${e.label}`}>
              <figcaption>
                <b>{e.label}</b>: calibrated by {METHOD[e.method]} (chosen by cross-validated log loss on out-of-fold predictions inside each training partition)
              </figcaption>
              <Curve curve={e.summary.curve} />
              <p className="text-xs text-ink-300">
                <span className="text-ink-500">grey dashed: before · blue: after · diagonal: perfect calibration</span>
              </p>
              <table className="text-xs">
                <thead className="text-ink-500">
                  <tr>
                    <th className="pr-3 text-left" />
                    <th className="pr-3 text-left">Brier score</th>
                    <th className="pr-3 text-left">expected calibration error</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <td className="pr-3">before</td>
                    <td className="pr-3">{f3(e.summary.before.brier)}</td>
                    <td className="pr-3" data-testid={`ece-before-${e.label}`}>{f3(e.summary.before.ece)}</td>
                  </tr>
                  <tr>
                    <td className="pr-3">after</td>
                    <td className="pr-3">{f3(e.summary.after.brier)}</td>
                    <td className="pr-3" data-testid={`ece-after-${e.label}`}>{f3(e.summary.after.ece)}</td>
                  </tr>
                </tbody>
              </table>
              <p className="text-xs text-ink-500">mean ± SD over {e.summary.after.ece.n} partitions; ECE with 10 equal-width bins.</p>
            </figure>
          ) : (
            <p key={e.label} className="text-sm text-ink-300" data-testid={`calibration-card-${e.label}`}>
              <b>{e.label}</b>: uncalibrated — this bundle has no calibration map (made before calibration, or registered without it); its probabilities are the classifier&apos;s own.
            </p>
          ),
        )}
      </div>
    </section>
  );
}
