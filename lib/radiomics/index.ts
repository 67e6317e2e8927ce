/**
 * Radiomics engine entry point (browser-safe): handcrafted IBSI / pyradiomics features of one ROI.
 *   extractFeatures(image, mask, { mode: "pyradiomics" }) -> { features, failures, settings, settingsHash, engine, ... }
 * See docs/RADIOMICS.md.
 */
export { extractFeatures, PYRADIOMICS_DEPRECATED, type RadiomicsResult } from "./extract";
export {
  resolveSettings,
  defaultSettings,
  settingsHash,
  RadiomicsSettingsSchema,
  FAMILIES,
  MODE_FAMILIES,
  type RadiomicsSettings,
  type SettingsInput,
  type Family,
} from "./settings";
export { parsePyradiomicsParams, applyPyradiomicsSetting } from "./pyradiomics-params";
export { ENGINE_NAME, ENGINE_VERSION } from "./version";
