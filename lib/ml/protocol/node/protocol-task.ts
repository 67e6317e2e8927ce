/** What the threads of run-protocol-parallel.ts share: the task list, the claim counter and one task's work. */
import type { ProtocolConfig } from "../config";
import { fitFinal, runPartition, type PartitionResult, type PipelineRecord, type ProtocolInput } from "../run-protocol";

export type WorkerTask = { kind: "partition"; index: number; train: number[]; test: number[] } | { kind: "final" };

export interface WorkerInit {
  /** Feature matrix data on a SharedArrayBuffer (read-only). */
  data: Float64Array;
  rows: number;
  cols: number;
  y: Uint8Array;
  featureNames: string[];
  config: ProtocolConfig;
  tasks: WorkerTask[];
  /** Index of the next unclaimed task (SharedArrayBuffer; claimed with Atomics.add). */
  next: Int32Array;
}

/** A worker's messages, in order: one "result" per task it claimed, then "finished" (or "failed", then it stops). */
export type WorkerMessage =
  | { kind: "result"; task: WorkerTask; result: unknown }
  | { kind: "failed"; task: WorkerTask; code?: string; message?: string }
  | { kind: "finished" };

export function runTask(
  input: ProtocolInput,
  config: ProtocolConfig,
  task: WorkerTask,
): PartitionResult | PipelineRecord {
  return task.kind === "final" ? fitFinal(input, config) : runPartition(input, config, task.index, task);
}
