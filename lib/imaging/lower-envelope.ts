/**
 * The Felzenszwalb–Huttenlocher lower envelope of parabolas, shared by the Euclidean distance transform
 * (distance-transform.ts) and the sub-voxel surface distance (surface-distance.ts): parabola q is
 * ((x - c_q)^2 + f[q]) with centre c_q = (q + shift) h, for the finite f[q], q < n (Infinity parabolas never contribute).
 * Callers evaluate the envelope at their own sample points: between z[j] and z[j + 1] it is parabola v[j].
 */

/**
 * Builds the envelope into v (parabola indices) and z (their boundaries; z needs n + 1 slots). Returns the index of
 * the last parabola in it, -1 when every f[q] is Infinity.
 */
export function lowerEnvelope(
  f: Float64Array,
  n: number,
  h: number,
  shift: number,
  v: Int32Array,
  z: Float64Array,
): number {
  let k = -1;
  for (let q = 0; q < n; q++) {
    if (f[q] === Infinity) continue;
    const pq = (q + shift) * h;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    let sInt = 0;
    while (k >= 0) {
      const pr = (v[k] + shift) * h;
      sInt = (f[q] + pq * pq - (f[v[k]] + pr * pr)) / (2 * (pq - pr));
      if (sInt <= z[k]) k--;
      else break;
    }
    k++;
    v[k] = q;
    z[k] = k === 0 ? -Infinity : sInt;
    z[k + 1] = Infinity;
  }
  return k;
}
