import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { getPrisma } from "@/lib/db/prisma";
import { activateBundle } from "@/lib/pipeline/model-registry";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

const Params = z.object({ modelId: z.string().uuid() });

/** Makes the bundle the one Predict uses (admins only; audited with the bundle it replaces). */
export const POST = apiRoute({ permission: "model.activate", params: Params }, async ({ params, user }) =>
  activateBundle({ prisma: await getPrisma(), store: getFileStore() }, params.modelId, { id: user.id, username: user.username }),
);
