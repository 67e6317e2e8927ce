import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { recordPacsRead } from "@/lib/pipeline/pacs/view";
import { pacsDeps } from "@/app/_server/pacs";

import { NacError } from "@/lib/errors";
import { pacsClient } from "@/lib/pipeline/pacs/sources";

export const dynamic = "force-dynamic";

const UID = "[0-9]+(?:\\.[0-9]+)*";
/** The reads the viewer needs (Cornerstone3D's WADO-RS loader), nothing else: metadata and frames of one series. */
const ALLOWED = [
  new RegExp(`^studies/(${UID})/series/(${UID})/metadata$`),
  new RegExp(`^studies/(${UID})/series/(${UID})/instances/(${UID})/metadata$`),
  new RegExp(`^studies/(${UID})/series/(${UID})/instances/(${UID})/frames/([0-9]{1,5}(?:,[0-9]{1,5}){0,99})$`),
];
const ACCEPT_DEFAULT = {
  metadata: "application/dicom+json",
  frames: 'multipart/related; type="application/octet-stream"; transfer-syntax=*',
};

/**
 * Same-origin DICOMweb proxy for the viewer: the session and role are checked here, the PACS credentials are added
 * here (the browser never holds them), only metadata and frame reads of a series pass, and every read is audited
 * (user, source, study, series, what). The answer streams through; the PACS's own errors become clear messages.
 */
export const GET = apiRoute(
  {
    permission: "pacs.read",
    params: z.object({ sourceId: z.string().uuid(), path: z.array(z.string().max(200)).min(1).max(10) }),
  },
  async ({ req, params, user }) => {
    const rel = params.path.join("/");
    const m = ALLOWED.map((r) => r.exec(rel)).find(Boolean);
    if (!m) throw new NacError("NOT_FOUND", "only series metadata and frames can be read through this route");
    const deps = await pacsDeps();
    const { source, client } = await pacsClient(deps, params.sourceId);
    const kind = rel.endsWith("metadata") ? "metadata" : "frames";
    // The loader asks for a transfer syntax; anything else (a browser typing the URL) gets the stored one.
    const accept = req.headers.get("accept")?.includes(kind === "frames" ? "multipart/related" : "json")
      ? req.headers.get("accept")!
      : ACCEPT_DEFAULT[kind];
    await recordPacsRead(deps.prisma, user, source.id, {
      studyInstanceUid: m[1],
      seriesInstanceUid: m[2],
      sopInstanceUid: m[3] ?? null,
      what: kind,
      frames: m[4] ?? null,
    });
    const res = await client.open(`/${rel}`, { accept, signal: req.signal });
    const body = res.response.body;
    if (!body) {
      res.done();
      return new Response(null, { status: 204 });
    }
    const passthrough = body.pipeThrough(new TransformStream({ flush: () => res.done() }));
    return new Response(passthrough, {
      status: res.response.status,
      headers: {
        "content-type": res.response.headers.get("content-type") ?? "application/octet-stream",
        "cache-control": "private, no-store",
      },
    });
  },
);
