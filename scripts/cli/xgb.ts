import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { NacError } from "../../lib/errors";
import { Booster } from "../../lib/ml/xgboost/booster";
import { predictCsv, trainFromCsv, type PredictKind } from "../../lib/ml/xgboost/tabular";

/**
 * XGBoost-compatible models: predict with an XGBoost JSON/UBJSON model, or train one (written as XGBoost JSON,
 * or UBJSON when --out ends in .ubj). CSV with header; an empty field is a missing value.
 */
function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new NacError("NOT_FOUND", `cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

const list = (s?: string) =>
  s
    ? s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : [];

export function register(program: Command): void {
  const xgb = program.command("xgb").description("XGBoost-compatible gradient boosting (predict / train)");
  xgb
    .command("predict")
    .description("predict with an XGBoost model; writes CSV (shortest round-trip numbers) to --out or stdout")
    .requiredOption("--model <file>", "XGBoost model (.json or .ubj)")
    .requiredOption("--data <file>", "CSV with header; columns matched by the model's feature names when it has them")
    .option("--margin", "raw margin instead of the transformed prediction")
    .option("--contribs", "TreeSHAP contributions per feature plus bias")
    .option("--leaf", "leaf index per tree")
    .option("--drop <cols>", "comma-separated columns to ignore (models without feature names)")
    .option("--out <file>", "output CSV (default stdout)")
    .action(
      (o: {
        model: string;
        data: string;
        margin?: boolean;
        contribs?: boolean;
        leaf?: boolean;
        drop?: string;
        out?: string;
      }) => {
        const kinds = [o.margin && "margin", o.contribs && "contribs", o.leaf && "leaf"].filter(
          Boolean,
        ) as PredictKind[];
        if (kinds.length > 1) throw new NacError("BAD_REQUEST", "choose at most one of --margin, --contribs, --leaf");
        let bytes: Uint8Array;
        try {
          bytes = new Uint8Array(readFileSync(o.model));
        } catch (e) {
          throw new NacError("NOT_FOUND", `cannot read model ${o.model}: ${(e as Error).message}`);
        }
        const csv = predictCsv(Booster.load(bytes), readText(o.data, "data"), kinds[0] ?? "prediction", list(o.drop));
        if (o.out) writeFileSync(o.out, csv);
        else process.stdout.write(csv);
      },
    );
  xgb
    .command("train")
    .description("train (binary:logistic or reg:squarederror; exact or hist) and write an XGBoost model")
    .requiredOption("--data <file>", "CSV with header")
    .requiredOption("--label <column>", "label column")
    .requiredOption("--params <file>", "JSON object of XGBoost parameters, including num_boost_round")
    .requiredOption("--out <file>", "model file (.json; .ubj for UBJSON)")
    .option("--drop <cols>", "comma-separated columns that are not features (e.g. an id)")
    .action((o: { data: string; label: string; params: string; out: string; drop?: string }) => {
      let params: unknown;
      try {
        params = JSON.parse(readText(o.params, "params"));
      } catch (e) {
        if (e instanceof NacError) throw e;
        throw new NacError("SETTINGS_INVALID", `params ${o.params} is not valid JSON: ${(e as Error).message}`);
      }
      if (params === null || typeof params !== "object" || Array.isArray(params))
        throw new NacError("SETTINGS_INVALID", "params must be a JSON object");
      const b = trainFromCsv(readText(o.data, "data"), o.label, params as Record<string, unknown>, list(o.drop));
      writeFileSync(o.out, o.out.endsWith(".ubj") ? b.toUBJSON() : b.toJSON());
      process.stderr.write(`wrote ${o.out}: ${b.model.trees.length} trees, ${b.numFeature} features\n`);
    });
}
