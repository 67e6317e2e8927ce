import { describe, expect, it } from "vitest";
import { buildMultipart, parseMultipart } from "./multipart";

describe("multipart/related", () => {
  it("round-trips binary parts, including bytes that look like CRLF and dashes", () => {
    const a = Uint8Array.from([0, 13, 10, 45, 45, 255, 1]);
    const b = new Uint8Array(1000).map((_, i) => i % 256);
    const mp = buildMultipart(
      [
        { contentType: "application/dicom", body: a },
        { contentType: "application/dicom", body: b },
      ],
      "application/dicom",
    );
    expect(mp.contentType).toMatch(/^multipart\/related; type="application\/dicom"; boundary=nacpredict-[0-9a-f]{24}$/);
    const parts = parseMultipart(mp.body, mp.contentType);
    expect(parts.map((p) => Array.from(p.body))).toEqual([Array.from(a), Array.from(b)]);
    expect(parts[0].headers["content-type"]).toBe("application/dicom");
  });

  it("reads a quoted boundary and refuses a body cut short or without a boundary", () => {
    const mp = buildMultipart(
      [{ contentType: "application/octet-stream", body: new Uint8Array(64).fill(7) }],
      "application/octet-stream",
    );
    const boundary = /boundary=(.*)$/.exec(mp.contentType)![1];
    const quoted = `multipart/related; boundary="${boundary}"; type="application/octet-stream"`;
    expect(parseMultipart(mp.body, quoted)[0].body).toHaveLength(64);
    expect(() => parseMultipart(mp.body.subarray(0, 80), quoted)).toThrow(
      expect.objectContaining({ code: "PACS_PARTIAL" }),
    );
    expect(() => parseMultipart(mp.body, "application/octet-stream")).toThrow(
      expect.objectContaining({ code: "PACS_BAD_RESPONSE" }),
    );
  });
});
