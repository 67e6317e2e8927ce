import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { summariseAcquisition } from "../../acquisition";
import type { Database } from "../../db/database";
import { openTestDatabase, testBackend } from "../../db/test-database";
import type { LoadedBundle } from "../../ml/bundle";
import { FileStore } from "../../storage/file-store";
import { makeCaseFeatureSpec } from "../case-features";
import { seedDemoPatients } from "../demo/seed";
import { checkInputAcquisition } from "./acquisition-check";
import { selectLatestInputs } from "./select-inputs";

/** Issue 18 item 5 on generated data imported as DICOM: the generator's 3 T series against a 1.5 T-only bundle. */
describe(`acquisition check at Predict (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  let patientId: string;
  const spec = makeCaseFeatureSpec({});

  beforeAll(async () => {
    db = await openTestDatabase();
    store = new FileStore(path.join(mkdtempSync(path.join(os.tmpdir(), "nac-acq-")), "storage"));
    await db.prisma.user.create({
      data: { username: "radiologist", displayName: "Rad", role: "radiologist", passwordHash: "x" },
    });
    await seedDemoPatients({ prisma: db.prisma, store }, { indices: [0] });
    patientId = (await db.prisma.patient.findFirstOrThrow()).id;
  }, 240_000);
  afterAll(async () => db?.close());

  const bundleWith = (acquisition?: LoadedBundle["bundle"]["acquisition"]) =>
    ({ bundle: { acquisition } }) as unknown as LoadedBundle;

  it("warns for each 3 T MR series when the bundle was trained on 1.5 T only", async () => {
    const inputs = await selectLatestInputs(db, spec, patientId);
    const plain = await checkInputAcquisition({ store }, bundleWith(undefined), inputs);
    expect(plain.series.map((s) => [s.role, s.fieldStrengthT])).toEqual([
      ["CE-T1", 3],
      ["T2", 3],
      ["CT", undefined],
    ]);
    // The training site: the same series parameters at 1.5 T.
    const d15 = summariseAcquisition(
      plain.series.map((s) => (s.role === "CT" ? s : { ...s, fieldStrengthT: 1.5 })),
      "1.5 T site",
    );
    const r = await checkInputAcquisition({ store }, bundleWith(d15), inputs);
    expect(r.checked).toBe(true);
    expect(r.warnings).toEqual([
      "acquisition outside the training data: CE-T1 field strength 3 T is outside the training data (trained on 1.5 T only)",
      "acquisition outside the training data: T2 field strength 3 T is outside the training data (trained on 1.5 T only)",
    ]);
    const same = await checkInputAcquisition(
      { store },
      bundleWith(summariseAcquisition(plain.series, "3 T site")),
      inputs,
    );
    expect(same.warnings).toEqual([]);
  });

  it("says unchecked, without warnings, for a bundle with no training acquisition parameters", async () => {
    const r = await checkInputAcquisition(
      { store },
      bundleWith(undefined),
      await selectLatestInputs(db, spec, patientId),
    );
    expect(r).toMatchObject({ checked: false, reason: expect.stringMatching(/no training acquisition/), warnings: [] });
  });
});
