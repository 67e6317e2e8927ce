/**
 * Fast per-voxel Gaussian noise: a fixed table of 2^16 standard normal deviates, indexed by an inline xorshift32
 * stream in the renderer. Millions of deviates per series make exact Box-Muller draws the bottleneck; reuse of table
 * entries at random positions is invisible in the images.
 */
import { Rng } from "./prng";

const SIZE = 1 << 16;
let table: Float32Array | null = null;

export function normalTable(): Float32Array {
  if (!table) {
    const rng = Rng.fromKey("nacpredict-synth/v1/normal-table");
    table = new Float32Array(SIZE);
    for (let i = 0; i < SIZE; i++) table[i] = rng.normal();
  }
  return table;
}
