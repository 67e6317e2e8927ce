/**
 * Response schemas of the API, in one place: routes declare theirs (apiRoute `response`, checked before answering),
 * components read answers through fetchJson(url, schema), and pages read stored JSON with them instead of casting.
 * Objects are open (`looseObject`): a schema names what its readers rely on, and a field added later breaks no one.
 */
import { z } from "zod";
import { MeasurementSet } from "../measurements/measurement-set";

/** Every failed request: app/_server/api-route.ts errorResponse (lib/errors codes). */
export const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** POST/GET /api/patients/:id/clinical. */
export const clinicalRecordResponse = z.looseObject({
  record: z
    .looseObject({ id: z.string(), version: z.number().int().positive(), values: z.record(z.string(), z.unknown()) })
    .nullable(),
});

/** predictions.outputs as stored by Predict and read by the report and the patient page. */
export const storedEndpointSchema = z.looseObject({
  probability: z.number(),
  spread: z.looseObject({ mean: z.number(), sd: z.number(), min: z.number(), max: z.number(), n: z.number() }),
  contributions: z.array(
    z.looseObject({
      feature: z.string(),
      words: z.string(),
      value: z.number(),
      input: z.number().nullable().optional(),
      imputed: z.string().optional(),
    }),
  ),
  /** How the probability was calibrated (absent before calibration existed). */
  calibration: z.enum(["platt", "isotonic"]).nullable().optional(),
  uncalibratedProbability: z.number().optional(),
});
export const storedOutputsSchema = z.looseObject({ endpoints: z.record(z.string(), storedEndpointSchema) });

/** What a prediction used, in the patient's terms (lib/pipeline/predict/inputs-used.ts; absent in older predictions). */
export const storedInputsUsedSchema = z.looseObject({
  series: z.array(
    z.looseObject({
      role: z.string(),
      label: z.string(),
      absent: z.string().optional(),
      seriesId: z.string().optional(),
      description: z.string().nullable().optional(),
      roiId: z.string().optional(),
      roiVersion: z.number().optional(),
      volumeMl: z.number().optional(),
      longestDiameterMm: z.number().optional(),
      longestInPlaneDiameterMm: z.number().optional(),
      longestAxialDiameterMm: z.number().optional(),
    }),
  ),
  clinical: z
    .looseObject({
      recordId: z.string(),
      version: z.number(),
      variables: z.array(z.looseObject({ name: z.string(), words: z.string(), missing: z.string().optional() })),
    })
    .nullable(),
  clinicalVariables: z.array(z.string()),
  required: z.looseObject({ seriesRoles: z.array(z.string()), clinicalRecord: z.boolean() }),
  incomplete: z.array(z.string()),
});

const similarCaseSchema = z.looseObject({
  rank: z.number(),
  distance: z.number(),
  outcomes: z.record(z.string(), z.union([z.literal(0), z.literal(1)])),
  features: z.array(z.looseObject({ feature: z.string(), value: z.number().nullable() })),
});

/** The series' acquisition parameters against the bundle's training distribution (lib/pipeline/predict). */
export const storedAcquisitionCheckSchema = z.looseObject({
  checked: z.boolean(),
  reason: z.string().optional(),
  trainingSource: z.string().optional(),
  series: z.array(
    z.looseObject({
      role: z.enum(["CE-T1", "T2", "CT"]),
      manufacturer: z.string().optional(),
      fieldStrengthT: z.number().optional(),
      pixelSpacingMm: z.number().optional(),
      sliceThicknessMm: z.number().optional(),
      contrastDelayS: z.number().optional(),
    }),
  ),
  warnings: z.array(z.string()),
});

/** predictions.outputs read whole (the patient page): both endpoints and what the prediction stored beside them. */
export const storedPredictionOutputsSchema = z.looseObject({
  endpoints: z.looseObject({ pcr: storedEndpointSchema, response: storedEndpointSchema }),
  inputsUsed: storedInputsUsedSchema.optional(),
  similarCases: z
    .looseObject({ pcr: z.array(similarCaseSchema), response: z.array(similarCaseSchema) })
    .nullable()
    .optional(),
  acquisition: storedAcquisitionCheckSchema.optional(),
});

/** predictions.inputs: the ROIs a prediction used (the report's key images). */
export const storedInputsSchema = z.looseObject({
  rois: z.array(z.looseObject({ role: z.string(), seriesId: z.string(), roiId: z.string() })).optional(),
});

/** predictions.warnings. */
export const storedWarningsSchema = z.array(z.string());

/** Answers that only need to be an object (write-backs, verification): readers pick their fields with a describe(). */
export const objectResponse = z.looseObject({});

/** POST /api/users/:id/password: the new password, shown once. */
export const passwordResetResponse = z.looseObject({
  username: z.string(),
  password: z.string(),
  generated: z.boolean(),
});

/** POST /api/pacs/sources. */
export const pacsSourceSavedResponse = z.looseObject({ source: z.looseObject({ id: z.string(), name: z.string() }) });

/** GET /api/pacs/studies: the matching studies of one source (DICOMweb QIDO-RS). */
export const pacsStudySchema = z.looseObject({
  studyInstanceUid: z.string(),
  patientId: z.string().nullable(),
  patientName: z.string().nullable(),
  birthDate: z.string().nullable(),
  studyDate: z.string().nullable(),
  accessionNumber: z.string().nullable(),
  description: z.string().nullable(),
  modalities: z.array(z.string()),
  instanceCount: z.number().nullable(),
});
export const pacsStudiesResponse = z.looseObject({
  source: z.looseObject({ id: z.string(), name: z.string() }),
  studies: z.array(pacsStudySchema),
});

/** POST /api/pacs/imports and GET /api/pacs/imports/:id: one import's progress. */
export const pacsImportResponse = z.looseObject({
  import: z.looseObject({
    id: z.string(),
    status: z.enum(["queued", "fetching", "importing", "succeeded", "failed"]),
    total: z.number(),
    fetched: z.number(),
    skipped: z.number(),
    imported: z.number(),
    error: z.looseObject({ code: z.string(), message: z.string() }).nullable(),
    patientIds: z.array(z.string()),
    resumable: z.boolean(),
  }),
});

/** POST /api/board/sessions. */
export const boardSessionCreatedResponse = z.looseObject({
  session: z.looseObject({ id: z.string(), title: z.string() }),
});

/** POST /api/models/import. */
export const modelImportResponse = z.looseObject({
  id: z.string(),
  bundleId: z.string(),
  version: z.string(),
  action: z.enum(["registered", "exists"]),
});

/** POST /api/predictions/:id/verify: the replay's verdict. */
export const predictionVerifyResponse = z.object({
  predictionId: z.string(),
  patientId: z.string(),
  identical: z.boolean(),
  firstDifference: z.string().nullable(),
  compared: z.array(z.string()),
});

/** GET /api/predictions/:id/status: what changed since the prediction (versions only). */
export const predictionStatusResponse = z.object({
  predictionId: z.string(),
  outdated: z.boolean(),
  changes: z.array(z.string()),
});

/** POST /api/patients/:id/outcome. */
export const outcomeSavedResponse = z.looseObject({
  outcome: z.looseObject({ version: z.number().int().positive(), response: z.number().int().nullable() }),
});

/** POST /api/experiments/tables: the uploaded table and what it offers for feature sets. */
export const tableUploadResponse = z.looseObject({
  sha256: z.string(),
  summary: z.looseObject({
    rows: z.number(),
    columns: z.number(),
    outcomes: z.record(z.string(), z.looseObject({ positive: z.number(), negative: z.number(), unknown: z.number() })),
    offers: z.looseObject({
      extractors: z.array(
        z.looseObject({
          extractor: z.string(),
          count: z.number(),
          modalities: z.array(z.string()),
          regions: z.array(z.string()),
        }),
      ),
      clinical: z.number(),
      other: z.number(),
    }),
  }),
});

/** POST /api/experiments. */
export const experimentStartedResponse = z.looseObject({ experimentId: z.string() });

/** GET /api/experiments/:id?view=status (polled while it runs). */
export const experimentStatusResponse = z.looseObject({
  status: z.enum(["queued", "running", "succeeded", "failed"]),
  progress: z.number(),
  progressNote: z.string().nullable(),
  error: z.string().nullable(),
});

/** POST /api/experiments/:id/register. */
export const modelRegisteredResponse = z.looseObject({ id: z.string(), bundleId: z.string(), version: z.string() });

/** POST /api/cohorts/:id/extractions. */
export const extractionStartedResponse = z.looseObject({ extractionId: z.string() });

/** GET /api/extractions/:id: live progress of a cohort extraction. */
export const extractionProgressResponse = z.looseObject({
  progress: z.looseObject({
    extractionId: z.string(),
    extractors: z.array(z.string()),
    total: z.number(),
    done: z.number(),
    cached: z.number(),
    absent: z.number(),
    failed: z.number(),
    running: z.number(),
    queued: z.number(),
    ratePerMinute: z.number().nullable(),
    etaSeconds: z.number().nullable(),
    failures: z.array(
      z.looseObject({
        itemId: z.string(),
        patientKey: z.string(),
        role: z.string(),
        region: z.string(),
        extractor: z.string(),
        error: z.string(),
      }),
    ),
  }),
});

/** A cohort folder's validation report as the import panel shows it (lib/pipeline/cohort/import.ts). */
export const cohortReportSchema = z.looseObject({
  dir: z.string(),
  settings: z.looseObject({ periMarginMm: z.number(), periShellMode: z.string() }),
  counts: z.looseObject({
    patients: z.number(),
    valid: z.number(),
    incomplete: z.number(),
    invalid: z.number(),
    problems: z.number(),
  }),
  problems: z.array(
    z.looseObject({
      patient: z.string().nullable(),
      file: z.string().nullable(),
      kind: z.string(),
      severity: z.enum(["error", "incomplete", "warning"]),
      reason: z.string(),
    }),
  ),
});
const cohortImportedSchema = z.looseObject({ cohortId: z.string() }).nullable();

/** POST /api/cohorts/upload and POST /api/cohorts/import (in the foreground): the report, and what was imported. */
export const cohortImportAnswerResponse = z.looseObject({ report: cohortReportSchema, imported: cohortImportedSchema });

/** POST /api/cohorts/import: the answer in the foreground, or the background job to poll. */
export const cohortImportResponse = z.union([cohortImportAnswerResponse, z.looseObject({ jobId: z.string() })]);

/** GET /api/cohorts/import/jobs/:id. */
export const cohortImportJobResponse = z.looseObject({
  job: z.looseObject({
    jobId: z.string(),
    status: z.enum(["running", "succeeded", "failed"]),
    phase: z.enum(["validating", "importing", "finished"]),
    done: z.number(),
    total: z.number(),
    progress: z.number(),
    report: cohortReportSchema.nullable(),
    imported: cohortImportedSchema,
    error: z.looseObject({ code: z.string(), message: z.string() }).nullable(),
  }),
});

/** GET /api/cohorts/import-root: the folders an administrator put under the import root. */
export const importRootResponse = z.looseObject({
  configured: z.boolean(),
  folders: z.array(z.looseObject({ name: z.string(), patients: z.number(), hasClinicalCsv: z.boolean() })),
});

/** POST /api/patients/:id/predict: the new prediction as the predict panel shows it. */
export const predictionResponse = storedPredictionOutputsSchema.extend({
  predictionId: z.string(),
  createdAt: z.string(),
  model: z.looseObject({
    bundleId: z.string(),
    name: z.string(),
    version: z.string(),
    isDemo: z.boolean(),
    label: z.string(),
  }),
  warnings: z.array(z.string()),
  timings: z.looseObject({ totalMs: z.number() }).optional(),
});

/** A timestamp as the client reads it: routes hand Prisma's Date to the check, JSON carries the ISO string. */
const isoTimestamp = z.union([z.string(), z.date().transform((d) => d.toISOString())]);

/** One ROI version as the viewer's history lists it. */
export const roiVersionSchema = z.looseObject({
  id: z.string(),
  version: z.number(),
  source: z.string(),
  voxelCount: z.number(),
  volumeMm3: z.number(),
  createdAt: isoTimestamp,
  author: z.looseObject({ username: z.string(), displayName: z.string() }).nullable().optional(),
});

/** GET /api/series/:id/rois: the series' ROI versions, newest first. */
export const roiListResponse = z.looseObject({ rois: z.array(roiVersionSchema) });

/** POST /api/series/:id/rois, .../rois/upload and /api/rois/:id/carry: the saved version and its size. */
export const roiSavedResponse = z.looseObject({
  roi: z.looseObject({ id: z.string(), version: z.number() }),
  stats: z.looseObject({ voxelCount: z.number(), volumeMm3: z.number() }),
});

/** 409 RTSTRUCT_ROI_CHOICE_REQUIRED: the ROI names of an RTSTRUCT holding several. */
export const rtstructChoiceDetails = z.looseObject({
  rois: z.array(z.looseObject({ number: z.number(), name: z.string() })),
});

/** GET and PUT /api/series/:id/measurements: the series' measurement set. */
export const measurementSetResponse = z.looseObject({ measurements: MeasurementSet });
