import { readFileSync } from "node:fs";
import { parseDicom } from "@/lib/imaging/dicom";
import { loadDicomSeries } from "@/lib/imaging/node/load-volume";
import { readSeg } from "@/lib/imaging/seg";
import { dice } from "@/lib/imaging/assisted-segmentation/click-protocol.testutil";
import { fillHoles3d, fillHolesPerSlice } from "@/lib/imaging/assisted-segmentation/binary-ops";
const b = (await loadDicomSeries("/work/shared/data/breast_mri_ucsf_br_06/image_dce_pe1"))[0];
const segDs = parseDicom(new Uint8Array(readFileSync("/work/shared/data/breast_mri_ucsf_br_06/mask/seg_breast_fractional.dcm")));
const bm = (await readSeg(segDs, { ...b.volume, sopInstanceUids: b.meta.sopInstanceUids, frameNumbers: b.meta.frameNumbers, frameOfReferenceUid: b.meta.frameOfReferenceUid }, { fractionalThreshold: 0.5 })).segments[0].mask;
const v = b.volume;
// histogram of values: inside mask vs outside-but-in-breast (value>0)
const hIn = new Map<number, number>(), hOut = new Map<number, number>();
for (let i = 0; i < v.data.length; i++) { const k = Math.floor(v.data[i] / 10) * 10; const h = bm.data[i] ? hIn : hOut; h.set(k, (h.get(k) ?? 0) + 1); }
console.log("in", [...hIn].sort((a, b) => a[0] - b[0]).map(([k, c]) => `${k}:${c}`).join(" "));
console.log("out", [...hOut].sort((a, b) => a[0] - b[0]).map(([k, c]) => `${k}:${c}`).join(" "));
for (const t of [10, 20, 30, 40, 50, 60, 70, 80]) { const m = new Uint8Array(v.data.length); for (let i = 0; i < m.length; i++) m[i] = v.data[i] >= t ? 1 : 0; const d0 = dice(m, bm.data); fillHolesPerSlice(m, v.dims); console.log(t, d0.toFixed(3), dice(m, bm.data).toFixed(3)); }
