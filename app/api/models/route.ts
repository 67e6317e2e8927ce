import { apiRoute } from "@/app/_server/api-route";
import { getPrisma } from "@/lib/db/prisma";
import { listBundles } from "@/lib/pipeline/model-registry";

export const dynamic = "force-dynamic";

/** Registered model bundles (the active one marked), with where each came from and how many predictions used it. */
export const GET = apiRoute({ permission: "research" }, async () => ({ models: await listBundles({ prisma: await getPrisma() }) }));
