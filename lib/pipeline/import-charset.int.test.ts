/**
 * Issue 15 item 9 through the import: a series whose patient name is UTF-8 (Specific Character Set ISO_IR 192) is
 * stored with that name, not its bytes read as Latin-1 ("Zoë" became "ZoÃ«"). The files are the JPEG-LS fixture
 * series with (0008,0005) inserted and the name and ID rewritten (explicit VR little endian, defined lengths).
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { parseDicom } from "../imaging/dicom";
// aliased: the name starts with "use", which ESLint's React hooks rule would take for a hook
import { useNodeCodecWasm as installNodeCodecWasm } from "../imaging/dicom/node/codec-wasm";
import { FileStore } from "../storage/file-store";
import { importDicomFiles } from "./import-dicom";
import { concatBytes } from "../bytes/concat";

const DIR = path.resolve("lib/testdata/codec_series/jpls");
const utf8 = (s: string) => new TextEncoder().encode(s);

/** An explicit-VR-LE element with a 2-byte length, value padded to even length with a space. */
function element(group: number, el: number, vr: string, value: Uint8Array): Uint8Array {
  const v = value.length % 2 ? Uint8Array.from([...value, 0x20]) : value;
  const out = new Uint8Array(8 + v.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, group, true);
  dv.setUint16(2, el, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  dv.setUint16(6, v.length, true);
  out.set(v, 8);
  return out;
}

function withUtf8Patient(bytes: Uint8Array): Uint8Array {
  const ds = parseDicom(bytes);
  const datasetStart = 132 + 12 + ds.uint32("00020000")!;
  const name = ds.element("00100010")!;
  const id = ds.element("00100020")!;
  expect(id.dataOffset).toBeGreaterThan(name.dataOffset); // (0010,0020) follows (0010,0010)
  const parts = [
    bytes.subarray(0, datasetStart),
    element(0x0008, 0x0005, "CS", utf8("ISO_IR 192")),
    bytes.subarray(datasetStart, name.dataOffset - 8),
    element(0x0010, 0x0010, "PN", utf8("Müller^Zoë")),
    bytes.subarray(name.dataOffset + name.length, id.dataOffset - 8),
    element(0x0010, 0x0020, "LO", utf8("CHARSET-UTF8")),
    bytes.subarray(id.dataOffset + id.length),
  ];
  return concatBytes(parts);
}

describe(`import of a UTF-8 patient name (${testBackend()})`, () => {
  let db: Database;
  beforeAll(async () => {
    installNodeCodecWasm();
    db = await openTestDatabase();
  });
  afterAll(async () => db?.close());

  it("stores Müller^Zoë as written, not as Latin-1 mojibake", async () => {
    const files = readdirSync(DIR)
      .sort()
      .map((n) => ({ name: n, bytes: withUtf8Patient(new Uint8Array(readFileSync(path.join(DIR, n)))) }));
    expect(parseDicom(files[0].bytes).string("00100010")).toBe("Müller^Zoë");
    const store = new FileStore(mkdtempSync(path.join(os.tmpdir(), "nac-import-charset-")));
    const report = await importDicomFiles({ prisma: db.prisma, store }, files, { username: "test" });
    expect(report.counts).toEqual({ imported: 6, duplicate: 0, ignored: 0, error: 0 });
    const patient = await db.prisma.patient.findFirstOrThrow({ where: { patientKey: "CHARSET-UTF8" } });
    expect(patient.displayName).toContain("Zoë");
    expect(patient.displayName).toContain("Müller");
    expect(patient.displayName).not.toMatch(/Ã/);
  });
});
