import { describe, expect, it } from "vitest";
import { MR_WINDOW_PRESETS, percentileWindow } from "./window-presets";

describe("percentileWindow", () => {
  it("matches numpy's linear percentiles of the non-minimum voxels", () => {
    // 0 (air) x 500 then 1..1000: numpy.percentile(arange(1, 1001), [1, 99]) = [10.99, 990.01].
    const data = new Uint16Array(1500);
    for (let i = 0; i < 1000; i++) data[500 + i] = i + 1;
    const w = percentileWindow(data, 1, 99);
    expect(w.lower).toBeCloseTo(10.99, 6);
    expect(w.upper).toBeCloseTo(990.01, 6);
    expect(w.center).toBeCloseTo(500.5, 6);
    expect(w.width).toBeCloseTo(979.02, 6);
    const w5 = percentileWindow(data, 5, 95);
    expect(w5.lower).toBeCloseTo(50.95, 6);
    expect(w5.upper).toBeCloseTo(950.05, 6);
  });

  it("a bright outlier moves 1-99 % far less than it moves min-max", () => {
    const data = new Float32Array(10000).map((_, i) => 100 + (i % 100));
    data[0] = 1e6;
    const w = percentileWindow(data, 1, 99);
    expect(w.upper).toBeLessThan(200);
  });

  it("constant and empty images give a unit window; bad percentiles are refused", () => {
    expect(percentileWindow(new Uint8Array(10).fill(7), 1, 99)).toEqual({
      lower: 6.5,
      upper: 7.5,
      center: 7,
      width: 1,
    });
    expect(percentileWindow(new Uint8Array(0), 1, 99).width).toBe(1);
    expect(() => percentileWindow(new Uint8Array(10), 99, 1)).toThrow(/percentiles/);
    expect(MR_WINDOW_PRESETS.map((p) => p.label)).toEqual(["1–99 %", "5–95 %"]);
  });
});
