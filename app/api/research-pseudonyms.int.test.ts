import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pseudonymOf } from "@/lib/auth/patient-view";
import { createSession } from "@/lib/auth/sessions";
import { setGrant } from "@/lib/auth/user-admin";
import { loadOrCreateDeidSalt } from "@/lib/config/secret";
import type { Database } from "@/lib/db/database";
import { useDatabase } from "@/lib/db/prisma";
import { openTestDatabase, testBackend } from "@/lib/db/test-database";
import { useNodeCodecWasm as installNodeCodecWasm } from "@/lib/imaging/dicom/node/codec-wasm";
import { validateCohortFolder } from "@/lib/pipeline/cohort/import";
import { importDicomFiles } from "@/lib/pipeline/import-dicom";
import { FileStore } from "@/lib/storage/file-store";

/**
 * Issue 16 item 5 on the research side: a researcher without identified access sees pseudonyms, never the site ID or
 * name, wherever a cohort names its patients: the cohort overview (API and page), the feature-table CSV export, the
 * extraction's failure list (and a failure message quoting the site ID), an experiment's test partitions (API and
 * page payload). An administrator's grant gives the identified keys back; an administrator sees them.
 */
const DATA = mkdtempSync(path.join(os.tmpdir(), "nac-research-pseudonyms-"));
process.env.NEXTAUTH_SECRET = "research-pseudonyms-test-secret-32-chars";
process.env.NAC_DATA_DIR = DATA;
process.env.NAC_STORAGE_DIR = path.join(DATA, "storage");
delete process.env.NAC_DEID_SALT;

const jar = vi.hoisted(() => ({ cookie: "" }));
vi.mock("next/headers", async () => (await import("./testdata/next-headers-mock")).nextHeadersFrom(jar));

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const route = async (rel: string, method = "GET") =>
  ((await import(path.resolve("app/api", rel, "route.ts"))) as Record<string, Handler>)[method];

const KEYS = ["SITE-0042", "SITE-0043"];
const NAMES = ["Doe^Jane", "Roe^Mary"];

describe(`researchers see cohorts, feature tables, failures and experiments pseudonymised (${testBackend()})`, () => {
  let db: Database;
  const ids: Record<string, string> = {};
  let cohortId: string;
  let extractionId: string;
  let experimentId: string;
  let pseudonyms: string[];

  async function signedIn(username: string): Promise<string> {
    const sid = await createSession(db.prisma, ids[username], "credentials");
    return `next-auth.session-token=${await encode({ token: { sub: ids[username], sid, username }, secret: process.env.NEXTAUTH_SECRET! })}`;
  }
  async function call(rel: string, cookie: string, params: Record<string, string>) {
    const res = await (
      await route(rel)
    )(new NextRequest(`http://localhost/api/${rel}`, { headers: { cookie } }), { params: Promise.resolve(params) });
    expect(res.status, rel).toBe(200);
    return res;
  }
  async function pageElement(
    file: string,
    params: Record<string, string>,
    cookie: string,
  ): Promise<ReactElement<Record<string, unknown>>> {
    jar.cookie = cookie;
    const Page = (
      (await import(path.resolve(file))) as {
        default: (p: { params: Promise<Record<string, string>> }) => Promise<ReactElement<Record<string, unknown>>>;
      }
    ).default;
    return Page({ params: Promise.resolve(params) });
  }
  const renderPage = async (file: string, params: Record<string, string>, cookie: string) =>
    renderToStaticMarkup(await pageElement(file, params, cookie));
  /** Everything a reader got, with no identified key or name in it, and every pseudonym there. */
  function expectPseudonymised(text: string, what: string) {
    for (const k of [...KEYS, ...NAMES]) expect(text.includes(k), `${what} names ${k}`).toBe(false);
    for (const p of pseudonyms) expect(text, what).toContain(p);
  }
  function expectIdentified(text: string, what: string) {
    for (const k of KEYS) expect(text, what).toContain(k);
    for (const p of pseudonyms) expect(text.includes(p), `${what} shows ${p}`).toBe(false);
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    useDatabase(db);
    for (const [username, role] of [
      ["res", "researcher"],
      ["adm", "admin"],
    ] as const) {
      ids[username] = (
        await db.prisma.user.create({ data: { username, displayName: username, role, passwordHash: "x" } })
      ).id;
    }
    const salt = loadOrCreateDeidSalt(DATA);
    pseudonyms = KEYS.map((k) => pseudonymOf(k, salt));
    const patients = await Promise.all(
      KEYS.map((k, i) => db.prisma.patient.create({ data: { patientKey: k, displayName: NAMES[i] } })),
    );
    const cohort = await db.prisma.cohort.create({
      data: { name: "pseudo", periMarginMm: 5, periShellMode: "dilation" },
    });
    cohortId = cohort.id;
    for (const p of patients) await db.prisma.cohortPatient.create({ data: { cohortId, patientId: p.id } });
    const ext = await db.prisma.extraction.create({
      data: {
        cohortId,
        spec: { version: 1, roles: ["CE_T1"], regions: ["intra"], extractors: ["handcrafted"] },
        specHash: "h",
        total: 2,
      },
    });
    extractionId = ext.id;
    const fs = await db.prisma.featureSet.create({
      data: {
        contentHash: "c0",
        region: "intra",
        extractor: "radiomics",
        extractorVersion: "1",
        parametersHash: "p",
        parameters: {},
        values: { values: { firstorder_Mean: 1.5 } },
        provenance: {},
      },
    });
    await db.prisma.extractionItem.create({
      data: {
        extractionId,
        patientId: patients[0].id,
        role: "CE_T1",
        region: "intra",
        extractor: "handcrafted",
        status: "done",
        featureSetId: fs.id,
      },
    });
    await db.prisma.extractionItem.create({
      data: {
        extractionId,
        patientId: patients[1].id,
        role: "CE_T1",
        region: "intra",
        extractor: "handcrafted",
        status: "failed",
        error: `mask of ${KEYS[1]} is empty`,
        finishedAt: new Date(),
      },
    });
    await db.prisma.extractionItem.create({
      data: {
        extractionId,
        patientId: patients[0].id,
        role: "T2",
        region: "intra",
        extractor: "handcrafted",
        status: "failed",
        error: `no voxels`,
        finishedAt: new Date(),
      },
    });
    const exp = await db.prisma.experiment.create({
      data: {
        name: "e",
        status: "succeeded",
        config: { endpoints: ["pcr"] },
        tableSha256: "0".repeat(64),
        tableStorageKey: "k",
        tableSummary: { rows: 2 },
        engineVersions: {},
        summary: { featureSets: [{ name: "fs", columns: 1 }], skipped: [] },
      },
    });
    experimentId = exp.id;
    const metric = { mean: 0.5, sd: 0, min: 0.5, max: 0.5, ciLower: 0.5, ciUpper: 0.5 };
    await db.prisma.experimentResult.create({
      data: {
        experimentId,
        featureSet: "fs",
        endpoint: "pcr",
        label: "fs",
        nRows: 2,
        nPositive: 1,
        nFeatures: 1,
        config: { partitions: 1, threshold: 0.5 },
        selector: {},
        metrics: { balancedAccuracy: metric, auc: metric },
        roc: { fpr: [0, 1], tpr: [0, 1], tprSd: [0, 0] },
        calibration: {},
        selection: { selectionFrequency: [], mrmrFrequency: [] },
        partitions: [{ index: 0, testRowIds: KEYS, testProbabilities: [0.4, 0.6], metrics: {} }],
        elapsedMs: 1,
      },
    });
  });
  afterAll(async () => db?.close());

  it("the cohort overview API and the cohort page", async () => {
    const res = await signedIn("res");
    const ov = (await (await call("cohorts/[cohortId]", res, { cohortId })).json()).cohort as {
      patients: { patientKey: string; displayName: string }[];
    };
    expect(ov.patients.map((p) => p.patientKey).sort()).toEqual([...pseudonyms].sort());
    expect(ov.patients.every((p) => p.displayName === p.patientKey)).toBe(true);
    expectPseudonymised(JSON.stringify(ov), "cohort API");
    expectPseudonymised(
      await renderPage("app/(clinical)/cohorts/[cohortId]/page.tsx", { cohortId }, res),
      "cohort page",
    );
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "cohort.view", userId: ids.res },
      orderBy: { at: "desc" },
    });
    expect(audit.details).toMatchObject({ identified: false });
  });

  it("the feature-table CSV export", async () => {
    const csv = await (
      await call("extractions/[extractionId]/features", await signedIn("res"), { extractionId })
    ).text();
    expect(csv.split("\n")[0]).toMatch(/^patient_id,/);
    expect(
      csv
        .split("\n")
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(",")[0])
        .sort(),
    ).toEqual([...pseudonyms].sort());
    expectPseudonymised(csv, "feature CSV");
  });

  it("the extraction's failure list, message included", async () => {
    const p = (await (await call("extractions/[extractionId]", await signedIn("res"), { extractionId })).json())
      .progress as { failures: { patientKey: string; error: string }[] };
    expect(p.failures.map((f) => f.patientKey).sort()).toEqual([...pseudonyms].sort());
    expect(p.failures.find((f) => f.patientKey === pseudonyms[1])!.error).toBe(`mask of ${pseudonyms[1]} is empty`);
    expectPseudonymised(JSON.stringify(p), "failure list");
  });

  it("an experiment's test partitions (API and the page's payload)", async () => {
    const res = await signedIn("res");
    const e = await (await call("experiments/[experimentId]", res, { experimentId })).json();
    expect(e.runs[0].partitions[0].testRowIds).toEqual(pseudonyms);
    expectPseudonymised(JSON.stringify(e), "experiment API");
    // the page hands the experiment to a client component: its props are what the browser receives
    const el = await pageElement("app/(research)/experiments/[experimentId]/page.tsx", { experimentId }, res);
    expectPseudonymised(JSON.stringify(el.props), "experiment page");
  });

  it("a cohort import's UID-conflict problem names the patient already stored by its pseudonym", async () => {
    installNodeCodecWasm();
    const src = path.resolve("lib/testdata/breast_mri_ucsf_br_06/image_dce_pe1");
    const names = readdirSync(src).sort().slice(0, 3);
    const store = new FileStore(process.env.NAC_STORAGE_DIR!);
    const imported = await importDicomFiles(
      { prisma: db.prisma, store },
      names.map((n) => ({ name: n, bytes: new Uint8Array(readFileSync(path.join(src, n))) })),
    );
    const folder = (await db.prisma.patient.findUniqueOrThrow({ where: { id: imported.series[0].patientId } }))
      .patientKey;
    // the same images already stored under another site ID (as after a re-keyed import)
    const stored = "SITE-0099";
    await db.prisma.patient.update({ where: { id: imported.series[0].patientId }, data: { patientKey: stored } });
    const dir = mkdtempSync(path.join(os.tmpdir(), "nac-cohort-conflict-"));
    mkdirSync(path.join(dir, folder, "CE-T1"), { recursive: true });
    for (const n of names) copyFileSync(path.join(src, n), path.join(dir, folder, "CE-T1", n));
    const salt = loadOrCreateDeidSalt(DATA);
    const reasons = async (identified: boolean) =>
      (await validateCohortFolder({ prisma: db.prisma, store, view: { identified, salt } }, dir)).patients
        .flatMap((p) => p.problems)
        .filter((p) => p.kind === "uid_conflict")
        .map((p) => p.reason)
        .join("\n");
    const seenByResearcher = await reasons(false);
    expect(seenByResearcher).toContain(pseudonymOf(stored, salt));
    expect(seenByResearcher).not.toContain(stored);
    expect(await reasons(true)).toContain(`(stored for ${stored})`);
  });

  it("an administrator's grant, and an administrator, see the identified keys", async () => {
    await setGrant(db.prisma, "res", "phi.identified.read", true, { userId: ids.adm, username: "adm" });
    for (const who of ["res", "adm"]) {
      const cookie = await signedIn(who);
      expectIdentified(
        JSON.stringify((await (await call("cohorts/[cohortId]", cookie, { cohortId })).json()).cohort),
        `${who} cohort API`,
      );
      expectIdentified(
        await (await call("extractions/[extractionId]/features", cookie, { extractionId })).text(),
        `${who} feature CSV`,
      );
      expectIdentified(
        JSON.stringify(await (await call("extractions/[extractionId]", cookie, { extractionId })).json()),
        `${who} failures`,
      );
      expectIdentified(
        JSON.stringify(await (await call("experiments/[experimentId]", cookie, { experimentId })).json()),
        `${who} experiment`,
      );
      expect(await renderPage("app/(clinical)/cohorts/[cohortId]/page.tsx", { cohortId }, cookie)).toContain(KEYS[0]);
    }
    await setGrant(db.prisma, "res", "phi.identified.read", false, { userId: ids.adm, username: "adm" });
    expectPseudonymised(
      JSON.stringify((await (await call("cohorts/[cohortId]", await signedIn("res"), { cohortId })).json()).cohort),
      "after the grant is revoked",
    );
  });
});
