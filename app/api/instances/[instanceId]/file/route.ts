import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { deidSalt } from "@/app/_server/deid-salt";
import { identifiedFor, pseudonymOf } from "@/lib/auth/patient-view";
import { deidentifyDicom } from "@/lib/imaging/dicom/deidentify";
import { getDatabase, getPrisma } from "@/lib/db/prisma";
import { getInstanceOrThrow } from "@/lib/pipeline/series";
import { auditSeriesImageRead } from "@/lib/audit/image-read-audit";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

/**
 * One stored DICOM file, for the viewer's image loader (wadouri). Audited as `series.images_read`: one row per user and
 * series per window (lib/audit/image-read-audit.ts), not one per frame. Never cached by the browser (patient data).
 */
export const GET = apiRoute(
  { permission: "patient.read", params: z.object({ instanceId: z.string().uuid() }) },
  async ({ params, user, sourceAddress }) => {
    const prisma = await getPrisma();
    const instance = await getInstanceOrThrow(prisma, params.instanceId);
    const crossProcess = (await getDatabase()).kind === "postgres";
    await auditSeriesImageRead(
      prisma,
      {
        user,
        seriesId: instance.seriesId,
        patientId: instance.series.study.patientId,
        instanceId: instance.id,
        sourceAddress,
      },
      { crossProcess },
    );
    const stored = await getFileStore().get(instance.storageKey, instance.sha256);
    // Without identified access the file is de-identified on the way out, with the pseudonym the worklist shows.
    const identified = identifiedFor(user);
    const bytes = identified
      ? stored
      : deidentifyDicom(stored, { pseudonym: pseudonymOf(instance.series.study.patient.patientKey, deidSalt()) });
    return new Response(Buffer.from(bytes), {
      headers: {
        "content-type": "application/dicom",
        "cache-control": "private, no-store",
        ...(identified ? { etag: `"${instance.sha256}"` } : {}),
      },
    });
  },
);
