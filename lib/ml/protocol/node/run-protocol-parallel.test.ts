import { describe, expect, it } from "vitest";
import { runProtocol } from "../run-protocol";
import { plantedSignal } from "../testdata/synthetic";
import { runProtocolParallel, startProtocolWorkers } from "./run-protocol-parallel";

describe("runProtocolParallel", () => {
  it("gives exactly the serial result on worker threads", async () => {
    const d = plantedSignal({ rows: 120, features: 30, informative: 2, shift: 1.5, seed: 8 });
    const cfg = {
      partitions: 3,
      mrmr: { k: 6 },
      rfe: { mode: "count", nFeatures: 2 },
      classifier: { type: "xgboost", params: { num_boost_round: 10 } },
    };
    const serial = runProtocol(d, cfg);
    const seen: number[] = [];
    const parallel = await runProtocolParallel(d, cfg, { workers: 2, onProgress: (done) => seen.push(done) });
    expect({ ...parallel, elapsedMs: 0 }).toEqual({ ...serial, elapsedMs: 0 });
    expect(seen).toEqual([1, 2, 3, 4]);
  });
  it("reports a worker's NacError with its code", async () => {
    const d = plantedSignal({ rows: 40, features: 5, informative: 0, shift: 0, seed: 1 });
    for (let i = 0; i < d.X.data.length; i++) d.X.data[i] = 1; // constant: mRMR finds nothing relevant
    await expect(
      runProtocolParallel(d, { partitions: 2, classifier: { type: "logistic" } }, { workers: 2 }),
    ).rejects.toMatchObject({ code: "DATA_INVALID" });
  });
});

describe("runProtocolParallel on the calling thread too", () => {
  it("gives exactly the serial result with one worker thread plus the caller, and reports the caller's failure", async () => {
    const d = plantedSignal({ rows: 120, features: 30, informative: 2, shift: 1.5, seed: 9 });
    const cfg = {
      partitions: 5,
      mrmr: { k: 6 },
      rfe: { mode: "count", nFeatures: 2 },
      classifier: { type: "xgboost", params: { num_boost_round: 10 } },
    };
    const serial = runProtocol(d, cfg);
    const seen: number[] = [];
    const parallel = await runProtocolParallel(d, cfg, {
      workers: 2,
      useCallingThread: true,
      onProgress: (done) => seen.push(done),
    });
    expect({ ...parallel, elapsedMs: 0 }).toEqual({ ...serial, elapsedMs: 0 });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    const single = await runProtocolParallel(d, cfg, { workers: 1, useCallingThread: true });
    expect({ ...single, elapsedMs: 0 }).toEqual({ ...serial, elapsedMs: 0 });
    const bad = plantedSignal({ rows: 40, features: 5, informative: 0, shift: 0, seed: 1 });
    bad.X.data.fill(1);
    await expect(
      runProtocolParallel(
        bad,
        { partitions: 2, classifier: { type: "logistic" } },
        { workers: 2, useCallingThread: true },
      ),
    ).rejects.toMatchObject({ code: "DATA_INVALID" });
  });
});

describe("runProtocolParallel with threads started ahead (startProtocolWorkers)", () => {
  it("gives exactly the serial result, takes the threads once, and stop() ends unused ones", async () => {
    const d = plantedSignal({ rows: 100, features: 20, informative: 2, shift: 1.5, seed: 10 });
    const cfg = {
      partitions: 3,
      mrmr: { k: 5 },
      rfe: { mode: "count", nFeatures: 2 },
      classifier: { type: "xgboost", params: { num_boost_round: 8 } },
    };
    const serial = runProtocol(d, cfg);
    // Two started, one needed beside the calling thread: the surplus one is stopped.
    const early = startProtocolWorkers(2);
    const parallel = await runProtocolParallel(d, cfg, { workers: 2, useCallingThread: true, prestarted: early });
    expect({ ...parallel, elapsedMs: 0 }).toEqual({ ...serial, elapsedMs: 0 });
    await expect(runProtocolParallel(d, cfg, { workers: 2, prestarted: early })).rejects.toThrow(/already used/);
    await early.stop(); // a no-op once taken
    const unused = startProtocolWorkers(1);
    await unused.stop();
    expect(() => unused.take()).toThrow(/already used/);
  });
});
