/**
 * Issue 17 acceptance on real MR (../shared/data; NAC_SHARED_DIR overrides): the deterministic click protocol
 * (click-protocol.testutil.ts: deepest voxel of the reference, then the deepest voxel of the larger error) with at
 * most three clicks through growTumourMask. The reference masks are used only by the protocol to place the clicks
 * and to score; the engine never sees them.
 *
 * The breast case (PE1 map): its fractional "Breast" SEG >= 0.5 is the analysis VOI of the functional tumour volume (a
 * box ∩ background threshold), not a tumour contour. The test pins what that reference is, derives the FTV reference by
 * the published rule (VOI ∩ PE1 >= 70 %), asserts Dice >= 0.80 against the FTV and logs the Dice against the VOI
 * itself (unreachable by a lesion tool); docs/ASSISTED_SEGMENTATION.md ("Accuracy") has the figures and the reasoning.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDicom } from "../dicom";
import { loadDicomSeries } from "../node/load-volume";
import { maskBoundingBox } from "../mask-bbox";
import { rasterizeRoi, readRtStruct } from "../rtstruct";
import { readSeg } from "../seg";
import { makeVolume, type Mask } from "../volume";
import { forEachNeighbour } from "./binary-ops";
import { runClickProtocol } from "./click-protocol.testutil";
import { growTumourMask } from "./grow-tumour-mask";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const shared = path.resolve(process.env.NAC_SHARED_DIR ?? path.join(repoRoot, "../shared"), "data");
const sts = path.join(shared, "mirp_sts/STS_002/MR_T1/dicom");
const haveSts = existsSync(path.join(sts, "mask/RS.dcm"));
if (!haveSts)
  console.warn(
    `real-case segmentation test: ${sts} is absent (set NAC_SHARED_DIR); the sarcoma Dice target is NOT checked`,
  );

const breast = path.join(shared, "breast_mri_ucsf_br_06");
const haveBreast = existsSync(path.join(breast, "mask/seg_breast_fractional.dcm"));
if (!haveBreast) console.warn(`real-case segmentation test: ${breast} is absent (set NAC_SHARED_DIR)`);

/** Size of the largest 6-connected component of a binary mask. */
function largestComponent(bin: Uint8Array, dims: Mask["dims"]): number {
  const seen = new Uint8Array(bin.length);
  let best = 0;
  for (let p0 = 0; p0 < bin.length; p0++) {
    if (!bin[p0] || seen[p0]) continue;
    const queue = [p0];
    seen[p0] = 1;
    for (let h = 0; h < queue.length; h++)
      forEachNeighbour(queue[h], dims, (q) => {
        if (bin[q] && !seen[q]) {
          seen[q] = 1;
          queue.push(q);
        }
      });
    best = Math.max(best, queue.length);
  }
  return best;
}

describe("growTumourMask on real MR (click protocol, <= 3 clicks)", () => {
  it.runIf(haveBreast)(
    "breast DCE-MRI (UCSF-BR-06) vs the FTV (SEG VOI ∩ PE1 >= 70 %): Dice >= 0.80; vs the VOI itself: logged",
    async () => {
      const [pe1] = await loadDicomSeries(path.join(breast, "image_dce_pe1"));
      const v = pe1.volume;
      // PE1 is stored in percent (no rescale): the derivation says so
      const first = parseDicom(new Uint8Array(readFileSync(path.join(breast, "image_dce_pe1/1-01.dcm"))));
      expect(first.string("00082111")).toContain("100*(Signal(post)-Signal(pre))/Signal(pre)");
      expect(first.string("00281053")).toBeUndefined();
      const seg = await readSeg(
        parseDicom(new Uint8Array(readFileSync(path.join(breast, "mask/seg_breast_fractional.dcm")))),
        { ...v, sopInstanceUids: pe1.meta.sopInstanceUids, frameOfReferenceUid: pe1.meta.frameOfReferenceUid },
        { fractionalThreshold: 0.5 },
      );
      const voi = seg.segments[0];
      expect(voi.segment.description).toBe("Background Threshold, VOI limits for fibroglandular tissue mask.");
      // The VOI is a box (the radiologist's VOI limits) less what the background threshold removed: inside its
      // bounding box, every voxel where the PE map is defined (> 0) belongs to it, and it fills 15 % of the box.
      const box = maskBoundingBox({ data: voi.mask.data, dims: v.dims })!;
      const [nx, ny] = v.dims;
      let boxVoxels = 0,
        definedOutside = 0;
      for (let z = box.lo[2]; z <= box.hi[2]; z++)
        for (let y = box.lo[1]; y <= box.hi[1]; y++)
          for (let x = box.lo[0]; x <= box.hi[0]; x++) {
            const p = x + nx * (y + ny * z);
            boxVoxels++;
            if (v.data[p] > 0 && !voi.mask.data[p]) definedOutside++;
          }
      expect(definedOutside).toBe(0);
      expect(voi.voxelCount / boxVoxels).toBeCloseTo(0.147, 3);
      // FTV (Hylton et al., ACRIN 6657): the voxels of the VOI with early percent enhancement PE1 >= 70 %
      const ftv = makeVolume(new Uint8Array(v.data.length), v) as Mask;
      for (let p = 0; p < ftv.data.length; p++) ftv.data[p] = voi.mask.data[p] && v.data[p] >= 70 ? 1 : 0;
      const ftvVoxels = ftv.data.reduce((a, b) => a + b, 0);
      expect(ftvVoxels).toBe(41_759); // 41.3 cm³, one connected lesion (94 % in the largest component)
      expect(largestComponent(ftv.data, v.dims) / ftvVoxels).toBeGreaterThan(0.94);

      const grow = (seeds: Parameters<typeof growTumourMask>[1]) => growTumourMask(v, seeds).mask;
      const againstFtv = runClickProtocol(v, ftv, grow, 3, 0.8);
      const againstVoi = runClickProtocol(v, voi.mask, grow, 3);
      console.log(
        `UCSF-BR-06 Dice per click vs FTV (VOI ∩ PE1 >= 70 %): ${againstFtv.dice.map((d) => d.toFixed(3)).join(", ")}; ` +
          `vs the VOI itself (not a tumour, see docs): ${againstVoi.dice.map((d) => d.toFixed(3)).join(", ")}`,
      );
      expect(againstFtv.dice.length).toBeLessThanOrEqual(3);
      expect(Math.max(...againstFtv.dice)).toBeGreaterThanOrEqual(0.8);
      expect(againstFtv.dice[againstFtv.dice.length - 1]).toBeGreaterThanOrEqual(0.8);
      expect(againstVoi.dice).toHaveLength(3);
    },
    120_000,
  );

  it.runIf(haveSts)(
    "soft-tissue sarcoma T1 (mirp_sts STS_002) vs its RTSTRUCT: Dice >= 0.75",
    async () => {
      const [s] = await loadDicomSeries(path.join(sts, "image"));
      const rs = readRtStruct(parseDicom(new Uint8Array(readFileSync(path.join(sts, "mask/RS.dcm")))));
      const reference = rasterizeRoi(rs.rois[0], { ...s.volume, frameOfReferenceUid: s.meta.frameOfReferenceUid });
      // The sarcoma is darker than the fat around it on T1 (the viewer's tool takes the polarity from the user).
      const run = runClickProtocol(
        s.volume,
        reference,
        (seeds) => growTumourMask(s.volume, seeds, { polarity: "dark" }).mask,
        3,
        0.75,
      );
      console.log(
        `STS_002 Dice per click: ${run.dice.map((d) => d.toFixed(3)).join(", ")}; seeds ${JSON.stringify(run.seeds)}`,
      );
      expect(run.dice.length).toBeLessThanOrEqual(3);
      expect(Math.max(...run.dice)).toBeGreaterThanOrEqual(0.75);
      expect(run.dice[run.dice.length - 1]).toBeGreaterThanOrEqual(0.75);
    },
    120_000,
  );
});
