import { describe, expect, it } from "vitest";
import { fixDimensionOrganizationUid } from "./seg-series";

function element(uid: string): number[] {
  const v = uid.length % 2 ? uid + "\0" : uid;
  return [0x20, 0x00, 0x64, 0x91, 0x55, 0x49, v.length & 0xff, v.length >> 8, ...Array.from(v, (c) => c.charCodeAt(0))];
}
const UNDEFINED_SQ = [0x20, 0x00, 0x21, 0x92, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff];

describe("fixDimensionOrganizationUid", () => {
  it("replaces every occurrence of random UIDs of any length by one deterministic UID", () => {
    const file = (random: string) =>
      new Uint8Array([...new Array(132).fill(0), ...UNDEFINED_SQ, ...element(random), 1, 2, 3, ...element(random), 9]);
    const a = fixDimensionOrganizationUid(file("2.25.123456789012345678901234567890123456"), "k");
    const b = fixDimensionOrganizationUid(file("2.25.98765432109876543210987654321"), "k");
    const c = fixDimensionOrganizationUid(file("2.25.98765432109876543210987654321"), "other");
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
    const uids =
      Buffer.from(a)
        .toString("latin1")
        .match(/2\.25\.[0-9]+/g) ?? [];
    expect(uids).toHaveLength(2);
    expect(uids[0]).toBe(uids[1]);
    expect(uids[0]).toMatch(/^2\.25\.[1-9][0-9]*$/);
    // Bytes around the elements are kept.
    expect(Array.from(a.slice(-1))).toEqual([9]);
  });

  it("refuses a file without the element, or with explicit-length sequences", () => {
    expect(() => fixDimensionOrganizationUid(new Uint8Array(200), "k")).toThrow(/no DimensionOrganizationUID/);
    const explicit = new Uint8Array([
      ...new Array(132).fill(0),
      0x20,
      0x00,
      0x21,
      0x92,
      0x53,
      0x51,
      0,
      0,
      40,
      0,
      0,
      0,
      ...element("2.25.12"),
    ]);
    expect(() => fixDimensionOrganizationUid(explicit, "k")).toThrow(/explicit lengths/);
  });
});
