import { writeFileSync } from "node:fs";
import { generatePatient } from "@/lib/synth/generate-patient";
import { growTumourMask } from "@/lib/imaging/assisted-segmentation/grow-tumour-mask";
import { deepestVoxel } from "@/lib/imaging/assisted-segmentation/click-protocol.testutil";
const p = generatePatient("demo", Number(process.argv[2]), { dicom: false, nifti: false, seg: false });
const s = p.series[0]; const v = s.volume; const [nx, ny] = v.dims;
const c = deepestVoxel(s.mask.data, s.mask)!;
const r = growTumourMask(v, { foreground: [c] });
const W = 60, sc = 4;
for (const dk of [-3, 0, 3]) { const k = c[2] + dk; const out = Buffer.alloc(W * 2 * sc * W * sc * 3);
for (let y = 0; y < W * sc; y++) for (let x = 0; x < 2 * W * sc; x++) { const side = x >= W * sc ? 1 : 0; const i = c[0] - W / 2 + Math.floor((x % (W * sc)) / sc), j = c[1] - W / 2 + Math.floor(y / sc); const idx = i + nx * (j + ny * k);
  const g = Math.min(255, v.data[idx] / 1200 * 255); const o = (y * 2 * W * sc + x) * 3; const ref = s.mask.data[idx], got = r.mask.data[idx];
  if (side === 0) { out[o] = out[o+1] = out[o+2] = g; } else { out[o] = ref && !got ? 255 : g * 0.6; out[o + 1] = got && !ref ? 255 : g * 0.6; out[o + 2] = ref && got ? 200 : g * 0.6; } }
writeFileSync(`/tmp/seg/v${dk}.ppm`, Buffer.concat([Buffer.from(`P6 ${2 * W * sc} ${W * sc} 255\n`), out])); }
for (let k = c[2] - 6; k <= c[2] + 6; k++) { let a = 0, b = 0, fn = 0; for (let p = 0; p < nx * ny; p++) { const idx = k * nx * ny + p; a += s.mask.data[idx]; b += r.mask.data[idx]; if (s.mask.data[idx] && !r.mask.data[idx]) fn++; } console.log(k - c[2], a, b, fn); }
