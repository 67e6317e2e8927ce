import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { uploadLimits } from "../upload/limits";
import { expandUploads } from "./import-upload";

/** Issue 15 item 11: zip entries that are not imported (hidden files, macOS resource forks) are reported, not dropped. */
describe("expandUploads", () => {
  it("unpacks a zip, flattening folders, and reports hidden files and __MACOSX entries as ignored", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nac-expand-"));
    const zip = zipSync({
      "study/a.dcm": new Uint8Array([1, 2, 3]),
      "study/.hidden.dcm": new Uint8Array([4]),
      ".DS_Store": new Uint8Array([5]),
      "__MACOSX/study/._a.dcm": new Uint8Array([6]),
    });
    const zipPath = path.join(dir, "part-0");
    writeFileSync(zipPath, zip);
    const plainPath = path.join(dir, "part-1");
    writeFileSync(plainPath, new Uint8Array([7, 8]));
    const r = await expandUploads(
      [
        { field: "files", name: "upload.zip", path: zipPath, size: zip.length },
        { field: "files", name: "b.dcm", path: plainPath, size: 2 },
      ],
      uploadLimits({} as NodeJS.ProcessEnv),
    );
    expect(r.files.map((f) => f.name)).toEqual(["upload.zip/study/a.dcm", "b.dcm"]);
    expect(r.errors.map((e) => [e.name, e.status])).toEqual([
      ["upload.zip/study/.hidden.dcm", "ignored"],
      ["upload.zip/.DS_Store", "ignored"],
      ["upload.zip/__MACOSX/study/._a.dcm", "ignored"],
    ]);
    for (const e of r.errors) expect(e.message).toMatch(/hidden file|resource fork/);
  });

  it("an unreadable zip is an error for that file only", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nac-expand-"));
    const p = path.join(dir, "part-0");
    writeFileSync(p, Buffer.from("PK\u0003\u0004 this is not really a zip"));
    const r = await expandUploads(
      [{ field: "files", name: "broken.zip", path: p, size: 30 }],
      uploadLimits({} as NodeJS.ProcessEnv),
    );
    expect(r.files).toEqual([]);
    expect(r.errors[0]).toMatchObject({ name: "broken.zip", status: "error", code: "UNSUPPORTED_MEDIA" });
  });
});
