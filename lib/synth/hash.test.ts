import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256, uidFromKey, utf8 } from "./hash";

describe("sha256", () => {
  it("matches node:crypto across padding boundaries", () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 0xff);
      const ours = Buffer.from(sha256(bytes)).toString("hex");
      expect(ours).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
    expect(Buffer.from(sha256(utf8("abc"))).toString("hex")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});

describe("uidFromKey", () => {
  it("gives valid, deterministic, distinct 2.25 UIDs", () => {
    const a = uidFromKey("seed/1/study");
    expect(uidFromKey("seed/1/study")).toBe(a);
    expect(uidFromKey("seed/2/study")).not.toBe(a);
    for (let i = 0; i < 200; i++) {
      const u = uidFromKey(`k${i}`);
      expect(u).toMatch(/^2\.25\.(0|[1-9][0-9]*)$/);
      expect(u.length).toBeLessThanOrEqual(64);
      expect(BigInt(u.slice(5)) < 1n << 128n).toBe(true);
    }
  });
});
