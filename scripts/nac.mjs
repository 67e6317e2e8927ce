#!/usr/bin/env node
/**
 * `npm run nac -- <command>` start-up. Instead of transpiling every module with tsx at every call (about 2 s), run
 * the CLI from an ESM bundle cached in node_modules/.cache/nac, split per command module (scripts/cli/index.ts), and
 * load only the module that registers the command being called (all of them for top-level help or an unknown
 * command), so a call pays for its own dependencies only.
 * The bundle is rebuilt with esbuild (installed for tsx) when any source it was built from changed size or mtime, or
 * node / esbuild changed: one stat per bundled source. Packages stay external. Each source keeps its own
 * import.meta.url / dirname / filename, so files found next to a module (worker boot scripts, fixtures, the Prisma
 * client's files) resolve as under tsx. NAC_CLI_NO_CACHE=1 forces a rebuild; `npx tsx scripts/nac.ts` bypasses it.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = path.join(root, "node_modules", ".cache", "nac");
const manifestFile = path.join(cacheDir, "manifest.json");
const registry = path.join(root, "scripts", "cli", "index.ts");
const protocolWorker = path.join(root, "lib", "ml", "protocol", "node", "protocol-worker.ts");

function esbuildVersion() {
  try {
    return JSON.parse(readFileSync(path.join(root, "node_modules", "esbuild", "package.json"), "utf8")).version;
  } catch {
    return "missing";
  }
}

function freshManifest() {
  if (process.env.NAC_CLI_NO_CACHE === "1") return null;
  let m;
  try {
    m = JSON.parse(readFileSync(manifestFile, "utf8"));
    statSync(path.join(cacheDir, m.dir, "entry.js"));
  } catch {
    return null;
  }
  if (m.node !== process.version || m.esbuild !== esbuildVersion()) return null;
  for (const [file, mtimeMs, size] of m.inputs) {
    try {
      const s = statSync(path.join(root, file));
      if (s.mtimeMs !== mtimeMs || s.size !== size) return null;
    } catch {
      return null;
    }
  }
  return m;
}

/** esbuild plugin: give every bundled source its own import.meta.url / import.meta.dirname / import.meta.filename. */
const keepImportMeta = {
  name: "keep-import-meta",
  setup(build) {
    build.onLoad({ filter: /\.(ts|tsx|mts|js|mjs)$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const src = readFileSync(args.path, "utf8");
      if (!src.includes("import.meta")) return undefined;
      const contents = src
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll("import.meta.dirname", JSON.stringify(path.dirname(args.path)))
        .replaceAll("import.meta.filename", JSON.stringify(args.path));
      const ext = path.extname(args.path).slice(1);
      return {
        contents,
        loader: ext === "mts" ? "ts" : ext === "mjs" ? "js" : ext,
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

/**
 * The registry's entries in registration order as [file, exported name], from scripts/cli/index.ts's relative imports
 * and its `commandModules` list; null if the file no longer has that shape (then every module is loaded eagerly).
 */
function registryEntries() {
  const src = readFileSync(registry, "utf8");
  const byLocal = new Map();
  for (const m of src.matchAll(/import\s*\{([^}]*)\}\s*from\s*"\.\/([\w./-]+)"/g)) {
    for (const spec of m[1]
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean)) {
      const [exported, local] = spec.split(/\s+as\s+/).map((x) => x.trim());
      byLocal.set(local ?? exported, [path.join(root, "scripts", "cli", `${m[2]}.ts`), exported]);
    }
  }
  const list = /commandModules[^=]*=\s*\[([^\]]*)\]/.exec(src);
  const names = list
    ? list[1]
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : [];
  if (names.length === 0 || names.some((n) => !byLocal.has(n))) return null;
  return names.map((n) => byLocal.get(n));
}

async function build() {
  const esbuild = await import("esbuild");
  mkdirSync(cacheDir, { recursive: true });
  const dir = `dist-${Date.now()}-${process.pid}`;
  const out = path.join(cacheDir, dir);
  const entries = registryEntries();
  const entrySrc = path.join(cacheDir, `entry-${process.pid}.mjs`);
  const modulesSrc = entries
    ? `export const modules = [${entries.map(([f, name]) => `() => import(${JSON.stringify(f)}).then((m) => m[${JSON.stringify(name)}])`).join(", ")}];`
    : `import { commandModules } from ${JSON.stringify(registry)};\nexport const modules = commandModules.map((r) => async () => r);`;
  writeFileSync(
    entrySrc,
    [
      `export { runCli, newProgram } from ${JSON.stringify(path.join(root, "scripts", "cli", "run.ts"))};`,
      modulesSrc,
    ].join("\n"),
  );
  let result;
  try {
    result = await esbuild.build({
      // The protocol's worker thread too: started from this bundle it skips registering tsx and transpiling its
      // modules in the new thread (~1 s of CPU at the start of every `nac protocol run` / `experiment run`).
      entryPoints: { entry: entrySrc, "protocol-worker": protocolWorker },
      bundle: true,
      splitting: true,
      platform: "node",
      format: "esm",
      target: `node${process.versions.node.split(".")[0]}`,
      packages: "external",
      outdir: out,
      metafile: true,
      logLevel: "error",
      tsconfig: path.join(root, "tsconfig.json"),
      plugins: [keepImportMeta],
    });
  } finally {
    rmSync(entrySrc, { force: true });
  }
  const inputs = Object.keys(result.metafile.inputs)
    .map((f) => path.resolve(process.cwd(), f))
    .filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`))
    .map((f) => {
      const s = statSync(f);
      return [path.relative(root, f), s.mtimeMs, s.size];
    });
  // Which top-level commands each module registers, so a call loads only its module.
  const built = await import(pathToFileURL(path.join(out, "entry.js")).href);
  // A module that cannot load here (e.g. a dependency not installed yet) leaves the map incomplete: every call then
  // loads every module, as `tsx scripts/nac.ts` would, and reports the same error.
  let commands = {};
  try {
    for (let i = 0; entries && i < built.modules.length; i++) {
      for (const c of built.newProgram([await built.modules[i]()]).commands) (commands[c.name()] ??= []).push(i);
    }
  } catch {
    commands = {};
  }
  const tmp = `${manifestFile}.${process.pid}.tmp`;
  writeFileSync(
    tmp,
    JSON.stringify({
      node: process.version,
      esbuild: esbuildVersion(),
      dir,
      commands,
      inputs: [...inputs, [path.relative(root, registry), statSync(registry).mtimeMs, statSync(registry).size]],
    }),
  );
  // Atomic switch: concurrent calls see either the old complete build or the new one.
  renameSync(tmp, manifestFile);
  for (const d of readdirSync(cacheDir)) {
    if (d.startsWith("dist-") && d !== dir) {
      try {
        // Keep builds younger than a minute: a concurrent call may still be loading one.
        if (Date.now() - statSync(path.join(cacheDir, d)).mtimeMs > 60_000)
          rmSync(path.join(cacheDir, d), { recursive: true, force: true });
      } catch {
        /* another call removed it */
      }
    }
  }
  return JSON.parse(readFileSync(manifestFile, "utf8"));
}

const manifest = freshManifest() ?? (await build());
const entry = await import(pathToFileURL(path.join(cacheDir, manifest.dir, "entry.js")).href);
// lib/ml/protocol/node/run-protocol-parallel.ts starts its worker threads from this bundled entry when set
const bundledWorker = path.join(cacheDir, manifest.dir, "protocol-worker.js");
try {
  statSync(bundledWorker);
  process.env.NAC_PROTOCOL_WORKER_BUNDLE = bundledWorker;
} catch {
  /* a cache built before the worker entry existed: workers boot through tsx */
}
const command = process.argv.slice(2).find((a) => !a.startsWith("-"));
// Modules that add to the same command (e.g. demo and demo-train) all load, in registration order.
const only = command !== undefined ? manifest.commands[command] : undefined;
const loaders = only !== undefined ? only.map((i) => entry.modules[i]) : entry.modules;
const modules = [];
for (const load of loaders) modules.push(await load());
await entry.runCli(process.argv, modules);
