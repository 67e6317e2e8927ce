/**
 * Response schemas of the API, in one place: routes declare theirs (apiRoute `response`, checked before answering),
 * components read answers through fetchJson(url, schema), and pages read stored JSON with them instead of casting.
 * Objects are open (`looseObject`): a schema names what its readers rely on, and a field added later breaks no one.
 */
import { z } from "zod";

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
  contributions: z.array(z.looseObject({ feature: z.string(), words: z.string(), value: z.number() })),
  /** How the probability was calibrated (absent before calibration existed). */
  calibration: z.enum(["platt", "isotonic"]).nullable().optional(),
});
export const storedOutputsSchema = z.looseObject({ endpoints: z.record(z.string(), storedEndpointSchema) });

/** predictions.inputs: the ROIs a prediction used (the report's key images). */
export const storedInputsSchema = z.looseObject({
  rois: z.array(z.looseObject({ role: z.string(), seriesId: z.string(), roiId: z.string() })).optional(),
});

/** predictions.warnings. */
export const storedWarningsSchema = z.array(z.string());

/** Answers that only need to be an object (write-backs, verification): readers pick their fields with a describe(). */
export const objectResponse = z.looseObject({});
