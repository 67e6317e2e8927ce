/**
 * `nac models init`: build the four untrained (seeded, deterministic) MedicalNet-architecture encoders + manifest.
 * `nac models import-medicalnet`: convert a MedicalNet .pth (zip or legacy format) to ONNX, no Python needed.
 * `nac models list`: the manifest with each encoder's origin label.
 */
import type { Command } from "commander";
import { parseDepth } from "../../lib/deep/architecture";
import { modelLabel } from "../../lib/deep/models";
import { defaultModelsDir, importMedicalNet, initModels, readManifest } from "../../lib/deep/node/model-store";

export function register(program: Command): void {
  const models = program.command("models").description("deep-feature encoders (MedicalNet ResNet10/18/34/50, ONNX)");
  models
    .command("init")
    .description(
      "write models/resnet{10,18,34,50}.onnx with seeded untrained weights (labelled 'untrained encoder: demo only'); keeps intact imports",
    )
    .option("--dir <dir>", "models directory", defaultModelsDir())
    .option("--seed <n>", "seed", (v) => Number.parseInt(v, 10))
    .option("--force", "rebuild untrained encoders even when intact")
    .action((o: { dir: string; seed?: number; force?: boolean }) => {
      const res = initModels(o.dir, { seed: o.seed, force: o.force });
      for (const r of res) {
        process.stdout.write(
          `${r.backbone}: ${r.action} ${r.entry.file} (${modelLabel(r.entry)}, sha256 ${r.entry.sha256.slice(0, 12)}…)\n`,
        );
      }
    });
  models
    .command("import-medicalnet")
    .description(
      "convert a MedicalNet checkpoint (resnet_{10,18,34,50}_23dataset.pth) to an ONNX encoder and register it",
    )
    .requiredOption("--checkpoint <file>", "PyTorch checkpoint (.pth)")
    .requiredOption("--depth <n>", "10 | 18 | 34 | 50")
    .option("--out <file>", "output .onnx (default models/resnet<depth>.onnx)")
    .action((o: { checkpoint: string; depth: string; out?: string }) => {
      const depth = parseDepth(o.depth);
      const out = o.out ?? `${defaultModelsDir()}/resnet${depth}.onnx`;
      const r = importMedicalNet(o.checkpoint, depth, out);
      process.stdout.write(
        `${r.entry.backbone}: imported ${o.checkpoint} -> ${r.out} (base width ${r.entry.baseWidth}, ${r.entry.featureLength} features, ` +
          `${r.ignoredKeys.length} keys ignored, sha256 ${r.entry.sha256})\n`,
      );
    });
  models
    .command("list")
    .description("print the model manifest as JSON")
    .option("--dir <dir>", "models directory", defaultModelsDir())
    .action((o: { dir: string }) => {
      const m = readManifest(o.dir);
      const rows = Object.values(m.models).map((e) => ({
        backbone: e.backbone,
        file: e.file,
        origin: e.origin,
        label: modelLabel(e),
        sha256: e.sha256,
      }));
      process.stdout.write(JSON.stringify(rows, null, 1) + "\n");
    });
}
