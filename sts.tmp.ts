import { writeFileSync } from "node:fs";
import { loadDicomSeries } from "@/lib/imaging/node/load-volume";
const s = (await loadDicomSeries("/work/shared/data/mirp_sts/STS_002/MR_T1/dicom/image"))[0];
const v = s.volume; const [nx, ny] = v.dims; const sc = 3;
for (const k of [18]) { const out = Buffer.alloc(nx * sc * ny * sc * 3);
 for (let y = 0; y < ny * sc; y++) for (let x = 0; x < nx * sc; x++) { const val = v.data[Math.floor(x / sc) + nx * (Math.floor(y / sc) + ny * k)]; const o = (y * nx * sc + x) * 3; const g = Math.min(255, val / 1100 * 255); out[o] = out[o+1] = out[o+2] = g; if (val >= 296 && val <= 356) { out[o] = 255; out[o+1] = 0; out[o+2] = 0; } }
 writeFileSync(`/tmp/seg/sts_w.ppm`, Buffer.concat([Buffer.from(`P6 ${nx * sc} ${ny * sc} 255\n`), out])); }
console.log(v.data[55 + nx * (41 + ny * 18)]);
