import { readServerConfig } from "../config/server-config";
import { FileStore } from "./file-store";

let store: FileStore | undefined;

/** The process's file store, rooted at the configured storage directory. */
export function getFileStore(): FileStore {
  store ??= new FileStore(readServerConfig().storageDir);
  return store;
}
