import { requirePageSession } from "@/app/_server/session";
import { getPrisma } from "@/lib/db/prisma";
import { listBundles } from "@/lib/pipeline/model-registry";
import { ModelList } from "@/components/models/ModelList";
import { can } from "@/lib/auth/permissions";

/** The model registry: every registered bundle, the active one, where each came from; admins activate. */
export default async function ModelsPage() {
  const user = await requirePageSession();
  const models = await listBundles({ prisma: await getPrisma() });
  return (
    <div className="flex max-w-6xl flex-col gap-3">
      <h1 className="text-xl font-semibold">Models</h1>
      <p className="text-sm text-ink-300">
        Research use only. Predict uses the active bundle; earlier bundles stay registered and every prediction names the bundle it used. Only an administrator activates a bundle (audited).
      </p>
      <ModelList models={models} canActivate={can(user, "model.activate")} />
    </div>
  );
}
