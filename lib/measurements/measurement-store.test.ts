import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isNacError } from "../errors";
import { FileStore } from "../storage/file-store";
import { describeMeasurement, MeasurementSetInput, type Measurement } from "./measurement-set";
import { readMeasurements, saveMeasurements } from "./measurement-store";

const bidi: Measurement = {
  uid: "a1",
  kind: "bidirectional",
  lengthMm: 23.44,
  widthMm: 15.06,
  points: [
    [0, 0, 0],
    [23.44, 0, 0],
    [11, -7, 0],
    [11, 8, 0],
  ],
  where: "axial slice 31",
};
const user = { username: "radiologist", displayName: "Dr Demo" };

describe("measurement store", () => {
  let dir: string;
  let store: FileStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "nac-meas-"));
    store = new FileStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("starts empty, saves versions and reads the latest back with who and when", async () => {
    expect(await readMeasurements(store, "s1")).toMatchObject({ version: 0, measurements: [] });
    await saveMeasurements(store, {
      seriesId: "s1",
      baseVersion: 0,
      measurements: [bidi],
      user,
      now: new Date("2026-01-02T03:04:05Z"),
    });
    const second = await saveMeasurements(store, { seriesId: "s1", baseVersion: 1, measurements: [], user });
    expect(second.version).toBe(2);
    const again = await saveMeasurements(store, {
      seriesId: "s1",
      baseVersion: 2,
      measurements: [bidi],
      user,
      now: new Date("2026-01-02T03:04:06Z"),
    });
    expect(await readMeasurements(store, "s1")).toEqual(again);
    expect(again.savedBy).toEqual(user);
    // other series untouched
    expect((await readMeasurements(store, "s2")).version).toBe(0);
  });

  it("refuses a save based on an older version (CONFLICT) and duplicate uids", async () => {
    await saveMeasurements(store, { seriesId: "s1", baseVersion: 0, measurements: [bidi], user });
    const stale = await saveMeasurements(store, { seriesId: "s1", baseVersion: 0, measurements: [], user }).catch(
      (e) => e,
    );
    expect(isNacError(stale) && stale.code).toBe("CONFLICT");
    const dup = await saveMeasurements(store, {
      seriesId: "s1",
      baseVersion: 1,
      measurements: [bidi, bidi],
      user,
    }).catch((e) => e);
    expect(isNacError(dup) && dup.code).toBe("BAD_REQUEST");
    expect((await readMeasurements(store, "s1")).measurements).toEqual([bidi]);
  });

  it("validates input strictly and describes measurements for the report", () => {
    expect(MeasurementSetInput.safeParse({ measurements: [{ ...bidi, lengthMm: "23" }], baseVersion: 0 }).success).toBe(
      false,
    );
    expect(MeasurementSetInput.safeParse({ measurements: [{ ...bidi, extra: 1 }], baseVersion: 0 }).success).toBe(
      false,
    );
    expect(describeMeasurement(bidi)).toBe("Bidirectional 23.4 x 15.1 mm (axial slice 31)");
    expect(describeMeasurement({ ...bidi, kind: "length", widthMm: null, points: bidi.points.slice(0, 2) })).toBe(
      "Length 23.4 mm (axial slice 31)",
    );
  });
});
