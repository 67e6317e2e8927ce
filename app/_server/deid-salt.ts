import { readServerConfig } from "@/lib/config/server-config";
import { loadOrCreateDeidSalt } from "@/lib/config/secret";

/** The site's de-identification salt (pseudonyms at import and for users without identified access). */
export function deidSalt(): string {
  return loadOrCreateDeidSalt(readServerConfig().dataDir);
}
