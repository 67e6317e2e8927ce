/**
 * `nac deep --image IMG --mask MASK --region intra|peri --backbone resnetN`: deep features of one region as JSON
 * { backbone, region, label, features: [...] } (NIfTI or NRRD image and mask on the same grid).
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { NacError } from "../../lib/errors";
import { parseDepth, type Backbone } from "../../lib/deep/architecture";
import { extractDeepFeatures, type DeepPooling } from "../../lib/deep/extract";
import { modelLabel, type ModelEntry } from "../../lib/deep/models";
import { loadModelBytes } from "../../lib/deep/node/model-store";
import type { DeepRegion } from "../../lib/deep/regions";
import { createNodeSession } from "../../lib/deep/runtime-node";
import { loadMask, loadVolume } from "../../lib/imaging/node/load-volume";

export function register(program: Command): void {
  program
    .command("deep")
    .description("deep features (MedicalNet ResNet encoder, layer4 pooled) of the intra- or peritumoral region")
    .requiredOption("--image <file>", "image (.nii, .nii.gz, .nrrd or a DICOM series folder)")
    .requiredOption("--mask <file>", "tumour mask on the image grid (> 0 = tumour)")
    .requiredOption("--region <r>", "intra | peri")
    .option("--margin-mm <mm>", "peritumoral shell thickness in mm", "5")
    .option("--backbone <b>", "resnet10 | resnet18 | resnet34 | resnet50", "resnet18")
    .option("--model <file>", "ONNX encoder to use instead of the registered one")
    .option("--pooling <p>", "global | masked", "global")
    .option("--threads <n>", "onnxruntime intra-op threads", "2")
    .action(
      async (o: {
        image: string;
        mask: string;
        region: string;
        marginMm: string;
        backbone: string;
        model?: string;
        pooling: string;
        threads: string;
      }) => {
        if (o.region !== "intra" && o.region !== "peri")
          throw new NacError("SETTINGS_INVALID", `--region must be intra or peri`);
        const backbone = `resnet${parseDepth(o.backbone)}` as Backbone;
        const marginMm = Number(o.marginMm);
        let bytes: Uint8Array;
        let entry: ModelEntry | undefined;
        if (o.model) {
          bytes = new Uint8Array(await readFile(o.model));
        } else {
          ({ bytes, entry } = loadModelBytes(backbone));
        }
        const image = await loadVolume(o.image);
        const mask = await loadMask(o.mask, image);
        const session = await createNodeSession(bytes, { threads: Number(o.threads) });
        try {
          const r = await extractDeepFeatures(image, mask, {
            region: o.region as DeepRegion,
            marginMm,
            backbone,
            session,
            pooling: o.pooling as DeepPooling,
            model: entry,
          });
          const label = entry ? modelLabel(entry) : `custom model ${o.model}`;
          process.stdout.write(
            JSON.stringify({
              backbone,
              region: r.region,
              marginMm: r.marginMm,
              pooling: r.pooling,
              label,
              preprocess: r.preprocess,
              features: r.features,
            }) + "\n",
          );
        } finally {
          await session.release();
        }
      },
    );
}
