import { generatePatient } from "@/lib/synth/generate-patient";
import { growTumourMask } from "@/lib/imaging/assisted-segmentation/grow-tumour-mask";
import { runClickProtocol } from "@/lib/imaging/assisted-segmentation/click-protocol.testutil";
const role = process.argv[2] ?? "CE-T1";
for (let i = 0; i < Number(process.argv[3] ?? 24); i++) {
  const t0 = performance.now();
  const p = generatePatient("demo", i, { dicom: false, nifti: false, seg: false });
  const s = p.series.find((x) => x.role === role)!;
  const t1 = performance.now();
  let ms = 0; let info: any;
  const run = runClickProtocol(s.volume, s.mask, (seeds) => { const a = performance.now(); const r = growTumourMask(s.volume, seeds, { polarity: role === "T2" ? "dark" : "bright" }); ms = performance.now() - a; info = r; return r.mask; }, 1);
  console.log(i, `gen ${(t1 - t0).toFixed(0)}ms`, `seg ${ms.toFixed(0)}ms`, "dice", run.dice.map((d) => d.toFixed(3)).join(" "), "ref", s.tumourVoxels, "got", info.voxelCount, "T", info.threshold.toFixed(0), "in", info.lesionLevel.toFixed(0), "out", info.backgroundLevel.toFixed(0), "R", info.searchRadiusMm, "d", p.latent.equivalentDiameterMm.toFixed(1), "nf", p.latent.necrosisFraction.toFixed(2), "er", p.latent.enhancementRatio.toFixed(2));
}
