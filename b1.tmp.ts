import { loadMask, loadVolume } from "@/lib/imaging/node/load-volume";
import { deepestVoxel, dice } from "@/lib/imaging/assisted-segmentation/click-protocol.testutil";
import { growTumourMask } from "@/lib/imaging/assisted-segmentation";
const m = await loadMask("lib/testdata/pyradiomics/breast1_label.nrrd"); const v = await loadVolume("lib/testdata/pyradiomics/breast1_image.nrrd");
const c = deepestVoxel(m.data, m)!; const r = growTumourMask(v, { foreground: [c] });
console.log(c, r.voxelCount, dice(r.mask.data, m.data), v.spacing);
