import { describe, expect, it } from "vitest";
import { checkAcquisition } from "../../acquisition";
import { syntheticAcquisition } from "./acquisition";

describe("demo bundle training acquisition", () => {
  it("is the generator's protocol: 3 T MR, its manufacturer, its grids; a 1.5 T series of the same protocol is flagged", () => {
    const d = syntheticAcquisition("demo-train-1", 177);
    expect(d.byRole["CE-T1"]).toMatchObject({
      series: 177,
      fieldStrengthsT: [{ value: "3", n: 177 }],
      manufacturers: [{ value: "nacpredict synthetic phantom", n: 177 }],
    });
    expect(d.byRole.T2!.sliceThicknessMm).toEqual({ n: 177, min: 3, max: 3 });
    expect(d.byRole.CT!.fieldStrengthsT).toEqual([]);
    expect(
      checkAcquisition(d, {
        role: "T2",
        fieldStrengthT: 1.5,
        manufacturer: "NACpredict synthetic phantom",
        sliceThicknessMm: 3,
      }).map((w) => w.parameter),
    ).toEqual(["fieldStrength"]);
  });
});
