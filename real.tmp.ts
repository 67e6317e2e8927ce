import { readFileSync } from "node:fs";
import { parseDicom } from "@/lib/imaging/dicom";
import { loadDicomSeries } from "@/lib/imaging/node/load-volume";
import { readSeg } from "@/lib/imaging/seg";
import { rasterizeRoi, readRtStruct } from "@/lib/imaging/rtstruct";
import { growTumourMask, type LesionPolarity } from "@/lib/imaging/assisted-segmentation/grow-tumour-mask";
import { runClickProtocol } from "@/lib/imaging/assisted-segmentation/click-protocol.testutil";
const b = (await loadDicomSeries("/work/shared/data/breast_mri_ucsf_br_06/image_dce_pe1"))[0];
const segDs = parseDicom(new Uint8Array(readFileSync("/work/shared/data/breast_mri_ucsf_br_06/mask/seg_breast_fractional.dcm")));
const bm = (await readSeg(segDs, { ...b.volume, sopInstanceUids: b.meta.sopInstanceUids, frameNumbers: b.meta.frameNumbers, frameOfReferenceUid: b.meta.frameOfReferenceUid }, { fractionalThreshold: 0.5 })).segments[0].mask;
const s = (await loadDicomSeries("/work/shared/data/mirp_sts/STS_002/MR_T1/dicom/image"))[0];
const rs = readRtStruct(parseDicom(new Uint8Array(readFileSync("/work/shared/data/mirp_sts/STS_002/MR_T1/dicom/mask/RS.dcm"))));
const sm = rasterizeRoi(rs.rois[0], { ...s.volume, frameOfReferenceUid: s.meta.frameOfReferenceUid });
for (const [name, v, m, pol] of [["breast", b.volume, bm, "bright"], ["sts", s.volume, sm, "dark"], ["sts-bright", s.volume, sm, "bright"]] as const) {
  const run = runClickProtocol(v, m, (seeds) => { const r = growTumourMask(v, seeds, { polarity: pol as LesionPolarity }); console.log("  T", r.threshold, r.lesionLevel, r.backgroundLevel, r.voxelCount, "R", r.searchRadiusMm); return r.mask; }, 3);
  console.log(name, run.dice.map((d) => d.toFixed(3)), JSON.stringify(run.seeds));
}
