/**
 * Issue 17 acceptance on real MR (../shared/data; NAC_SHARED_DIR overrides): the deterministic click protocol
 * (click-protocol.testutil.ts: deepest voxel of the reference, then the deepest voxel of the larger error) with at
 * most three clicks through growTumourMask. The reference masks are used only by the protocol to place the clicks
 * and to score; the engine never sees them.
 *
 * The breast case (PE1 map vs its fractional "Breast" SEG >= 0.5) does not meet its target (Dice >= 0.80) and has no
 * test asserting it: see docs/ASSISTED_SEGMENTATION.md ("Real cases") for the measured figures and why.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDicom } from "../dicom";
import { loadDicomSeries } from "../node/load-volume";
import { rasterizeRoi, readRtStruct } from "../rtstruct";
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

describe("growTumourMask on real MR (click protocol, <= 3 clicks)", () => {
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
