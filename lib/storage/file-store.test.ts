import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FileStore } from "./file-store";

const tmpRoot = () => mkdtempSync(path.join(os.tmpdir(), "nac-store-"));

describe("FileStore", () => {
  it("stores and reads back bytes with their sha256", async () => {
    const store = new FileStore(tmpRoot());
    const bytes = new TextEncoder().encode("hello");
    const r = await store.put("a/b/c.bin", bytes);
    expect(r.sha256).toBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    expect(Buffer.from(await store.get("a/b/c.bin")).toString()).toBe("hello");
  });

  it("refuses keys that escape the root", async () => {
    const store = new FileStore(tmpRoot());
    await expect(store.put("../x", new Uint8Array(1))).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(store.put("a//b", new Uint8Array(1))).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("a process killed mid-write leaves no file at the key, only a temp file that sweepTemp removes", async () => {
    const root = tmpRoot();
    // The child writes 400 MB through FileStore.put; we kill it with SIGKILL as soon as its temp file appears.
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `import { FileStore } from ${JSON.stringify(path.resolve("lib/storage/file-store.ts"))};
         await new FileStore(${JSON.stringify(root)}).put("big/file.bin", new Uint8Array(400 * 1024 * 1024).fill(7));`,
      ],
      { stdio: "ignore" },
    );
    const dir = path.join(root, "big");
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (existsSync(dir) && readdirSync(dir).some((n) => n.endsWith(".tmp"))) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const store = new FileStore(root);
    expect(await store.exists("big/file.bin")).toBe(false);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp")).length).toBe(1);
    expect(await store.sweepTemp()).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});
