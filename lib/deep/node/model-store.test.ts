import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isNacError } from "../../errors";
import { FIXTURE_DIR } from "../testdata/fixtures";
import { ORIGIN_LABELS, parseManifest } from "../models";
import {
  buildUntrained,
  importMedicalNet,
  initModels,
  loadModelBytes,
  missingEncoderFiles,
  readManifest,
  sha256,
} from "./model-store";

const dir = mkdtempSync(path.join(os.tmpdir(), "nac-models-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("model store", () => {
  it("the committed manifest's untrained ResNet10 is what `models init` builds (same seed -> same bytes)", () => {
    const repoManifest = parseManifest(
      JSON.parse(readFileSync(path.resolve(FIXTURE_DIR, "../../../models/manifest.json"), "utf8")),
    );
    const e = repoManifest.models.resnet10;
    expect(e.origin).toBe("untrained");
    const bytes = buildUntrained(10, e.seed);
    expect(bytes.length).toBe(e.bytes);
    expect(sha256(bytes)).toBe(e.sha256);
  });

  it("init writes, keeps intact files, rebuilds corrupted ones; import registers MedicalNet weights that init keeps", () => {
    const first = initModels(dir, { depths: [10] });
    expect(first.map((r) => r.action)).toEqual(["written"]);
    expect(first[0].entry.label).toBe(ORIGIN_LABELS.untrained);
    expect(first[0].entry.label).toBe("untrained encoder: demo only");
    expect(initModels(dir, { depths: [10] })[0].action).toBe("kept");

    const file = path.join(dir, "resnet10.onnx");
    const bytes = readFileSync(file);
    bytes[bytes.length - 5] ^= 0xff;
    writeFileSync(file, bytes);
    try {
      loadModelBytes("resnet10", dir);
      expect.unreachable();
    } catch (e) {
      expect(isNacError(e) && e.code).toBe("MODEL_INVALID");
    }
    expect(initModels(dir, { depths: [10] })[0].action).toBe("written");
    expect(loadModelBytes("resnet10", dir).entry.origin).toBe("untrained");

    const imp = importMedicalNet(path.join(FIXTURE_DIR, "resnet10_w4.legacy.pth"), 10, file);
    expect(imp.entry).toMatchObject({
      origin: "medicalnet",
      label: "MedicalNet import",
      baseWidth: 4,
      featureLength: 32,
    });
    expect(imp.entry.checkpoint?.format).toBe("legacy");
    expect(initModels(dir, { depths: [10] })[0].action).toBe("kept");
    expect(readManifest(dir).models.resnet10.origin).toBe("medicalnet");
    expect(loadModelBytes("resnet10", dir).entry.sha256).toBe(imp.entry.sha256);
  });
});

describe("missingEncoderFiles", () => {
  it("names the encoders a worker machine has no file for", () => {
    const d = mkdtempSync(path.join(os.tmpdir(), "nac-models-missing-"));
    initModels(d, { depths: [10] });
    expect(missingEncoderFiles(d)).toEqual(["resnet18", "resnet34", "resnet50"]);
    rmSync(path.join(d, "resnet10.onnx"));
    expect(missingEncoderFiles(d)).toEqual(["resnet10", "resnet18", "resnet34", "resnet50"]);
    rmSync(d, { recursive: true, force: true });
  });
});

describe("verifyModelBytes (WebCrypto, browser-safe)", () => {
  it("accepts matching bytes and rejects altered ones", async () => {
    const { verifyModelBytes } = await import("../models");
    const bytes = new TextEncoder().encode("encoder bytes");
    const entry = { file: "x.onnx", bytes: bytes.length, sha256: sha256(bytes) };
    await expect(verifyModelBytes(bytes, entry)).resolves.toBeUndefined();
    const altered = bytes.slice();
    altered[0] ^= 1;
    await expect(verifyModelBytes(altered, entry)).rejects.toMatchObject({ code: "MODEL_INVALID" });
  });
});

describe("openEncoder", () => {
  it("opens the registered encoder once per process and runs it", async () => {
    const { openEncoder, closeEncoders } = await import("./encoder");
    const d = mkdtempSync(path.join(os.tmpdir(), "nac-models-open-"));
    try {
      importMedicalNet(path.join(FIXTURE_DIR, "resnet18_w4.zip.pth"), 18, path.join(d, "resnet18.onnx"));
      const a = await openEncoder("resnet18", { dir: d });
      const b = await openEncoder("resnet18", { dir: d });
      expect(b.session).toBe(a.session);
      expect(a.entry.origin).toBe("medicalnet");
      const out = await a.session.run(new Float32Array(16 ** 3).fill(1), [16, 16, 16]);
      expect(out.features.length).toBe(32);
      await expect(openEncoder("resnet34", { dir: d })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await closeEncoders();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
