/**
 * Measurement sets in the file store, one immutable document per version (measurements/<seriesId>/<version>.json):
 * saving never overwrites, and a save based on an older version than the latest is refused (two readers measuring the
 * same series at once must not silently drop each other's work).
 */
import { NacError } from "../errors";
import type { FileStore } from "../storage/file-store";
import { MeasurementSet, type Measurement } from "./measurement-set";

const folderOf = (seriesId: string) => `measurements/${seriesId}`;
const keyOf = (seriesId: string, version: number) => `${folderOf(seriesId)}/${String(version).padStart(6, "0")}.json`;

async function latestVersion(store: FileStore, seriesId: string): Promise<number> {
  const keys = await store.list(folderOf(seriesId));
  return keys.reduce((max, k) => Math.max(max, Number(/(\d+)\.json$/.exec(k)?.[1] ?? 0)), 0);
}

/** The latest set of a series (version 0, empty, when none was saved). */
export async function readMeasurements(store: FileStore, seriesId: string): Promise<MeasurementSet> {
  const version = await latestVersion(store, seriesId);
  if (version === 0) return { seriesId, version: 0, savedAt: null, savedBy: null, measurements: [] };
  const doc = JSON.parse(new TextDecoder().decode(await store.get(keyOf(seriesId, version))));
  return MeasurementSet.parse(doc);
}

export async function saveMeasurements(
  store: FileStore,
  input: {
    seriesId: string;
    baseVersion: number;
    measurements: Measurement[];
    user: { username: string; displayName: string };
    now?: Date;
  },
): Promise<MeasurementSet> {
  const latest = await latestVersion(store, input.seriesId);
  if (input.baseVersion !== latest)
    throw new NacError(
      "CONFLICT",
      `the measurements were changed meanwhile (version ${latest}, yours was based on ${input.baseVersion}): reload and measure again`,
    );
  const uids = new Set(input.measurements.map((m) => m.uid));
  if (uids.size !== input.measurements.length) throw new NacError("BAD_REQUEST", "two measurements share one uid");
  const set: MeasurementSet = {
    seriesId: input.seriesId,
    version: latest + 1,
    savedAt: (input.now ?? new Date()).toISOString(),
    savedBy: { username: input.user.username, displayName: input.user.displayName },
    measurements: input.measurements,
  };
  try {
    // putNew fails when the key exists: a concurrent save of the same version loses instead of overwriting
    await store.putNew(keyOf(input.seriesId, set.version), new TextEncoder().encode(JSON.stringify(set)));
  } catch (e) {
    if (await store.exists(keyOf(input.seriesId, set.version)))
      throw new NacError(
        "CONFLICT",
        "the measurements were saved by someone else at the same moment: reload and measure again",
      );
    throw e;
  }
  return set;
}
