/**
 * The planted image terms must be measurable from the rendered pixels inside the ROI: tumour volume from the mask,
 * heterogeneity from the CE-T1 intensity spread, the T2 signal ratio from T2 intensities. Checked by rank correlation
 * over a small cohort (the outcome model's premise; not a test of any particular feature extractor).
 */
import { describe, expect, it } from "vitest";
import { samplePatientModel } from "./patient-model";
import { makePatientFields, renderSeries, T2_MUSCLE_SIGNAL } from "./render";
import { planPatient } from "./render-patient";

function ranks(x: number[]): number[] {
  const idx = x.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(x.length);
  idx.forEach(([, i], k) => (r[i] = k));
  return r;
}

function spearman(a: number[], b: number[]): number {
  const ra = ranks(a),
    rb = ranks(b);
  const n = a.length;
  const ma = (n - 1) / 2;
  let num = 0,
    da = 0,
    db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - ma) * (rb[i] - ma);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - ma) ** 2;
  }
  return num / Math.sqrt(da * db);
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];

describe("measurability of the planted image terms", () => {
  it("tracks volume, heterogeneity and T2 ratio in the rendered ROI", () => {
    const het: number[] = [],
      cv: number[] = [],
      ratio: number[] = [],
      t2q: number[] = [];
    let worstVolumeError = 0;
    for (let i = 0; i < 10; i++) {
      const m = samplePatientModel("measurability", i);
      const plan = planPatient(m);
      const fields = makePatientFields(m, plan.radius.maxRadius);
      const ce = renderSeries({
        model: m,
        scene: plan.scenes.prone,
        radius: plan.radius,
        role: "CE-T1",
        grid: plan.grids["CE-T1"],
        fields,
      });
      const t2 = renderSeries({
        model: m,
        scene: plan.scenes.prone,
        radius: plan.radius,
        role: "T2",
        grid: plan.grids.T2,
        fields,
      });
      const inside = (s: typeof ce) => {
        const out: number[] = [];
        for (let k = 0; k < s.mask.data.length; k++) if (s.mask.data[k] === 1) out.push(s.volume.data[k]);
        return out;
      };
      const v = inside(ce);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
      het.push(m.tumour.heterogeneity);
      cv.push(sd / mean);
      ratio.push(m.tumour.t2SignalRatio);
      // The lower T2 quantile avoids the (bright, fluid-like) necrotic core.
      t2q.push(quantile(inside(t2), 0.3) / T2_MUSCLE_SIGNAL);
      const sp = ce.mask.spacing;
      const ml = (ce.tumourVoxels * sp[0] * sp[1] * sp[2]) / 1000;
      worstVolumeError = Math.max(worstVolumeError, Math.abs(ml / m.tumour.volumeMl - 1));
    }
    expect(worstVolumeError).toBeLessThan(0.08);
    expect(spearman(het, cv)).toBeGreaterThan(0.85);
    expect(spearman(ratio, t2q)).toBeGreaterThan(0.85);
  });
});
