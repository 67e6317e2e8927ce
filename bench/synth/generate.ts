/**
 * Synthetic patient generation speed: per-patient wall and CPU time of generatePatient (render + DICOM + NIfTI, no
 * disk), single thread, with a fixed reference workload timed in the same run so that results taken on a loaded
 * machine can be compared. Usage: npx tsx bench/synth/generate.ts [patients=8] [runs=3]
 */
import { cpus, loadavg } from "node:os";
import { generatePatient } from "../../lib/synth/generate-patient";

const patients = Number(process.argv[2] ?? 8);
const runs = Number(process.argv[3] ?? 3);

/** Reference: 50 M multiply-adds over a Float32Array (memory + arithmetic, like the renderer). */
function reference(): number {
  const a = new Float32Array(1 << 20).map((_, i) => (i % 97) / 97);
  const t0 = performance.now();
  let s = 0;
  for (let r = 0; r < 48; r++) for (let i = 0; i < a.length; i++) s += a[i] * 1.0001 + r;
  if (s === 42) console.log("");
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

generatePatient("bench-warmup", 0);
const wall: number[] = [];
const cpu: number[] = [];
const ref: number[] = [];
for (let r = 0; r < runs; r++) {
  ref.push(reference());
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < patients; i++) generatePatient("bench", i);
  const c = process.cpuUsage(c0);
  wall.push((performance.now() - t0) / patients);
  cpu.push((c.user + c.system) / 1000 / patients);
}
console.log(
  JSON.stringify(
    {
      machine: { nproc: cpus().length, cpu: cpus()[0]?.model, loadavg1: loadavg()[0] },
      patientsPerRun: patients,
      runs,
      medianWallMsPerPatient: Math.round(median(wall)),
      medianCpuMsPerPatient: Math.round(median(cpu)),
      medianReferenceMs: Math.round(median(ref)),
    },
    null,
    2,
  ),
);
