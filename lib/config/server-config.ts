import path from "node:path";
import { z } from "zod";
import { NacError } from "../errors";

/**
 * Server-side configuration from the environment, validated once. Defaults give the embedded deployment:
 * everything under ./data (PGlite database, image/mask storage, secrets), port 3000 on the loopback interface (a site
 * exposes it through its TLS-terminating reverse proxy, or sets NAC_BIND_ADDRESS: docs/SECURITY.md). Demo accounts and
 * data only on the embedded default, unless NAC_DEMO=1 asks for them.
 */
const EnvSchema = z.object({
  NAC_DATA_DIR: z.string().min(1).default("./data"),
  NAC_STORAGE_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL")
    .optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  NAC_DEMO: z.enum(["0", "1"]).optional(),
  NAC_BIND_ADDRESS: z.union([z.ipv4(), z.ipv6(), z.literal("localhost")]).default("127.0.0.1"),
});

export interface ServerConfig {
  dataDir: string;
  storageDir: string;
  /** PostgreSQL server URL; undefined means the embedded PGlite database in `${dataDir}/db`. */
  databaseUrl?: string;
  embeddedDbDir: string;
  port: number;
  /** interface the server listens on */
  bindAddress: string;
  /** demo accounts + synthetic patients: NAC_DEMO=1, or by default on the embedded database only */
  seedDemo: boolean;
}

export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NacError("SETTINGS_INVALID", `configuration ${issue.path.join(".")}: ${issue.message}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.NAC_DATA_DIR);
  return {
    dataDir,
    storageDir: path.resolve(e.NAC_STORAGE_DIR ?? path.join(dataDir, "storage")),
    databaseUrl: e.DATABASE_URL,
    embeddedDbDir: path.join(dataDir, "db"),
    port: e.PORT,
    bindAddress: e.NAC_BIND_ADDRESS,
    seedDemo: e.NAC_DEMO === undefined ? !e.DATABASE_URL : e.NAC_DEMO === "1",
  };
}
