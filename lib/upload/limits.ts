import { NacError } from "../errors";

/**
 * Upload limits, enforced while the bytes stream in (never after buffering them): a request over a limit is refused
 * with 413 naming the limit, before it can fill memory or disk. Overridable per deployment with NAC_UPLOAD_* (MB).
 *
 * - request: the whole multipart body as sent (what the import route writes to its temp folder).
 * - file: one file as stored, i.e. one part, or one zip entry once inflated (a large multi-frame DICOM fits).
 * - inflated: all files of one request once zips are unpacked (the import holds them in memory to check the series).
 * - files: parts plus zip entries.
 * - ratio: inflated / compressed size of one zip entry over 1 MB (DICOM deflates 2-10x; a bomb 1000x).
 */
export interface UploadLimits {
  maxRequestBytes: number;
  maxFileBytes: number;
  maxInflatedBytes: number;
  maxFiles: number;
  maxRatio: number;
}

const MB = 1024 * 1024;

export function uploadLimits(env: NodeJS.ProcessEnv = process.env): UploadLimits {
  const mb = (name: string, dflt: number) => {
    const v = env[name];
    if (v === undefined || v === "") return dflt * MB;
    if (!/^\d+$/.test(v) || Number(v) < 1)
      throw new NacError("SETTINGS_INVALID", `${name} must be a whole number of megabytes, got "${v}"`);
    return Number(v) * MB;
  };
  return {
    maxRequestBytes: mb("NAC_UPLOAD_MAX_REQUEST_MB", 512),
    maxFileBytes: mb("NAC_UPLOAD_MAX_FILE_MB", 256),
    maxInflatedBytes: mb("NAC_UPLOAD_MAX_INFLATED_MB", 1024),
    maxFiles: 10_000,
    maxRatio: 200,
  };
}

export function formatBytes(n: number): string {
  return n >= 1024 * MB ? `${+(n / (1024 * MB)).toFixed(2)} GB` : `${+(n / MB).toFixed(1)} MB`;
}

export function tooLarge(what: string, limit: number | string): NacError {
  const l = typeof limit === "number" ? formatBytes(limit) : limit;
  return new NacError(
    "PAYLOAD_TOO_LARGE",
    `${what} (limit ${l}); import larger sets in parts or with \`npm run nac -- import\``,
    { limit },
  );
}
