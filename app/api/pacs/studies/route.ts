import { apiRoute } from "@/app/_server/api-route";
import { pacsStudiesResponse } from "@/lib/api/schemas";
import { pacsDeps } from "@/app/_server/pacs";
import { recordAudit } from "@/lib/audit/audit-log";
import { NacError } from "@/lib/errors";
import { StudySearchQuery } from "@/lib/pacs/source-config";
import { pacsClient } from "@/lib/pipeline/pacs/sources";

export const dynamic = "force-dynamic";

/** QIDO-RS study search on a data source (the default one unless `sourceId`); audited with the criteria and the count. */
export const GET = apiRoute(
  { permission: "pacs.read", query: StudySearchQuery, response: pacsStudiesResponse },
  async ({ query, user }) => {
    const { sourceId, ...criteria } = query;
    if (!Object.values(criteria).some(Boolean))
      throw new NacError(
        "VALIDATION_FAILED",
        "enter at least one search criterion (patient ID, name, birth date, study date, modality or accession number)",
      );
    const deps = await pacsDeps();
    const { source, client } = await pacsClient(deps, sourceId);
    const studies = await client.searchStudies({ ...criteria, limit: 100 });
    await recordAudit(deps.prisma, {
      action: "pacs.search",
      userId: user.id,
      username: user.username,
      targetType: "pacs_source",
      targetId: source.id,
      details: { criteria, count: studies.length },
    });
    return { source: { id: source.id, name: source.name }, studies };
  },
);
