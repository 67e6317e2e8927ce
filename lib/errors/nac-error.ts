/**
 * One error taxonomy for the whole product. Every failure the engines or routes report is a NacError with a
 * stable machine code (never renamed once released), an HTTP status for the API edge, and a message a person can act on.
 * Routes map NacError -> { error: { code, message } } with `status`; anything else becomes 500 INTERNAL without details.
 */
export const ERROR_CODES = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA: 415,
  /** A UID (study, series, SOP instance) that already belongs to another patient, study or series. */
  UID_CONFLICT: 409,
  // Imaging
  DICOM_MALFORMED: 422,
  DICOM_UNSUPPORTED: 422,
  SERIES_INCONSISTENT: 422,
  IMAGE_FORMAT_INVALID: 422,
  GEOMETRY_MISMATCH: 422,
  MASK_EMPTY: 422,
  /** Two series without a shared DICOM frame of reference (e.g. MR and CT): patient coordinates do not correspond. */
  FRAME_OF_REFERENCE_MISMATCH: 422,
  /** An RTSTRUCT with several contoured ROIs uploaded without choosing one; details.rois lists them. */
  RTSTRUCT_ROI_CHOICE_REQUIRED: 409,
  // Feature engines
  FEATURE_NOT_COMPUTABLE: 422,
  SETTINGS_INVALID: 400,
  MODEL_INVALID: 422,
  CHECKPOINT_INVALID: 422,
  DATA_INVALID: 422,
  NOT_FITTED: 409,
  /** The patient lacks inputs the model bundle requires: predict only on an explicit "predict anyway". */
  PREDICTION_INCOMPLETE: 409,
  // PACS (DICOMweb data source): 502/504, never 401/403, which would read as the user's own session failing
  PACS_NOT_CONFIGURED: 409,
  PACS_UNREACHABLE: 502,
  PACS_TIMEOUT: 504,
  PACS_UNAUTHORIZED: 502,
  PACS_FORBIDDEN: 502,
  PACS_NOT_FOUND: 404,
  PACS_BAD_RESPONSE: 502,
  PACS_PARTIAL: 502,
  // Infrastructure
  STORAGE_FAILED: 500,
  /** A stored file whose bytes no longer match the sha256 recorded with its row. */
  STORAGE_CORRUPT: 500,
  DATABASE_FAILED: 500,
  MIGRATION_FAILED: 500,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class NacError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NacError";
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = details;
  }
}

export function isNacError(e: unknown): e is NacError {
  return e instanceof NacError;
}
