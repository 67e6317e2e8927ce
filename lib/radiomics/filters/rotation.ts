/**
 * Rotation invariance of separable filters (IBSI 2): the filter is applied in every right-handed orientation of the
 * voxel grid (24 in 3D, 4 in 2D: axis permutations and flips) and the responses are pooled. Orientations that give the
 * same kernels (equal or symmetric 1D kernels) are computed once, so average pooling weights distinct filters equally,
 * as the IBSI 2 reference implementation (MIRP) does.
 */

/** The 24 right-handed orientations as [kernel on i, on j, on k]; "x" = the i kernel, "-x" = it reversed. */
const ORIENTATIONS_3D = [
  ["x", "y", "z"],
  ["-z", "y", "x"],
  ["-x", "y", "-z"],
  ["z", "y", "-x"],
  ["y", "z", "x"],
  ["y", "-z", "-x"],
  ["y", "-x", "z"],
  ["-x", "-y", "z"],
  ["-y", "x", "z"],
  ["-z", "-x", "y"],
  ["-z", "-y", "-x"],
  ["-z", "x", "-y"],
  ["-y", "-x", "-z"],
  ["x", "-y", "-z"],
  ["y", "x", "-z"],
  ["z", "-x", "-y"],
  ["z", "-y", "x"],
  ["z", "x", "y"],
  ["-x", "z", "y"],
  ["-y", "z", "-x"],
  ["x", "z", "-y"],
  ["-x", "-z", "-y"],
  ["-y", "-z", "x"],
  ["x", "-z", "y"],
] as const;
const ORIENTATIONS_2D = [
  ["x", "y"],
  ["-y", "x"],
  ["-x", "-y"],
  ["y", "-x"],
] as const;

type Sym = string;

function equal(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function reversed(a: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[a.length - 1 - i];
  return out;
}

/** Symbols naming distinct kernels: equal kernels share a symbol, a symmetric kernel is its own reverse. */
function symbols(k: ArrayLike<number>[]): Record<string, Sym> {
  const s: Record<string, Sym> = { x: "gx", y: "gy", z: "gz", "-x": "jgx", "-y": "jgy", "-z": "jgz" };
  if (equal(k[0], k[1])) {
    s.y = s.x;
    s["-y"] = s["-x"];
  }
  if (k.length === 3 && equal(k[0], k[2])) {
    s.z = s.x;
    s["-z"] = s["-x"];
  }
  if (k.length === 3 && equal(k[1], k[2])) {
    s.z = s.y;
    s["-z"] = s["-y"];
  }
  if (equal(k[0], reversed(k[0]))) s["-x"] = s.x;
  if (equal(k[1], reversed(k[1]))) s["-y"] = s.y;
  if (k.length === 3 && equal(k[2], reversed(k[2]))) s["-z"] = s.z;
  return s;
}

function resolve(sym: Sym, k: ArrayLike<number>[]): Float64Array {
  const axis = { x: 0, y: 1, z: 2 }[sym.slice(-1) as "x" | "y" | "z"];
  return sym.startsWith("j") ? reversed(k[axis]) : Float64Array.from(k[axis]);
}

export interface OrientedKernels {
  kernels: Float64Array[];
  /** Pre-filter kernels (wavelet decomposition), oriented with the same rotation. */
  pre: Float64Array[] | null;
}

/**
 * The distinct orientations of a separable filter (kernels per axis, i first) and optional pre-filters. Without
 * rotation invariance, the filter as given.
 */
export function orientations(
  kernels: ArrayLike<number>[],
  pre: ArrayLike<number>[] | null,
  rotationInvariant: boolean,
): OrientedKernels[] {
  if (!rotationInvariant)
    return [
      { kernels: kernels.map((k) => Float64Array.from(k)), pre: pre ? pre.map((k) => Float64Array.from(k)) : null },
    ];
  const table = kernels.length === 3 ? ORIENTATIONS_3D : ORIENTATIONS_2D;
  const s = symbols(kernels);
  const sp = pre ? symbols(pre) : null;
  const seen = new Set<string>();
  const out: OrientedKernels[] = [];
  for (const row of table) {
    const syms = row.map((r) => s[r]);
    const psyms = sp ? row.map((r) => sp[r]) : [];
    const key = [...psyms, ...syms].join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kernels: syms.map((x) => resolve(x, kernels)), pre: pre ? psyms.map((x) => resolve(x, pre)) : null });
  }
  return out;
}
