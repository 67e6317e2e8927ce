import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listImportFolders, resolveImportFolder } from "./import-root";

describe("cohort import root", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "nac-import-root-"));
  const root = path.join(tmp, "root");
  mkdirSync(path.join(root, "site-A", "P1"), { recursive: true });
  writeFileSync(path.join(root, "site-A", "clinical.csv"), "patient_id\n");
  mkdirSync(path.join(tmp, "outside", "P9"), { recursive: true });
  symlinkSync(path.join(tmp, "outside"), path.join(root, "escape"));

  it("lists the cohort folders directly inside the root", async () => {
    expect(await listImportFolders(root)).toEqual([{ name: "site-A", patients: 1, hasClinicalCsv: true }]);
  });

  it("resolves a folder inside the root and refuses traversal, absolute paths and symlinks that leave it", async () => {
    expect(await resolveImportFolder(root, "site-A")).toBe(path.join(root, "site-A"));
    await expect(resolveImportFolder(root, "../outside")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(resolveImportFolder(root, "/etc")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(resolveImportFolder(root, "site-A/P1")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(resolveImportFolder(root, "escape")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(resolveImportFolder(root, "missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
