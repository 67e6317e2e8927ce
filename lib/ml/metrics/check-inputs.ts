import { NacError } from "../../errors";

/** Validates a 0/1 label vector against a same-length score vector; both classes must be present. */
export function checkBinaryInputs(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  what: string,
): { nPos: number; nNeg: number } {
  if (y.length !== p.length)
    throw new NacError("DATA_INVALID", `${what}: ${y.length} labels but ${p.length} predictions`);
  let nPos = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1)
      throw new NacError("DATA_INVALID", `${what}: label at ${i} is ${y[i]}, expected 0 or 1`);
    if (!Number.isFinite(p[i])) throw new NacError("DATA_INVALID", `${what}: prediction at ${i} is not finite`);
    nPos += y[i];
  }
  const nNeg = y.length - nPos;
  if (nPos === 0 || nNeg === 0)
    throw new NacError("DATA_INVALID", `${what}: needs both classes (positives ${nPos}, negatives ${nNeg})`);
  return { nPos, nNeg };
}
