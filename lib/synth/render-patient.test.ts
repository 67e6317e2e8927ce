import { describe, expect, it } from "vitest";
import { samplePatientModel } from "./patient-model";
import { planPatient } from "./render-patient";
import { breastRho, wallY } from "./scene";
import { MAX_RADIUS_MM } from "./tumour-shape";

describe("patient planning", () => {
  it("places every tumour inside the breast and every field of view, for 300 patients of two seeds", () => {
    let failures = 0;
    let tooLarge = 0;
    let centreOutside = 0;
    for (const seed of ["plan-a", "plan-b"]) {
      for (let i = 0; i < 150; i++) {
        const m = samplePatientModel(seed, i);
        try {
          const plan = planPatient(m);
          if (plan.radius.maxRadius > MAX_RADIUS_MM + 0.5) tooLarge++;
          for (const s of [plan.scenes.prone, plan.scenes.supine]) {
            const [x, y, z] = s.tumourCentre;
            if (!(breastRho(s, x, y, z) < 1 && wallY(s, x) - y > 0)) centreOutside++;
          }
        } catch {
          failures++;
        }
      }
    }
    expect(failures).toBe(0);
    expect(tooLarge).toBe(0);
    expect(centreOutside).toBe(0);
  });
});
