/**
 * The case feature spec: which roles, regions, extractors and clinical variables make a case's feature row, and the
 * versions that go into every cache key and provenance hash.
 */
import { NacError } from "../../errors";
import { BACKBONES } from "../../deep/architecture";
import { DEFAULT_PREPROCESS, type PreprocessOptions } from "../../deep/preprocess";
import { IMAGE_ROLES } from "../../imaging/series/roles";
import { canonicalJson } from "../../hash/canonical-json";
import { resolveSettings, type RadiomicsSettings } from "../../radiomics/settings";
import { sha256Hex } from "../../hash/sha256";
import { CLINICAL_ENCODINGS } from "../../clinical/encoding";
import type { CaseFeatureSpec, CaseRole, PeriShellMode } from "./types";

export const PERI_SHELL_MODES: readonly PeriShellMode[] = ["centres", "surface", "surface-volume-matched"];
/**
 * What new specs measure the shell from: the volume-matched sub-voxel surface, so that the shell has the stated
 * thickness on 3 mm slices too (docs/PERITUMORAL.md gives the accuracy of each mode).
 */
export const DEFAULT_PERI_SHELL_MODE: PeriShellMode = "surface-volume-matched";

/** The spec's shell mode; absent means "centres" (specs written before the field existed). */
export function periShellModeOf(spec: Pick<CaseFeatureSpec, "periShellMode">): PeriShellMode {
  return spec.periShellMode ?? "centres";
}
export const CASE_ROLES: readonly CaseRole[] = IMAGE_ROLES;

/** Version of this wiring (names, region construction, encodings): part of every cache key and provenance hash. */
export const CASE_FEATURES_VERSION = "1";
/** Version of the deep-feature wiring (lib/deep has no version constant; bump when extract/preprocess change). */
// 2: the encoders are built as the "tap-sum" graph (lib/deep/onnx/build-encoder.ts); features differ from 1 by ~1e-7.
export const DEEP_ENGINE_VERSION = "2";

/** The paper's handcrafted set: pyradiomics defaults, original image only = 107 features (14 shape, 18 first order, 75 texture). */
export function paperHandcraftedSettings(): RadiomicsSettings {
  return resolveSettings({ mode: "pyradiomics" });
}

type DeepSpec = NonNullable<CaseFeatureSpec["deep"]>;

export function makeCaseFeatureSpec(
  o: Partial<Omit<CaseFeatureSpec, "deep" | "specVersion">> & {
    deep?: (Partial<Omit<DeepSpec, "preprocess">> & { preprocess?: Partial<PreprocessOptions> }) | null;
  } = {},
): CaseFeatureSpec {
  const spec: CaseFeatureSpec = {
    specVersion: 1,
    roles: o.roles ?? [...CASE_ROLES],
    regions: o.regions ?? ["intra", "peri"],
    periMarginMm: o.periMarginMm ?? 5,
    periShellMode: o.periShellMode ?? DEFAULT_PERI_SHELL_MODE,
    handcrafted: o.handcrafted === undefined ? paperHandcraftedSettings() : o.handcrafted,
    deep:
      o.deep === null
        ? null
        : {
            backbone: o.deep?.backbone ?? "resnet10",
            preprocess: { ...DEFAULT_PREPROCESS, ...(o.deep?.preprocess ?? {}) },
            pooling: o.deep?.pooling ?? "global",
            roles: o.deep?.roles ?? o.roles ?? [...CASE_ROLES],
            regions: o.deep?.regions ?? o.regions ?? ["intra", "peri"],
          },
    clinical: o.clinical ?? CLINICAL_ENCODINGS.map((v) => v.name),
  };
  return validateCaseFeatureSpec(spec);
}

export function validateCaseFeatureSpec(spec: CaseFeatureSpec): CaseFeatureSpec {
  const bad = (m: string): never => {
    throw new NacError("SETTINGS_INVALID", `case feature spec: ${m}`);
  };
  if (spec.specVersion !== 1) bad(`unknown specVersion ${String(spec.specVersion)}`);
  for (const r of spec.roles) if (!CASE_ROLES.includes(r)) bad(`unknown role ${r}`);
  for (const r of spec.regions) if (r !== "intra" && r !== "peri") bad(`unknown region ${r}`);
  if (spec.regions.includes("peri") && !(spec.periMarginMm > 0 && Number.isFinite(spec.periMarginMm)))
    bad("periMarginMm must be > 0");
  if (spec.periShellMode !== undefined && !PERI_SHELL_MODES.includes(spec.periShellMode))
    bad(`unknown periShellMode ${String(spec.periShellMode)}`);
  // Resolved, so a spec stored before a setting existed (e.g. a bundle from before the image filters) carries its
  // default; settingsHash leaves such defaults out, so the stored hashes still match. Throws SETTINGS_INVALID.
  const handcrafted = spec.handcrafted ? resolveSettings(spec.handcrafted) : spec.handcrafted;
  if (spec.deep && !BACKBONES.includes(spec.deep.backbone)) bad(`unknown backbone ${spec.deep.backbone}`);
  if (spec.deep && spec.deep.roles.some((r) => !spec.roles.includes(r)))
    bad("deep roles must be among the spec's roles");
  if (spec.deep && spec.deep.regions.some((r) => !spec.regions.includes(r)))
    bad("deep regions must be among the spec's regions");
  const known = new Set(CLINICAL_ENCODINGS.map((v) => v.name));
  for (const c of spec.clinical) if (!known.has(c)) bad(`unknown clinical variable ${c}`);
  if (new Set(spec.clinical).size !== spec.clinical.length) bad("duplicate clinical variables");
  return handcrafted === spec.handcrafted ? spec : { ...spec, handcrafted };
}

export function caseFeatureSpecHash(spec: CaseFeatureSpec): string {
  return sha256Hex(canonicalJson(spec));
}
