import { describe, expect, it } from "vitest";
import { peritumoralShell } from "./peritumoral";
import { makeVolume, type Mask, type Vec3 } from "./volume";

/** Digitised sphere: voxels whose centre is within r mm of the centre c (mm, in index-space physical units). */
function sphere(dims: Vec3, sp: Vec3, c: Vec3, r: number): Mask {
  const [nx, ny, nz] = dims;
  const m = new Uint8Array(nx * ny * nz);
  for (let k = 0, i = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let x = 0; x < nx; x++, i++) {
    if ((x * sp[0] - c[0]) ** 2 + (j * sp[1] - c[1]) ** 2 + (k * sp[2] - c[2]) ** 2 <= r * r) m[i] = 1;
  }
  return makeVolume(m, { dims, spacing: sp }) as Mask;
}

function count(m: Mask): number {
  let n = 0;
  for (let i = 0; i < m.data.length; i++) if (m.data[i]) n++;
  return n;
}

/** Digital definition by brute force: non-tumour voxels whose centre is within m of a tumour centre / voxel box. */
function bruteShell(t: Mask, m: number, faces: boolean): Uint8Array {
  const [nx, ny, nz] = t.dims;
  const sp = t.spacing;
  const pts: number[][] = [];
  for (let k = 0, i = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let x = 0; x < nx; x++, i++) if (t.data[i]) pts.push([x, j, k]);
  const g = (d: number) => (faces ? Math.max(0, Math.abs(d) - 0.5) : d);
  const out = new Uint8Array(t.data.length);
  for (let k = 0, i = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let x = 0; x < nx; x++, i++) {
    if (t.data[i]) continue;
    for (const [a, b, c] of pts) {
      if ((g(x - a) * sp[0]) ** 2 + (g(j - b) * sp[1]) ** 2 + (g(k - c) * sp[2]) ** 2 <= m * m) {
        out[i] = 1;
        break;
      }
    }
  }
  return out;
}

describe("peritumoralShell", () => {
  it("equals the brute-force digital definition on random blobs (both distance modes, anisotropic voxels)", () => {
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    let compared = 0;
    for (let t = 0; t < 8; t++) {
      const dims: Vec3 = [14, 12, 9];
      const sp: Vec3 = [0.5 + rnd(), 0.5 + rnd(), 1 + 2 * rnd()];
      const tumour = makeVolume(new Uint8Array(14 * 12 * 9), { dims, spacing: sp }) as Mask;
      for (let k = 3; k < 6; k++) for (let j = 4; j < 8; j++) for (let x = 5; x < 9; x++) {
        if (rnd() < 0.6) tumour.data[x + j * 14 + k * 168] = 1;
      }
      tumour.data[6 + 5 * 14 + 4 * 168] = 1;
      const margin = 1 + 3 * rnd();
      for (const mode of ["centres", "faces"] as const) {
        const got = peritumoralShell(tumour, margin, { measureFrom: mode }).data;
        const want = bruteShell(tumour, margin, mode === "faces");
        expect(Array.from(got)).toEqual(Array.from(want));
        compared += got.length;
      }
    }
    expect(compared).toBeGreaterThan(20000);
  });
});

describe("peritumoralShell on digitised spheres vs 4/3 pi ((r+m)^3 - r^3)", () => {
  const cases: { r: number; m: number; sp: Vec3 }[] = [
    { r: 10, m: 5, sp: [0.7, 0.7, 2] },
    { r: 15, m: 5, sp: [0.7, 0.7, 2] },
    { r: 12, m: 3, sp: [0.5, 0.8, 1.5] },
    { r: 8, m: 10, sp: [1, 1, 3] },
  ];
  for (const { r, m, sp } of cases) {
    it(`r=${r} mm, margin=${m} mm, spacing ${sp.join("x")}: centres below, faces above the analytic volume; no overlap`, () => {
      const ext = 2 * (r + m) + 10;
      const dims = sp.map((s) => Math.ceil(ext / s)) as Vec3;
      // Off-grid centre so the digitisation is not symmetric.
      const c = dims.map((n, a) => (n * sp[a]) / 2 + 0.31 * sp[a]) as Vec3;
      const tumour = sphere(dims, sp, c, r);
      const vox = sp[0] * sp[1] * sp[2];
      const want = (4 / 3) * Math.PI * ((r + m) ** 3 - r ** 3);
      const rel: Record<string, number> = {};
      for (const mode of ["centres", "faces"] as const) {
        const shell = peritumoralShell(tumour, m, { measureFrom: mode });
        rel[mode] = (count(shell) * vox - want) / want;
        for (let i = 0; i < tumour.data.length; i++) if (tumour.data[i] && shell.data[i]) throw new Error("shell overlaps tumour");
        if (mode === "centres") {
          // A point within m of a point within r lies within r + m of the centre.
          const grown = sphere(dims, sp, c, r + m);
          for (let i = 0; i < shell.data.length; i++) if (shell.data[i] && !grown.data[i]) throw new Error("beyond r + m");
        }
      }
      console.log(`shell r=${r} m=${m} sp=${sp.join("x")}: centres ${(rel.centres * 100).toFixed(2)}%, faces ${(rel.faces * 100).toFixed(2)}%`);
      // Documented bias bounds (not the 2 % of issue 3, which neither digital definition meets; see peritumoral.ts).
      expect(rel.centres).toBeLessThan(0);
      expect(rel.centres).toBeGreaterThan(-0.15);
      expect(rel.faces).toBeGreaterThan(0);
      expect(rel.faces).toBeLessThan(0.25);
    });
  }

  it("converges: r=30 mm, margin 10 mm, 0.5x0.5x1 mm voxels -> centres within 2% of the analytic shell", () => {
    const r = 30, m = 10, sp: Vec3 = [0.5, 0.5, 1];
    const dims = sp.map((s) => Math.ceil((2 * (r + m) + 6) / s)) as Vec3;
    const c = dims.map((n, a) => (n * sp[a]) / 2 + [0.3, 0.6, 0.1][a] * sp[a]) as Vec3;
    const shell = peritumoralShell(sphere(dims, sp, c, r), m);
    const rel = (count(shell) * sp[0] * sp[1] * sp[2]) / ((4 / 3) * Math.PI * ((r + m) ** 3 - r ** 3)) - 1;
    console.log(`shell r=${r} m=${m} sp=${sp.join("x")}: centres ${(rel * 100).toFixed(2)}%`);
    expect(Math.abs(rel)).toBeLessThan(0.02);
  });

  it("excludes voxels outside the body and below the air threshold", () => {
    const dims: Vec3 = [21, 21, 5];
    const tumour = sphere(dims, [1, 1, 1], [10, 10, 2], 3);
    const body = makeVolume(new Uint8Array(21 * 21 * 5), { dims }) as Mask;
    const img = makeVolume(new Int16Array(21 * 21 * 5), { dims });
    for (let i = 0; i < body.data.length; i++) {
      const x = i % 21;
      body.data[i] = x <= 12 ? 1 : 0; // body ends at x = 12
      img.data[i] = x >= 9 ? 40 : -1000; // air for x < 9
    }
    const full = peritumoralShell(tumour, 4);
    const cut = peritumoralShell(tumour, 4, { bodyMask: body, excludeAirBelow: { image: img, threshold: -500 } });
    let nFull = 0, nCut = 0;
    for (let i = 0; i < full.data.length; i++) {
      const x = i % 21;
      if (full.data[i]) {
        nFull++;
        if (x >= 9 && x <= 12) expect(cut.data[i]).toBe(1);
      }
      if (cut.data[i]) {
        nCut++;
        expect(x >= 9 && x <= 12).toBe(true);
      }
    }
    expect(nCut).toBeGreaterThan(0);
    expect(nCut).toBeLessThan(nFull);
  });

  it("a voxel exactly at the margin is included; empty tumour and bad margin are errors", () => {
    const dims: Vec3 = [11, 1, 1];
    const t = makeVolume(new Uint8Array(11), { dims, spacing: [0.5, 1, 1] }) as Mask;
    t.data[5] = 1;
    // Centre distances 0.5, 1.0, 1.5 mm: margin 1.5 is a tie and included.
    expect(Array.from(peritumoralShell(t, 1.5).data)).toEqual([0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0]);
    expect(Array.from(peritumoralShell(t, 1.4).data)).toEqual([0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0]);
    // Face distances (|dx| - 0.5) * 0.5 mm = 0.25, 0.75, 1.25: margin 1.25 is a tie.
    expect(Array.from(peritumoralShell(t, 1.25, { measureFrom: "faces" }).data)).toEqual([0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0]);
    expect(() => peritumoralShell(makeVolume(new Uint8Array(8), { dims: [2, 2, 2] }) as Mask, 5)).toThrow(
      expect.objectContaining({ code: "MASK_EMPTY" }),
    );
    expect(() => peritumoralShell(t, 0)).toThrow(expect.objectContaining({ code: "SETTINGS_INVALID" }));
  });
});
