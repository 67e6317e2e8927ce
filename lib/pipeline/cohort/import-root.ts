import { promises as fs } from "node:fs";
import path from "node:path";
import { NacError } from "../../errors";

/**
 * The server-side cohort import root (NAC_COHORT_IMPORT_ROOT, set by an administrator): researchers import the
 * cohort folders directly inside it, by name, and nothing else on the server's disk.
 */
export function cohortImportRoot(env: NodeJS.ProcessEnv = process.env): string | null {
  const v = env.NAC_COHORT_IMPORT_ROOT;
  return v ? path.resolve(v) : null;
}

export async function listImportFolders(
  root: string,
): Promise<{ name: string; patients: number; hasClinicalCsv: boolean }[]> {
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => {
    throw new NacError("NOT_FOUND", "the cohort import root configured by the administrator does not exist");
  });
  const out = [];
  for (const e of entries
    .filter((x) => x.isDirectory() && !x.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const inner = await fs.readdir(path.join(root, e.name), { withFileTypes: true });
    out.push({
      name: e.name,
      patients: inner.filter((x) => x.isDirectory() && !x.name.startsWith(".")).length,
      hasClinicalCsv: inner.some((x) => x.isFile() && x.name === "clinical.csv"),
    });
  }
  return out;
}

/** The folder `name` directly inside the root; anything that could leave it (/, .., symlinks out) is refused. */
export async function resolveImportFolder(root: string, name: string): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/.test(name) || name.includes(".."))
    throw new NacError("BAD_REQUEST", "folder: a folder name inside the import root");
  const p = path.join(root, name);
  const real = await fs.realpath(p).catch(() => {
    throw new NacError("NOT_FOUND", `no folder "${name}" in the import root`);
  });
  const realRoot = await fs.realpath(root);
  if (path.dirname(real) !== realRoot) throw new NacError("FORBIDDEN", `"${name}" leads outside the import root`);
  return real;
}
