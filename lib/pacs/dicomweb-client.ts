/**
 * A DICOMweb client (QIDO-RS search, WADO-RS metadata/frames/instances, STOW-RS store) over `fetch`, with a timeout
 * on every call (headers and body) and one clear NacError per failure: unreachable, slow, 401, 403, not found, a body
 * cut short, a non-DICOMweb answer. Framework-free and browser-safe, but in the product it runs on the server only:
 * the PACS credentials never reach a browser (the viewer reads through the same-origin proxy route).
 *
 * Why not `dicomweb-client` (DCMJS): it is built on XMLHttpRequest, which Node does not have (our calls are made by the
 * server, which holds the credentials), it offers no per-request timeout or abort, and it reports failures as bare
 * XHR status codes; what it would save us (URL building and multipart parsing, ~100 lines here, see multipart.ts) is
 * less than a polyfill and an error-mapping layer around it would cost.
 */
import { NacError } from "../errors";
import { T, num, str, type DicomJson } from "./dicom-json";
import { buildMultipart, parseMultipart } from "./multipart";

export type DicomWebAuth =
  { kind: "none" } | { kind: "basic"; username: string; password: string } | { kind: "bearer"; token: string };

export interface DicomWebConfig {
  /** DICOMweb root, e.g. https://pacs.example.org/dicom-web (no trailing slash needed) */
  baseUrl: string;
  auth: DicomWebAuth;
  /** per call, for the answer's headers and its whole body */
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface StudyQuery {
  patientId?: string;
  /** matched anywhere in the name, case-insensitively (as `*term*`) unless it contains a wildcard itself */
  patientName?: string;
  /** YYYYMMDD */
  birthDate?: string;
  /** YYYYMMDD or a range YYYYMMDD-YYYYMMDD */
  studyDate?: string;
  modality?: string;
  accessionNumber?: string;
  limit?: number;
}

export interface PacsStudy {
  studyInstanceUid: string;
  patientId: string | null;
  patientName: string | null;
  birthDate: string | null;
  sex: string | null;
  studyDate: string | null;
  accessionNumber: string | null;
  description: string | null;
  modalities: string[];
  seriesCount: number | null;
  instanceCount: number | null;
}

export interface PacsSeries {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  modality: string | null;
  description: string | null;
  seriesNumber: number | null;
  instanceCount: number | null;
}

export interface StowResult {
  stored: string[];
  /** SOP instance UID -> failure reason code (PS3.18 Table 10.6.1-4) */
  failed: { sopInstanceUid: string; reason: number | null }[];
}

const INCLUDE_STUDY = [
  T.PatientBirthDate,
  T.PatientSex,
  T.StudyDescription,
  T.ModalitiesInStudy,
  T.NumberOfStudyRelatedSeries,
  T.NumberOfStudyRelatedInstances,
];
const INCLUDE_SERIES = [T.SeriesDescription, T.SeriesNumber, T.NumberOfSeriesRelatedInstances];

export function toPacsStudy(ds: DicomJson): PacsStudy {
  const modalities = (ds[T.ModalitiesInStudy]?.Value ?? []).map(String).filter(Boolean);
  return {
    studyInstanceUid: str(ds, T.StudyInstanceUID) ?? "",
    patientId: str(ds, T.PatientID) ?? null,
    patientName: str(ds, T.PatientName) ?? null,
    birthDate: str(ds, T.PatientBirthDate) ?? null,
    sex: str(ds, T.PatientSex) ?? null,
    studyDate: str(ds, T.StudyDate) ?? null,
    accessionNumber: str(ds, T.AccessionNumber) ?? null,
    description: str(ds, T.StudyDescription) ?? null,
    modalities,
    seriesCount: num(ds, T.NumberOfStudyRelatedSeries) ?? null,
    instanceCount: num(ds, T.NumberOfStudyRelatedInstances) ?? null,
  };
}

function toPacsSeries(ds: DicomJson): PacsSeries {
  return {
    studyInstanceUid: str(ds, T.StudyInstanceUID) ?? "",
    seriesInstanceUid: str(ds, T.SeriesInstanceUID) ?? "",
    modality: str(ds, T.Modality) ?? null,
    description: str(ds, T.SeriesDescription) ?? null,
    seriesNumber: num(ds, T.SeriesNumber) ?? null,
    instanceCount: num(ds, T.NumberOfSeriesRelatedInstances) ?? null,
  };
}

const UID = /^[0-9]+(\.[0-9]+)*$/;
export function assertUid(uid: string, what: string): string {
  if (!UID.test(uid) || uid.length > 64) throw new NacError("VALIDATION_FAILED", `${what} is not a DICOM UID`);
  return uid;
}

export class DicomWebClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  constructor(private readonly config: DicomWebConfig) {
    this.base = config.baseUrl.replace(/\/+$/, "");
    this.doFetch = config.fetch ?? fetch;
  }

  private authHeader(): Record<string, string> {
    const a = this.config.auth;
    if (a.kind === "basic") return { authorization: `Basic ${btoa(`${a.username}:${a.password}`)}` };
    if (a.kind === "bearer") return { authorization: `Bearer ${a.token}` };
    return {};
  }

  private host(): string {
    try {
      return new URL(this.base).host;
    } catch {
      return this.base;
    }
  }

  /**
   * One call, with the timeout covering the body too. Answers the response with its body read, or throws a NacError
   * that names the PACS and says what to do.
   */
  async request(
    path: string,
    init: { method?: string; accept: string; body?: Uint8Array; contentType?: string; signal?: AbortSignal },
  ): Promise<{ status: number; contentType: string; body: Uint8Array }> {
    const res = await this.open(path, init);
    try {
      const body = new Uint8Array(await res.response.arrayBuffer());
      return { status: res.response.status, contentType: res.response.headers.get("content-type") ?? "", body };
    } catch (e) {
      throw this.transportError(e, res.timedOut());
    } finally {
      res.done();
    }
  }

  /**
   * The response with its body unread (for the proxy route, which streams it on); `done` must be called when the body
   * is consumed or abandoned. The timeout keeps running while the body streams.
   */
  async open(
    path: string,
    init: { method?: string; accept: string; body?: Uint8Array; contentType?: string; signal?: AbortSignal },
  ) {
    const ctl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, this.config.timeoutMs);
    const onAbort = () => ctl.abort();
    init.signal?.addEventListener("abort", onAbort);
    const done = () => {
      clearTimeout(timer);
      init.signal?.removeEventListener("abort", onAbort);
    };
    let response: Response;
    try {
      response = await this.doFetch(`${this.base}${path}`, {
        method: init.method ?? "GET",
        headers: {
          accept: init.accept,
          ...(init.contentType ? { "content-type": init.contentType } : {}),
          ...this.authHeader(),
        },
        body: init.body as BodyInit | undefined,
        signal: ctl.signal,
        redirect: "error",
      });
    } catch (e) {
      done();
      throw this.transportError(e, timedOut);
    }
    if (!response.ok) {
      done();
      await response.body?.cancel().catch(() => undefined);
      throw this.statusError(response.status, path);
    }
    return { response, done, timedOut: () => timedOut };
  }

  private transportError(e: unknown, timedOut: boolean): NacError {
    if (e instanceof NacError) return e;
    if (timedOut)
      return new NacError(
        "PACS_TIMEOUT",
        `the PACS (${this.host()}) did not answer within ${Math.round(this.config.timeoutMs / 100) / 10} s; try again, or ask an admin to raise the data source's timeout`,
      );
    const cause = (e as { cause?: { code?: string } })?.cause?.code ?? (e as { code?: string })?.code;
    if (cause === "ECONNRESET" || cause === "UND_ERR_SOCKET")
      return new NacError(
        "PACS_PARTIAL",
        `the connection to the PACS (${this.host()}) was lost in the middle of an answer`,
        { cause },
      );
    return new NacError(
      "PACS_UNREACHABLE",
      `the PACS (${this.host()}) is unreachable${cause ? ` (${cause})` : ""}: check that it is running and that this server may reach it`,
      { cause: cause ?? null },
    );
  }

  private statusError(status: number, path: string): NacError {
    if (status === 401)
      return new NacError(
        "PACS_UNAUTHORIZED",
        `the PACS (${this.host()}) refused NACpredict's credentials (401): an admin must check the data source's user name and password or token`,
      );
    if (status === 403)
      return new NacError(
        "PACS_FORBIDDEN",
        `the PACS (${this.host()}) does not allow NACpredict's account to do this (403): ask the PACS administrator for DICOMweb access`,
      );
    if (status === 404)
      return new NacError("PACS_NOT_FOUND", `not found on the PACS (${this.host()}): ${path.split("?")[0]}`);
    return new NacError(
      "PACS_BAD_RESPONSE",
      `the PACS (${this.host()}) answered HTTP ${status} to ${path.split("?")[0]}`,
      { status },
    );
  }

  private async json(path: string): Promise<DicomJson[]> {
    const r = await this.request(path, { accept: "application/dicom+json" });
    if (r.status === 204 || r.body.length === 0) return [];
    try {
      const out = JSON.parse(new TextDecoder().decode(r.body));
      if (!Array.isArray(out)) throw new Error("not an array");
      return out as DicomJson[];
    } catch (e) {
      throw new NacError(
        "PACS_BAD_RESPONSE",
        `the PACS (${this.host()}) answered something that is not DICOM JSON (${(e as Error).message})`,
      );
    }
  }

  /** QIDO-RS /studies */
  async searchStudies(q: StudyQuery): Promise<PacsStudy[]> {
    const p = new URLSearchParams();
    if (q.patientId) p.set("PatientID", q.patientId);
    if (q.patientName) p.set("PatientName", /[*?]/.test(q.patientName) ? q.patientName : `*${q.patientName}*`);
    if (q.birthDate) p.set("PatientBirthDate", q.birthDate);
    if (q.studyDate) p.set("StudyDate", q.studyDate);
    if (q.modality) p.set("ModalitiesInStudy", q.modality);
    if (q.accessionNumber) p.set("AccessionNumber", q.accessionNumber);
    p.set("limit", String(q.limit ?? 100));
    for (const f of INCLUDE_STUDY) p.append("includefield", f);
    return (await this.json(`/studies?${p}`)).map(toPacsStudy).filter((s) => s.studyInstanceUid);
  }

  /** QIDO-RS /studies/{study}/series */
  async searchSeries(studyUid: string): Promise<PacsSeries[]> {
    const p = new URLSearchParams();
    for (const f of INCLUDE_SERIES) p.append("includefield", f);
    return (await this.json(`/studies/${assertUid(studyUid, "study UID")}/series?${p}`)).map(toPacsSeries);
  }

  /** QIDO-RS /studies/{study}/series/{series}/instances: the SOP instance UIDs the PACS holds. */
  async searchInstances(
    studyUid: string,
    seriesUid: string,
  ): Promise<{ sopInstanceUid: string; sopClassUid: string | null }[]> {
    const rows = await this.json(
      `/studies/${assertUid(studyUid, "study UID")}/series/${assertUid(seriesUid, "series UID")}/instances?limit=100000`,
    );
    return rows
      .map((r) => ({ sopInstanceUid: str(r, T.SOPInstanceUID) ?? "", sopClassUid: str(r, T.SOPClassUID) ?? null }))
      .filter((r) => r.sopInstanceUid);
  }

  /** WADO-RS series metadata (one DICOM JSON object per instance, bulk data as URIs). */
  async seriesMetadata(studyUid: string, seriesUid: string): Promise<DicomJson[]> {
    return this.json(
      `/studies/${assertUid(studyUid, "study UID")}/series/${assertUid(seriesUid, "series UID")}/metadata`,
    );
  }

  /** WADO-RS frames, as stored (transfer-syntax=*): one byte array per frame number asked for. */
  async frames(studyUid: string, seriesUid: string, sopUid: string, frameNumbers: number[]): Promise<Uint8Array[]> {
    const path = `/studies/${assertUid(studyUid, "study UID")}/series/${assertUid(seriesUid, "series UID")}/instances/${assertUid(sopUid, "SOP instance UID")}/frames/${frameNumbers.join(",")}`;
    const r = await this.request(path, {
      accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*',
    });
    const parts = parseMultipart(r.body, r.contentType);
    if (parts.length !== frameNumbers.length) {
      throw new NacError(
        "PACS_PARTIAL",
        `the PACS answered ${parts.length} of ${frameNumbers.length} frames of instance ${sopUid}`,
      );
    }
    return parts.map((p) => p.body);
  }

  /** WADO-RS instance as a Part 10 file, exactly as the PACS stores it (transfer-syntax=*). */
  async instance(studyUid: string, seriesUid: string, sopUid: string, signal?: AbortSignal): Promise<Uint8Array> {
    const path = `/studies/${assertUid(studyUid, "study UID")}/series/${assertUid(seriesUid, "series UID")}/instances/${assertUid(sopUid, "SOP instance UID")}`;
    const r = await this.request(path, {
      accept: 'multipart/related; type="application/dicom"; transfer-syntax=*',
      signal,
    });
    const parts = parseMultipart(r.body, r.contentType);
    if (parts.length !== 1)
      throw new NacError("PACS_PARTIAL", `the PACS answered ${parts.length} files for instance ${sopUid}`);
    const f = parts[0].body;
    if (f.length < 132 || String.fromCharCode(...f.subarray(128, 132)) !== "DICM") {
      throw new NacError("PACS_BAD_RESPONSE", `instance ${sopUid} from the PACS is not a DICOM Part 10 file`);
    }
    return f;
  }

  /** STOW-RS: stores Part 10 files; throws PACS_PARTIAL when the PACS refused any of them. */
  async store(files: Uint8Array[], studyUid?: string): Promise<StowResult> {
    const mp = buildMultipart(
      files.map((body) => ({ contentType: "application/dicom", body })),
      "application/dicom",
    );
    const r = await this.request(`/studies${studyUid ? `/${assertUid(studyUid, "study UID")}` : ""}`, {
      method: "POST",
      accept: "application/dicom+json",
      body: mp.body,
      contentType: mp.contentType,
    });
    let ds: DicomJson = {};
    try {
      const parsed = r.body.length ? JSON.parse(new TextDecoder().decode(r.body)) : {};
      ds = (Array.isArray(parsed) ? parsed[0] : parsed) ?? {};
    } catch {
      throw new NacError("PACS_BAD_RESPONSE", "the PACS's STOW-RS answer is not DICOM JSON");
    }
    const seq = (tag: string) => (ds[tag]?.Value ?? []) as DicomJson[];
    const result: StowResult = {
      stored: seq("00081199")
        .map((x) => str(x, "00081155") ?? "")
        .filter(Boolean),
      failed: seq("00081198").map((x) => ({
        sopInstanceUid: str(x, "00081155") ?? "",
        reason: num(x, "00081197") ?? null,
      })),
    };
    if (result.failed.length || result.stored.length < files.length) {
      throw new NacError(
        "PACS_PARTIAL",
        `the PACS stored ${result.stored.length} of ${files.length} files${result.failed.length ? ` (failure reason ${result.failed[0].reason ?? "unknown"})` : ""}`,
        { ...result },
      );
    }
    return result;
  }
}
