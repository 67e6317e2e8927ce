import { describe, expect, it } from "vitest";
import { peritumoralShell } from "./peritumoral";
import {
  signedCentreDistance,
  smoothSignedDistance,
  surfaceFactors,
  surfaceSquaredDistance,
  upsampleCubic,
} from "./surface-distance";
import { volumeMatchedSurfaceDistance } from "./surface-volume-matched";
import { makeVolume, type Mask, type Vec3 } from "./volume";

/** Digitised sphere: voxels whose centre is within r mm of the centre c (mm, in index-space physical units). */
function sphere(dims: Vec3, sp: Vec3, c: Vec3, r: number): Mask {
  const [nx, ny, nz] = dims;
  const m = new Uint8Array(nx * ny * nz);
  for (let k = 0, i = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let x = 0; x < nx; x++, i++) {
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
  for (let k = 0, i = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) for (let x = 0; x < nx; x++, i++) if (t.data[i]) pts.push([x, j, k]);
  const g = (d: number) => (faces ? Math.max(0, Math.abs(d) - 0.5) : d);
  const out = new Uint8Array(t.data.length);
  for (let k = 0, i = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let x = 0; x < nx; x++, i++) {
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
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    let compared = 0;
    for (let t = 0; t < 8; t++) {
      const dims: Vec3 = [14, 12, 9];
      const sp: Vec3 = [0.5 + rnd(), 0.5 + rnd(), 1 + 2 * rnd()];
      const tumour = makeVolume(new Uint8Array(14 * 12 * 9), { dims, spacing: sp }) as Mask;
      for (let k = 3; k < 6; k++)
        for (let j = 4; j < 8; j++)
          for (let x = 5; x < 9; x++) {
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
        for (let i = 0; i < tumour.data.length; i++)
          if (tumour.data[i] && shell.data[i]) throw new Error("shell overlaps tumour");
        if (mode === "centres") {
          // A point within m of a point within r lies within r + m of the centre.
          const grown = sphere(dims, sp, c, r + m);
          for (let i = 0; i < shell.data.length; i++)
            if (shell.data[i] && !grown.data[i]) throw new Error("beyond r + m");
        }
      }
      console.log(
        `shell r=${r} m=${m} sp=${sp.join("x")}: centres ${(rel.centres * 100).toFixed(2)}%, faces ${(rel.faces * 100).toFixed(2)}%`,
      );
      // Documented bias bounds (not the 2 % of issue 3, which neither digital definition meets; see peritumoral.ts).
      expect(rel.centres).toBeLessThan(0);
      expect(rel.centres).toBeGreaterThan(-0.15);
      expect(rel.faces).toBeGreaterThan(0);
      expect(rel.faces).toBeLessThan(0.25);
    });
  }

  it("converges: r=30 mm, margin 10 mm, 0.5x0.5x1 mm voxels -> centres within 2% of the analytic shell", () => {
    const r = 30,
      m = 10,
      sp: Vec3 = [0.5, 0.5, 1];
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
    let nFull = 0,
      nCut = 0;
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
    expect(Array.from(peritumoralShell(t, 1.25, { measureFrom: "faces" }).data)).toEqual([
      0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0,
    ]);
    expect(() => peritumoralShell(makeVolume(new Uint8Array(8), { dims: [2, 2, 2] }) as Mask, 5)).toThrow(
      expect.objectContaining({ code: "MASK_EMPTY" }),
    );
    expect(() => peritumoralShell(t, 0)).toThrow(expect.objectContaining({ code: "SETTINGS_INVALID" }));
  });
});

/**
 * Direct (slow) "surface" definition: the signed centre distance by brute force over all centres, the optional
 * smoothing, Keys cubic (Catmull-Rom) resampling along the coarse axes to the fine step, then every axis-parallel
 * line of the fine wireframe (knots along its axis, fine steps across) cut into its exact inside intervals where the
 * trilinear interpolation of the refined field is <= 0, and the distance from each original voxel centre to every
 * interval.
 */
function bruteSurfaceD2(t: Mask, f: Vec3, smoothing: boolean): Float64Array {
  const dims = t.dims,
    sp = t.spacing;
  const n = t.data.length;
  const at = (x: number, y: number, z: number) => x + dims[0] * (y + dims[1] * z);
  const phi = new Float64Array(n);
  for (let z = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++) {
        const inside = t.data[at(x, y, z)] !== 0;
        let best = Infinity;
        for (let c = 0; c < dims[2]; c++)
          for (let b = 0; b < dims[1]; b++)
            for (let a = 0; a < dims[0]; a++) {
              if ((t.data[at(a, b, c)] !== 0) === inside) continue;
              best = Math.min(best, ((x - a) * sp[0]) ** 2 + ((y - b) * sp[1]) ** 2 + ((z - c) * sp[2]) ** 2);
            }
        phi[at(x, y, z)] = inside ? -Math.sqrt(best) : Math.sqrt(best);
      }
  // Smoothing: [-1, 4, 10, 4, -1] / 16 along each axis with spacing <= 2 x the finest, clamped at the edges.
  const finest = Math.min(...sp);
  for (let ax = 0; smoothing && ax < 3; ax++) {
    if (sp[ax] > 2 * finest) continue;
    const src = phi.slice();
    for (let z = 0; z < dims[2]; z++)
      for (let y = 0; y < dims[1]; y++)
        for (let x = 0; x < dims[0]; x++) {
          const p = [x, y, z];
          const get = (o: number) => {
            const q = [...p];
            q[ax] = Math.min(dims[ax] - 1, Math.max(0, q[ax] + o));
            return src[at(q[0], q[1], q[2])];
          };
          phi[at(x, y, z)] = (10 * get(0) + 4 * (get(-1) + get(1)) - (get(-2) + get(2))) / 16;
        }
  }
  // Refined grid: coarse axes (spacing > 2 x finest, factor > 1) resampled at every 1/f by the Keys kernel
  // k(s) = 1.5|s|^3 - 2.5|s|^2 + 1 (|s| <= 1), -0.5|s|^3 + 2.5|s|^2 - 4|s| + 2 (1 < |s| < 2), indices clamped.
  const keys = (d: number) => {
    const u = Math.abs(d);
    return u <= 1 ? 1.5 * u ** 3 - 2.5 * u ** 2 + 1 : u < 2 ? -0.5 * u ** 3 + 2.5 * u ** 2 - 4 * u + 2 : 0;
  };
  const up = [0, 1, 2].map((a) => (sp[a] > 2 * finest && f[a] > 1 ? f[a] : 1));
  const rd = dims.map((d, a) => (d - 1) * up[a] + 1);
  const ratOf = (x: number, y: number, z: number) => x + rd[0] * (y + rd[1] * z);
  const refined = new Float64Array(rd[0] * rd[1] * rd[2]);
  for (let z = 0; z < rd[2]; z++)
    for (let y = 0; y < rd[1]; y++)
      for (let x = 0; x < rd[0]; x++) {
        const pos = [x / up[0], y / up[1], z / up[2]];
        let v = 0;
        const ranges = pos.map((p, a) => (up[a] === 1 ? [p] : [-1, 0, 1, 2].map((o) => Math.floor(p) + o)));
        for (const i of ranges[0])
          for (const j of ranges[1])
            for (const k of ranges[2]) {
              const idx = [i, j, k];
              let w = 1;
              for (let a = 0; a < 3; a++) if (up[a] > 1) w *= keys(pos[a] - idx[a]);
              if (w === 0) continue;
              const c = idx.map((q, a) => Math.min(dims[a] - 1, Math.max(0, q)));
              v += w * phi[at(c[0], c[1], c[2])];
            }
        refined[ratOf(x, y, z)] = v;
      }
  const g0 = [0, 1, 2].map((a) => (up[a] > 1 ? 1 : f[a]));
  // Trilinear value (scaled by the fine cell volume) at fine coordinates p with per-axis factors g.
  const value = (p: number[], g: number[]) => {
    let s = 0;
    for (let corner = 0; corner < 8; corner++) {
      let w = 1;
      const idx = [0, 0, 0];
      for (let a = 0; a < 3; a++) {
        const i0 = Math.floor(p[a] / g[a]),
          r = p[a] - i0 * g[a],
          hi = (corner >> a) & 1;
        w *= hi ? r : g[a] - r;
        idx[a] = i0 + hi;
      }
      if (w !== 0) s += w * refined[ratOf(idx[0], idx[1], idx[2])];
    }
    return s;
  };
  const segs: { a: number; b: number; c: number; jb: number; jc: number; lo: number; hi: number }[] = [];
  for (const [a, b, c] of [
    [0, 1, 2],
    [1, 0, 2],
    [2, 0, 1],
  ]) {
    const g = [1, 1, 1];
    g[b] = g0[b];
    g[c] = g0[c];
    for (let jb = 0; jb <= (rd[b] - 1) * g0[b]; jb++)
      for (let jc = 0; jc <= (rd[c] - 1) * g0[c]; jc++) {
        const p = [0, 0, 0];
        p[b] = jb;
        p[c] = jc;
        for (let q = 0; q < rd[a]; q++) {
          p[a] = q;
          const A = value(p, g);
          if (A <= 0) segs.push({ a, b, c, jb, jc, lo: q, hi: q });
          if (q + 1 === rd[a]) continue;
          p[a] = q + 1;
          const B = value(p, g);
          if (A <= 0 && B <= 0) segs.push({ a, b, c, jb, jc, lo: q, hi: q + 1 });
          else if (A <= 0 || B <= 0) {
            const cross = q + A / (A - B);
            segs.push({ a, b, c, jb, jc, lo: A <= 0 ? q : cross, hi: A <= 0 ? cross : q + 1 });
          }
        }
      }
  }
  // Refined-grid step per axis: along a line's own axis 1 knot = sp/up; across, 1 fine step = sp/(up * g0).
  const out = new Float64Array(n).fill(Infinity);
  for (let z = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++) {
        const X = [x * up[0], y * up[1], z * up[2]],
          i = at(x, y, z);
        if (refined[ratOf(X[0], X[1], X[2])] <= 0) {
          out[i] = 0;
          continue;
        }
        for (const s of segs) {
          const da = Math.max(s.lo - X[s.a], 0, X[s.a] - s.hi) * (sp[s.a] / up[s.a]);
          const db = (X[s.b] * g0[s.b] - s.jb) * (sp[s.b] / (up[s.b] * g0[s.b]));
          const dc = (X[s.c] * g0[s.c] - s.jc) * (sp[s.c] / (up[s.c] * g0[s.c]));
          out[i] = Math.min(out[i], da * da + db * db + dc * dc);
        }
      }
  return out;
}

describe("peritumoralShell measureFrom surface", () => {
  it("equals the direct (slow) definition on small random masks (anisotropic voxels, several fine steps)", () => {
    let s = 424242;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    let compared = 0,
      maxRel = 0,
      shellVoxels = 0,
      cubicTrials = 0;
    for (let trial = 0; trial < 6; trial++) {
      const dims: Vec3 = [9, 8, 6];
      const sp: Vec3 = [0.4 + rnd(), 0.4 + rnd(), 1 + 2 * rnd()];
      const tumour = makeVolume(new Uint8Array(9 * 8 * 6), { dims, spacing: sp }) as Mask;
      for (let k = 2; k < 4; k++)
        for (let j = 2; j < 6; j++) for (let x = 3; x < 6; x++) if (rnd() < 0.6) tumour.data[x + 9 * (j + 8 * k)] = 1;
      tumour.data[4 + 9 * (3 + 8 * 3)] = 1;
      const step = [0.3, 0.5, 1][trial % 3];
      const f = surfaceFactors(sp, step);
      if (sp[2] > 2 * Math.min(sp[0], sp[1]) && f[2] > 1) cubicTrials++;
      // Margin large enough that the crop is the whole grid, so the distance field is comparable voxel for voxel.
      const margin = 30;
      const smoothing = trial % 2 === 0;
      const want = bruteSurfaceD2(tumour, f, smoothing);
      const phi = signedCentreDistance(tumour.data, dims, sp);
      const gotD2 = surfaceSquaredDistance(smoothing ? smoothSignedDistance(phi, dims, sp) : phi, dims, sp, step);
      for (let i = 0; i < want.length; i++) {
        if (want[i] === 0) expect(gotD2[i]).toBe(0);
        else maxRel = Math.max(maxRel, Math.abs(gotD2[i] - want[i]) / want[i]);
      }
      // Shells for several margins against the brute-force distances.
      for (const m of [0.7 + rnd(), 1.5 + 2 * rnd(), 4 + 3 * rnd(), margin]) {
        const got = peritumoralShell(tumour, m, {
          measureFrom: "surface",
          surfaceStepMm: step,
          surfaceSmoothing: smoothing,
        }).data;
        for (let i = 0; i < got.length; i++) {
          const inShell = !tumour.data[i] && want[i] > 0 && want[i] <= m * m;
          expect(got[i]).toBe(inShell ? 1 : 0);
          if (inShell) shellVoxels++;
        }
        compared += got.length;
      }
    }
    expect(maxRel).toBeLessThan(1e-9);
    expect(compared).toBeGreaterThan(10000);
    expect(shellVoxels).toBeGreaterThan(1000);
    expect(cubicTrials).toBeGreaterThanOrEqual(2); // the slice-axis cubic resampling is exercised
  });

  it("a 1D tumour without smoothing: the surface is at the midpoints between inside and outside centres", () => {
    const t = makeVolume(new Uint8Array(11), { dims: [11, 1, 1], spacing: [0.5, 1, 1] }) as Mask;
    t.data[5] = 1;
    t.data[6] = 1;
    // Surface at x = 4.5 and 6.5 (index units): distances 0.5 * (0.5, 1.5, 2.5, ...) mm.
    const plain = { measureFrom: "surface", surfaceSmoothing: false } as const;
    expect(Array.from(peritumoralShell(t, 0.75, plain).data)).toEqual([0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]);
    expect(Array.from(peritumoralShell(t, 0.74, plain).data)).toEqual([0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0]);
    expect(() => peritumoralShell(t, 1, { measureFrom: "surface", surfaceStepMm: 0 })).toThrow(
      expect.objectContaining({ code: "SETTINGS_INVALID" }),
    );
    expect(() => peritumoralShell(t, 1, { measureFrom: "middle" as "surface" })).toThrow(
      expect.objectContaining({ code: "SETTINGS_INVALID" }),
    );
  });

  it("cubic resampling along the slice axis keeps the knots and reproduces a quadratic field", () => {
    const dims: Vec3 = [2, 1, 7];
    const phi = new Float64Array(14);
    for (let k = 0; k < 7; k++) for (let x = 0; x < 2; x++) phi[x + 2 * k] = 0.5 * (k - 3) ** 2 - 2 + x;
    const up = upsampleCubic(phi, dims, 2, 4);
    expect(up.dims).toEqual([2, 1, 25]);
    for (let K = 0; K < 25; K++)
      for (let x = 0; x < 2; x++) {
        const z = K / 4,
          v = up.data[x + 2 * K];
        if (K % 4 === 0) expect(v).toBe(phi[x + 2 * z]);
        // Clamped edges: exact only where all four taps are inside the grid.
        else if (z > 1 && z < 5) expect(v).toBeCloseTo(0.5 * (z - 3) ** 2 - 2 + x, 12);
      }
  });

  // Issue 3: within 2 % on every case. Spheres at the same sub-voxel offset for every size (the held-out check below
  // varies it).
  const spacings: Vec3[] = [
    [0.7, 0.7, 2],
    [0.5, 0.8, 1.5],
    [1, 1, 3],
    [1, 1, 1],
  ];
  for (const sp of spacings) {
    it(`digitised spheres r 8-15 mm, margins 3-10 mm, spacing ${sp.join("x")}: volume vs 4/3 pi ((r+m)^3 - r^3), no overlap`, () => {
      const rows: string[] = [];
      for (const r of [8, 10, 12, 15])
        for (const m of [3, 5, 10]) {
          const dims = sp.map((s) => Math.ceil((2 * (r + m) + 10) / s)) as Vec3;
          const c = dims.map((n, a) => (n * sp[a]) / 2 + 0.31 * sp[a]) as Vec3;
          const tumour = sphere(dims, sp, c, r);
          const want = (4 / 3) * Math.PI * ((r + m) ** 3 - r ** 3);
          const vox = sp[0] * sp[1] * sp[2];
          const rel: Record<string, number> = {};
          for (const mode of ["centres", "surface", "faces"] as const) {
            const shell = peritumoralShell(tumour, m, { measureFrom: mode });
            let overlap = 0;
            for (let i = 0; i < tumour.data.length; i++) if (tumour.data[i] && shell.data[i]) overlap++;
            expect(overlap).toBe(0);
            rel[mode] = (count(shell) * vox - want) / want;
          }
          const unsmoothed = peritumoralShell(tumour, m, { measureFrom: "surface", surfaceSmoothing: false });
          rel.plain = (count(unsmoothed) * vox - want) / want;
          const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
          rows.push(
            `r=${r} m=${m}: surface ${pct(rel.surface)} (unsmoothed ${pct(rel.plain)}, centres ${pct(rel.centres)}, faces ${pct(rel.faces)})`,
          );
          expect(rel.surface).toBeGreaterThan(rel.centres);
          expect(rel.surface).toBeLessThan(rel.faces);
          expect(Math.abs(rel.surface)).toBeLessThan(0.02);
        }
      console.log(`shell surface mode, spacing ${sp.join("x")}:\n  ${rows.join("\n  ")}`);
    });
  }

  // Held-out (not used to design the estimator): other radii, margins and spacings, seeded random sub-voxel centres.
  // Also counted: the exact digitisation of the true shell (centres with r < |p - c| <= r + m), whose own error is
  // the lattice's share. Not every case is within 2 % (see peritumoral.ts): the envelope below is the measured one,
  // asserted so that a change widening it fails; the report is the logged table.
  const heldOut: { sp: Vec3; envelope: [number, number] }[] = [
    { sp: [0.6, 0.6, 1.5], envelope: [-0.035, 0.03] }, // measured -2.88 % .. +2.18 %, 11 of 16 within 2 %
    { sp: [0.8, 0.8, 2.5], envelope: [-0.08, 0.07] }, // -7.51 % .. +6.50 %, 10 of 16
    { sp: [1, 1, 3], envelope: [-0.03, 0.05] }, // -2.25 % .. +4.31 %, 13 of 16
    { sp: [1, 1, 1], envelope: [-0.01, 0.035] }, // -0.36 % .. +3.07 %, 12 of 16
  ];
  for (const { sp, envelope } of heldOut) {
    it(`held-out spheres r 6-15 mm, margins 2-10 mm, random centres, spacing ${sp.join("x")}: no overlap, measured errors`, () => {
      let seed = 20261127;
      const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
      const rows: string[] = [];
      let lo = Infinity,
        hi = -Infinity;
      for (const r of [6, 7.5, 12, 15])
        for (const m of [2, 3.5, 6, 10]) {
          const off = [rnd(), rnd(), rnd()];
          const dims = sp.map((s) => Math.ceil((2 * (r + m) + 10) / s)) as Vec3;
          const c = dims.map((n, a) => (n * sp[a]) / 2 + off[a] * sp[a]) as Vec3;
          const tumour = sphere(dims, sp, c, r);
          const outer = sphere(dims, sp, c, r + m);
          const want = (4 / 3) * Math.PI * ((r + m) ** 3 - r ** 3);
          const vox = sp[0] * sp[1] * sp[2];
          const rel: Record<string, number> = { lattice: ((count(outer) - count(tumour)) * vox - want) / want };
          for (const mode of ["centres", "surface", "faces"] as const) {
            const shell = peritumoralShell(tumour, m, { measureFrom: mode });
            for (let i = 0; i < tumour.data.length; i++)
              if (tumour.data[i] && shell.data[i]) throw new Error(`${mode} shell overlaps tumour`);
            rel[mode] = (count(shell) * vox - want) / want;
          }
          expect(rel.surface).toBeGreaterThan(rel.centres);
          expect(rel.surface).toBeLessThan(rel.faces);
          lo = Math.min(lo, rel.surface);
          hi = Math.max(hi, rel.surface);
          const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
          rows.push(
            `r=${r} m=${m}: surface ${pct(rel.surface)} (exact digitisation ${pct(rel.lattice)}, centres ${pct(rel.centres)}, faces ${pct(rel.faces)})`,
          );
        }
      console.log(
        `held-out shell surface mode, spacing ${sp.join("x")}: worst ${(lo * 100).toFixed(2)}% .. ${(hi * 100).toFixed(2)}%\n  ${rows.join("\n  ")}`,
      );
      expect(lo).toBeGreaterThan(envelope[0]);
      expect(hi).toBeLessThan(envelope[1]);
    });
  }
});

// "surface-volume-matched" (surface-volume-matched.ts: area-corrected sections between and beyond thick slices, a
// one-voxel binomial smoothing, then the level whose volume equals the tumour's voxel volume). Issue 3 asks for 2 %.
// Met on the 48-sphere grid and the 1x1x1 / 0.6x0.6x1.5 held-out spheres; on 2.5-3 mm slices a few spheres of r <= 7.5
// mm (4-6 slices) miss it: the envelopes below are the measured ones, so that a change widening them fails, and the
// logged table (with the exact digitisation of the true shell, the lattice's own share) is the report. The held-out
// parameters and seed 20261127 are those of the "surface" held-out test above; seed 777 was fixed before any result.
describe("peritumoralShell measureFrom surface-volume-matched", () => {
  const modes = ["surface", "surface-volume-matched"] as const;
  type Row = Record<(typeof modes)[number] | "lattice", number>;
  function measure(sp: Vec3, r: number, m: number, off: number[]): Row {
    const dims = sp.map((s) => Math.ceil((2 * (r + m) + 10) / s)) as Vec3;
    const c = dims.map((n, a) => (n * sp[a]) / 2 + off[a] * sp[a]) as Vec3;
    const tumour = sphere(dims, sp, c, r);
    const outer = sphere(dims, sp, c, r + m);
    const want = (4 / 3) * Math.PI * ((r + m) ** 3 - r ** 3);
    const vox = sp[0] * sp[1] * sp[2];
    const row = { lattice: ((count(outer) - count(tumour)) * vox - want) / want } as Row;
    for (const mode of modes) {
      const shell = peritumoralShell(tumour, m, { measureFrom: mode });
      for (let i = 0; i < tumour.data.length; i++)
        if (tumour.data[i] && shell.data[i]) throw new Error(`${mode} shell overlaps tumour`);
      row[mode] = (count(shell) * vox - want) / want;
    }
    return row;
  }
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  function report(title: string, rows: { label: string; row: Row }[]): Record<string, [number, number, number]> {
    const stats: Record<string, [number, number, number]> = {};
    for (const mode of modes) {
      const v = rows.map((x) => x.row[mode]);
      stats[mode] = [Math.min(...v), Math.max(...v), v.filter((x) => Math.abs(x) < 0.02).length];
    }
    const head = modes
      .map((mo) => `${mo} ${pct(stats[mo][0])}..${pct(stats[mo][1])} (${stats[mo][2]}/${rows.length} within 2%)`)
      .join("; ");
    const lines = rows.map(
      ({ label, row }) =>
        `${label}: ${modes.map((mo) => `${mo} ${pct(row[mo])}`).join(", ")} (exact digitisation ${pct(row.lattice)})${Math.abs(row["surface-volume-matched"]) >= 0.02 ? " *" : ""}`,
    );
    console.log(`${title}: ${head}\n  ${lines.join("\n  ")}`);
    return stats;
  }
  // Asserted error envelope [lo, hi] per set: 2 % where every case meets it, else the measured one (in the comment).
  const within2: [number, number] = [-0.02, 0.02];
  const sets: { name: string; sp: Vec3; seed: number | null; envelope: [number, number] }[] = [
    { name: "grid", sp: [0.7, 0.7, 2], seed: null, envelope: within2 },
    { name: "grid", sp: [0.5, 0.8, 1.5], seed: null, envelope: within2 },
    { name: "grid", sp: [1, 1, 3], seed: null, envelope: within2 },
    { name: "grid", sp: [1, 1, 1], seed: null, envelope: within2 },
    { name: "held-out seed 20261127", sp: [0.6, 0.6, 1.5], seed: 20261127, envelope: within2 },
    { name: "held-out seed 20261127", sp: [0.8, 0.8, 2.5], seed: 20261127, envelope: [-0.027, 0.02] }, // -2.45 % .. +1.40 %, 15 of 16
    { name: "held-out seed 20261127", sp: [1, 1, 3], seed: 20261127, envelope: [-0.02, 0.046] }, // -1.49 % .. +4.30 %, 14 of 16
    { name: "held-out seed 20261127", sp: [1, 1, 1], seed: 20261127, envelope: within2 },
    { name: "held-out seed 777", sp: [0.6, 0.6, 1.5], seed: 777, envelope: within2 },
    { name: "held-out seed 777", sp: [0.8, 0.8, 2.5], seed: 777, envelope: [-0.031, 0.02] }, // -2.79 % .. +1.04 %, 15 of 16
    { name: "held-out seed 777", sp: [1, 1, 3], seed: 777, envelope: [-0.025, 0.03] }, // -2.24 % .. +2.73 %, 14 of 16
    { name: "held-out seed 777", sp: [1, 1, 1], seed: 777, envelope: within2 },
  ];
  for (const set of sets) {
    it(`${set.name}, spacing ${set.sp.join("x")}: no overlap, errors within the measured envelope`, () => {
      let seed = set.seed ?? 0;
      const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
      const rows: { label: string; row: Row }[] = [];
      const rs = set.seed === null ? [8, 10, 12, 15] : [6, 7.5, 12, 15];
      const ms = set.seed === null ? [3, 5, 10] : [2, 3.5, 6, 10];
      for (const r of rs)
        for (const m of ms) {
          const off = set.seed === null ? [0.31, 0.31, 0.31] : [rnd(), rnd(), rnd()];
          rows.push({ label: `r=${r} m=${m}`, row: measure(set.sp, r, m, off) });
        }
      const st = report(`shell ${set.name}, spacing ${set.sp.join("x")}`, rows);
      expect(st["surface-volume-matched"][0]).toBeGreaterThan(set.envelope[0]);
      expect(st["surface-volume-matched"][1]).toBeLessThan(set.envelope[1]);
      // The misses are confined to small spheres (r <= 7.5 mm, 4-6 slices) on 2.5-3 mm slices.
      for (const { label, row } of rows) {
        if (Math.abs(row["surface-volume-matched"]) >= 0.02)
          expect(`${label} ${set.sp[2]}`).toMatch(/^r=(6|7\.5) m=\S+ (2\.5|3)$/);
      }
    });
  }

  it("does not depend on the crop: equals the distance computed on the whole grid (random blobs, thick and isotropic voxels)", () => {
    let s = 97531;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    let shellVoxels = 0;
    for (let trial = 0; trial < 4; trial++) {
      const dims: Vec3 = [30, 28, 22];
      const sp: Vec3 = trial % 2 ? [0.8, 0.8, 2.5] : [1, 1, 1];
      const tumour = makeVolume(new Uint8Array(30 * 28 * 22), { dims, spacing: sp }) as Mask;
      // Union of random balls, so sections change shape and area from slice to slice.
      const balls = Array.from({ length: 4 }, () => [12 + 6 * rnd(), 11 + 6 * rnd(), 8 + 5 * rnd(), 2 + 3 * rnd()]);
      for (let k = 0, i = 0; k < 22; k++)
        for (let j = 0; j < 28; j++)
          for (let x = 0; x < 30; x++, i++) {
            if (
              balls.some(
                ([bx, by, bz, br]) => Math.hypot((x - bx) * sp[0], (j - by) * sp[1], (k - bz) * sp[2]) <= br * 1.6,
              )
            )
              tumour.data[i] = 1;
          }
      const m = 1 + 3 * rnd();
      const d2 = volumeMatchedSurfaceDistance(tumour.data, dims, sp, 0.5).d2;
      const got = peritumoralShell(tumour, m, { measureFrom: "surface-volume-matched" }).data;
      for (let i = 0; i < got.length; i++) {
        const want = !tumour.data[i] && d2[i] > 0 && d2[i] <= m * m * (1 + 1e-12) ? 1 : 0;
        if (got[i] !== want)
          expect(`voxel ${i}: ${got[i]}, d = ${Math.sqrt(d2[i])}, margin ${m}`).toBe(`voxel ${i}: ${want}`);
        if (want) shellVoxels++;
      }
    }
    expect(shellVoxels).toBeGreaterThan(2000);
  });

  // Not only spheres: ellipsoids, some tilted about x (sections then drift, which the end caps do not model), against
  // Steiner's formula V(E + mB) - V(E) = S m + M m^2 + 4/3 pi m^3 (S the surface area, M the integrated mean
  // curvature; both as means over directions u: S = 4 pi abc <|diag(1/a, 1/b, 1/c) u|>, M = 4 pi <h(u)>, h the support
  // function). Measured: seed 11 "surface" mean |error| 1.90 % (worst -6.58 %), "surface-volume-matched" 0.52 % (worst
  // +2.33 %); seed 4242 (fixed before any result) 1.86 % (+4.92 %) and 0.82 % (-2.05 %). Exact digitisation 0.39-0.48 %.
  function distanceOutside(p: number[], e: number[]): number {
    // Nearest point x = (e_i^2 p_i / (t + e_i^2)) with sum (e_i p_i / (t + e_i^2))^2 = 1, t > 0 for p outside.
    const f = (t: number) => e.reduce((acc, a, i) => acc + ((a * p[i]) / (t + a * a)) ** 2, 0) - 1;
    let lo = 0,
      hi = 1;
    while (f(hi) > 0) hi *= 2;
    for (let i = 0; i < 80; i++) {
      const mid = (lo + hi) / 2;
      if (f(mid) > 0) lo = mid;
      else hi = mid;
    }
    const t = (lo + hi) / 2;
    return Math.hypot(...p.map((v, i) => v - (e[i] * e[i] * v) / (t + e[i] * e[i])));
  }
  for (const seed0 of [11, 4242]) {
    it(`ellipsoids (seed ${seed0}): closer to Steiner's shell volume than "surface", no overlap`, () => {
      let seed = seed0;
      const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
      const rows: string[] = [];
      const err: Record<string, number[]> = { surface: [], "surface-volume-matched": [], lattice: [] };
      for (const sp of [
        [0.8, 0.8, 2.5],
        [1, 1, 3],
        [0.7, 0.7, 2],
        [1, 1, 1],
      ] as Vec3[])
        for (let rep = 0; rep < 4; rep++) {
          const e = [6 + 10 * rnd(), 6 + 10 * rnd(), 5 + 8 * rnd()];
          const tilt = rep % 2 ? 0.5 * rnd() : 0;
          const m = [2, 3.5, 5, 8][rep];
          const dims = sp.map((x) => Math.ceil((2 * (Math.max(...e) + m) + 10) / x)) as Vec3;
          const c = dims.map((n, a) => (n * sp[a]) / 2 + rnd() * sp[a]);
          const [cs, sn] = [Math.cos(tilt), Math.sin(tilt)];
          const n = dims[0] * dims[1] * dims[2];
          const tumour = makeVolume(new Uint8Array(n), { dims, spacing: sp }) as Mask;
          let exact = 0;
          for (let k = 0, i = 0; k < dims[2]; k++)
            for (let j = 0; j < dims[1]; j++)
              for (let x = 0; x < dims[0]; x++, i++) {
                const Y = j * sp[1] - c[1],
                  Z = k * sp[2] - c[2];
                const p = [x * sp[0] - c[0], cs * Y + sn * Z, -sn * Y + cs * Z];
                const q = p.reduce((acc, v, a) => acc + (v / e[a]) ** 2, 0);
                if (q <= 1) tumour.data[i] = 1;
                else if (Math.sqrt(q) * Math.min(...e) <= Math.max(...e) + m + 1 && distanceOutside(p, e) <= m) exact++;
              }
          let sh = 0,
            sa = 0;
          const N = 20000;
          for (let i = 0; i < N; i++) {
            const z = 1 - (2 * i + 1) / N,
              rr = Math.sqrt(1 - z * z),
              ph = i * Math.PI * (3 - Math.sqrt(5));
            const u = [rr * Math.cos(ph), rr * Math.sin(ph), z];
            sh += Math.hypot(...u.map((v, a) => e[a] * v));
            sa += Math.hypot(...u.map((v, a) => v / e[a]));
          }
          const want =
            4 * Math.PI * e[0] * e[1] * e[2] * (sa / N) * m +
            4 * Math.PI * (sh / N) * m * m +
            (4 / 3) * Math.PI * m ** 3;
          const vox = sp[0] * sp[1] * sp[2];
          const rel: Record<string, number> = { lattice: (exact * vox) / want - 1 };
          for (const mode of ["surface", "surface-volume-matched"] as const) {
            const shell = peritumoralShell(tumour, m, { measureFrom: mode });
            for (let i = 0; i < n; i++)
              if (tumour.data[i] && shell.data[i]) throw new Error(`${mode} shell overlaps tumour`);
            rel[mode] = (count(shell) * vox) / want - 1;
          }
          for (const k of Object.keys(err)) err[k].push(rel[k]);
          const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
          rows.push(
            `${sp.join("x")} semi-axes ${e.map((x) => x.toFixed(1)).join(", ")} tilt ${tilt.toFixed(2)} m=${m}: surface ${pct(rel.surface)}, surface-volume-matched ${pct(rel["surface-volume-matched"])} (exact digitisation ${pct(rel.lattice)})`,
          );
        }
      const meanAbs = (v: number[]) => v.reduce((acc, x) => acc + Math.abs(x), 0) / v.length;
      const worst = (v: number[]) => v.reduce((acc, x) => (Math.abs(x) > Math.abs(acc) ? x : acc), 0);
      console.log(
        `ellipsoids seed ${seed0}: mean |error| surface ${(meanAbs(err.surface) * 100).toFixed(2)}% (worst ${(worst(err.surface) * 100).toFixed(2)}%), surface-volume-matched ${(meanAbs(err["surface-volume-matched"]) * 100).toFixed(2)}% (worst ${(worst(err["surface-volume-matched"]) * 100).toFixed(2)}%), exact digitisation ${(meanAbs(err.lattice) * 100).toFixed(2)}%\n  ${rows.join("\n  ")}`,
      );
      expect(meanAbs(err["surface-volume-matched"])).toBeLessThan(meanAbs(err.surface));
      expect(meanAbs(err["surface-volume-matched"])).toBeLessThan(0.01);
      expect(Math.abs(worst(err["surface-volume-matched"]))).toBeLessThan(0.03);
    });
  }

  it("odd shapes: one voxel, one or two slices, a flat-ended cylinder, two foci, a tumour on the grid's edge slice", () => {
    const dims: Vec3 = [24, 22, 12];
    const shapes: { name: string; sp: Vec3; inside: (x: number, y: number, z: number) => boolean }[] = [
      { name: "one voxel", sp: [0.8, 0.8, 2.5], inside: (x, y, z) => x === 11 && y === 10 && z === 5 },
      { name: "one slice", sp: [0.8, 0.8, 2.5], inside: (x, y, z) => z === 5 && Math.hypot(x - 11, y - 10) <= 5 },
      {
        name: "two slices",
        sp: [1, 1, 3],
        inside: (x, y, z) => (z === 5 || z === 6) && Math.hypot(x - 11, y - 10) <= 5,
      },
      {
        name: "cylinder",
        sp: [0.7, 0.7, 2],
        inside: (x, y, z) => z >= 3 && z <= 8 && Math.hypot(x - 11.3, y - 10.6) <= 6,
      },
      {
        name: "two foci",
        sp: [0.8, 0.8, 2.5],
        inside: (x, y, z) =>
          Math.hypot(x - 6, y - 10, (z - 5) * 3) <= 4 || Math.hypot(x - 17, y - 11, (z - 6) * 3) <= 4,
      },
      { name: "edge slice", sp: [1, 1, 3], inside: (x, y, z) => Math.hypot(x - 11, y - 10, z * 3) <= 7 },
      { name: "isotropic blob", sp: [1, 1, 1], inside: (x, y, z) => Math.hypot(x - 11, y - 10, (z - 6) * 2) <= 5 },
    ];
    for (const { name, sp, inside } of shapes) {
      const tumour = makeVolume(new Uint8Array(dims[0] * dims[1] * dims[2]), { dims, spacing: sp }) as Mask;
      for (let z = 0, i = 0; z < dims[2]; z++)
        for (let y = 0; y < dims[1]; y++)
          for (let x = 0; x < dims[0]; x++, i++) if (inside(x, y, z)) tumour.data[i] = 1;
      const m = 3;
      const shell = peritumoralShell(tumour, m, { measureFrom: "surface-volume-matched" });
      // The estimated surface stays within one voxel spacing of the tumour centres (a cap reaches at most one slice out).
      const bound = peritumoralShell(tumour, m + Math.max(...sp), { measureFrom: "centres" });
      let n = 0;
      for (let i = 0; i < shell.data.length; i++) {
        if (!shell.data[i]) continue;
        n++;
        if (tumour.data[i]) throw new Error(`${name}: shell overlaps tumour at ${i}`);
        if (!bound.data[i])
          throw new Error(`${name}: shell voxel ${i} is farther than margin + spacing from the tumour`);
      }
      expect(n, name).toBeGreaterThan(0);
    }
  });
});
