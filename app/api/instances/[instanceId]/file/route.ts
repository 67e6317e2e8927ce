import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { ALL_ROLES } from "@/lib/auth/roles";
import { getPrisma } from "@/lib/db/prisma";
import { getInstanceOrThrow } from "@/lib/pipeline/series";
import { getFileStore } from "@/lib/pipeline/storage";

export const dynamic = "force-dynamic";

/** One stored DICOM file, for the viewer's image loader (wadouri). Patient views are audited on the patient page. */
export const GET = apiRoute({ roles: ALL_ROLES, params: z.object({ instanceId: z.string().uuid() }) }, async ({ params }) => {
  const instance = await getInstanceOrThrow(await getPrisma(), params.instanceId);
  const bytes = await getFileStore().get(instance.storageKey, instance.sha256);
  return new Response(Buffer.from(bytes), {
    headers: {
      "content-type": "application/dicom",
      "cache-control": "private, max-age=3600",
      etag: `"${instance.sha256}"`,
    },
  });
});
