import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { isNacError } from "../../errors";
import { loadBundleOrThrow, predictWithBundle, type ModelBundle } from "../../ml/bundle";
import { computeIntegrity } from "../../ml/bundle/hash";
import { bundleCaseFeatureSpec, caseSpecFromBundle, CASE_SPEC_ENTRY } from "./bundle";

// The committed demo bundle predates the caseFeatureSpec field: it carries its spec in the featureSpec entry.
const OLD_JSON = new TextDecoder().decode(
  gunzipSync(new Uint8Array(readFileSync(path.resolve("models/demo-bundle.json.gz")))),
);

/** The same bundle with the spec in the versioned field, re-stamped as a registration would stamp it. */
function withField(edit?: (b: Omit<ModelBundle, "integrity">) => void): Omit<ModelBundle, "integrity"> & {
  integrity: ModelBundle["integrity"];
} {
  const { integrity: _old, ...body } = JSON.parse(OLD_JSON) as ModelBundle;
  const withSpec = { ...body, caseFeatureSpec: bundleCaseFeatureSpec(caseSpecFromBundle(body)) };
  edit?.(withSpec);
  return { ...withSpec, integrity: computeIntegrity(withSpec) };
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isNacError(e) ? e.code : "not a NacError";
  }
  return undefined;
}

describe("the bundle's versioned caseFeatureSpec", () => {
  it("an old-style bundle (spec in a featureSpec entry) still loads, keeps its fingerprint and gives its spec", () => {
    const lb = loadBundleOrThrow(OLD_JSON);
    expect(lb.bundle.caseFeatureSpec).toBeUndefined();
    const entry = lb.bundle.featureSpec.find((f) => f.name === CASE_SPEC_ENTRY);
    expect(caseSpecFromBundle(lb.bundle)).toMatchObject(JSON.parse(entry!.description!) as object);
    const { integrity, ...body } = JSON.parse(OLD_JSON) as ModelBundle;
    expect(computeIntegrity(body)).toEqual(integrity);
  });

  it("a new bundle round-trips: the field is hashed, loads, gives the same spec and predicts identically", () => {
    const oldLb = loadBundleOrThrow(OLD_JSON);
    const text = JSON.stringify(withField());
    const newLb = loadBundleOrThrow(text);
    expect(newLb.bundle.caseFeatureSpec?.version).toBe(1);
    expect(newLb.bundle.integrity.parts.caseFeatureSpec).toMatch(/^[0-9a-f]{64}$/);
    expect(caseSpecFromBundle(newLb.bundle)).toEqual(caseSpecFromBundle(oldLb.bundle));
    for (const ep of Object.keys(oldLb.bundle.endpoints)) {
      const summary = oldLb.bundle.endpoints[ep].trainingSummary;
      const row = Object.fromEntries(Object.entries(summary).map(([f, s]) => [f, s.mean]));
      expect(predictWithBundle(newLb, row, ep)).toEqual(predictWithBundle(oldLb, row, ep));
    }
  });

  it("prefers the field over the old entry", () => {
    const b = withField((body) => {
      body.featureSpec = body.featureSpec.filter((f) => f.name !== CASE_SPEC_ENTRY);
    });
    const lb = loadBundleOrThrow(JSON.stringify(b));
    expect(caseSpecFromBundle(lb.bundle)).toEqual(caseSpecFromBundle(loadBundleOrThrow(OLD_JSON).bundle));
  });

  it("refuses a spec that does not match its sha256 with MODEL_INVALID, before and after re-stamping", () => {
    // Changed after stamping: the integrity check names the part.
    const changed = withField();
    (changed.caseFeatureSpec!.spec as { periMarginMm: number }).periMarginMm = 3;
    expect(() => loadBundleOrThrow(JSON.stringify(changed))).toThrow(/part "caseFeatureSpec" was modified/);
    expect(codeOf(() => loadBundleOrThrow(JSON.stringify(changed)))).toBe("MODEL_INVALID");
    // Re-stamped with a stale sha256: the spec's own hash refuses it, in the loader and in caseSpecFromBundle.
    const restamped = withField((body) => {
      (body.caseFeatureSpec!.spec as { periMarginMm: number }).periMarginMm = 3;
    });
    expect(() => loadBundleOrThrow(JSON.stringify(restamped))).toThrow(/does not match its sha256/);
    expect(codeOf(() => loadBundleOrThrow(JSON.stringify(restamped)))).toBe("MODEL_INVALID");
    expect(codeOf(() => caseSpecFromBundle(restamped))).toBe("MODEL_INVALID");
    const badHash = withField((body) => {
      body.caseFeatureSpec!.sha256 = "0".repeat(64);
    });
    expect(codeOf(() => loadBundleOrThrow(JSON.stringify(badHash)))).toBe("MODEL_INVALID");
  });
});
