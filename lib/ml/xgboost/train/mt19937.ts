/**
 * std::mt19937 and the libstdc++ (GCC 12) distributions XGBoost 1.7's tree updaters draw from, so row subsampling
 * and column sampling reproduce XGBoost's choices for the same `seed`: bernoulli_distribution (generate_canonical
 * with two 32-bit draws), uniform_int_distribution (Lemire's nearly-divisionless reduction) and std::shuffle
 * (two swap positions per draw).
 */
export class MT19937 {
  private readonly mt = new Uint32Array(624);
  private idx = 624;

  constructor(seed = 5489) {
    this.seed(seed);
  }

  /** std::mersenne_twister_engine::seed: the value is taken modulo 2^32. */
  seed(s: number): void {
    const mt = this.mt;
    mt[0] = Number(BigInt.asUintN(32, BigInt(Math.trunc(s))));
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.idx = 624;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      mt[i] = mt[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.idx = 0;
  }

  nextU32(): number {
    if (this.idx >= 624) this.twist();
    let y = this.mt[this.idx++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

/** std::generate_canonical<double, 53>: two draws, first in the low word. */
export function generateCanonical(g: MT19937): number {
  const a = g.nextU32();
  const b = g.nextU32();
  const r = (a + b * 4294967296) / 18446744073709551616;
  return r >= 1 ? 1 - 2 ** -53 : r;
}

/** std::bernoulli_distribution(p)(g). */
export function bernoulli(g: MT19937, p: number): boolean {
  return generateCanonical(g) < p;
}

/** Uniform integer in [0, range) as libstdc++'s uniform_int_distribution with a 32-bit engine (range <= 2^32). */
export function uniformBelow(g: MT19937, range: number): number {
  const R = BigInt(range);
  let product = BigInt(g.nextU32()) * R;
  let low = product & 0xffffffffn;
  if (low < R) {
    const threshold = (0x100000000n - R) % R;
    while (low < threshold) {
      product = BigInt(g.nextU32()) * R;
      low = product & 0xffffffffn;
    }
  }
  return Number(product >> 32n);
}

/** std::shuffle (libstdc++ >= 10 two-positions-per-draw variant, valid while n * n <= 2^32 - 1). */
export function shuffle(a: Int32Array | number[], g: MT19937): void {
  const n = a.length;
  if (n < 2) return;
  const swap = (i: number, j: number) => {
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  };
  if (Math.floor(4294967295 / n) < n) {
    // Large arrays: one uniform draw per position.
    for (let i = 1; i < n; i++) swap(i, uniformBelow(g, i + 1));
    return;
  }
  let i = 1;
  if (n % 2 === 0) {
    swap(i, uniformBelow(g, 2));
    i++;
  }
  while (i !== n) {
    const b0 = i + 1;
    const b1 = b0 + 1;
    const x = uniformBelow(g, b0 * b1);
    swap(i++, Math.floor(x / b1));
    swap(i++, x % b1);
  }
}

/**
 * XGBoost's hist row sampling (common::RandomReplace; its per-thread skip-ahead makes the stream independent of the
 * thread count): std::linear_congruential_engine<uint64, 16807, 0, 2^63> seeded with `seed`, one generate_canonical
 * draw per row ((x - 1) / 2^63 as double), row kept when < p.
 */
export function randomReplaceFlips(seed: number, p: number, out: Uint8Array): void {
  const M = 1n << 63n;
  let x = BigInt(seed) % M;
  if (x === 0n) x = 1n;
  for (let i = 0; i < out.length; i++) {
    x = (x * 16807n) % M;
    out[i] = Number(x - 1n) / 9223372036854775808 < p ? 1 : 0;
  }
}
