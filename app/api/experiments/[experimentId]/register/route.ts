import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { modelRegisteredResponse } from "@/lib/api/schemas";
import { getPrisma } from "@/lib/db/prisma";
import { childProcessBundleBuilder } from "@/lib/pipeline/experiment/compute";
import { registerFromExperiment } from "@/lib/pipeline/model-registry";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";
// The protocol is re-run with the final model for both endpoints (in a child process): up to a few minutes.
export const maxDuration = 600;

const Params = z.object({ experimentId: z.string().uuid() });
const Body = z
  .object({
    featureSet: z.string().min(1).max(120),
    demo: z.boolean().default(false),
    /** Issue 18: the site allows similar cases (de-identified training cases in the bundle); off unless asked. */
    allowSimilarCases: z.boolean().default(false),
  })
  .strict();

/** Registers a feature set of a finished experiment as a new model bundle version (not active: an admin activates). */
export const POST = apiRoute(
  { permission: "research", params: Params, body: Body, response: modelRegisteredResponse },
  async ({ params, body, user }) => {
    return registerFromExperiment(
      { prisma: await getPrisma(), store: getFileStore() },
      {
        experimentId: params.experimentId,
        featureSet: body.featureSet,
        demo: body.demo,
        allowSimilarCases: body.allowSimilarCases,
        actor: { id: user.id, username: user.username },
        build: childProcessBundleBuilder(),
      },
    );
  },
);
