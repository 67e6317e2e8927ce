import { generatePatient } from "@/lib/synth/generate-patient";
import { growTumourMask } from "@/lib/imaging/assisted-segmentation/grow-tumour-mask";
import { deepestVoxel } from "@/lib/imaging/assisted-segmentation/click-protocol.testutil";
const p = generatePatient("demo", 1, { dicom: false, nifti: false, seg: false });
const s = p.series[0];
const c = deepestVoxel(s.mask.data, s.mask)!;
for (let r = 0; r < 5; r++) { const a = performance.now(); growTumourMask(s.volume, { foreground: [c] }); console.log((performance.now() - a).toFixed(0)); }
