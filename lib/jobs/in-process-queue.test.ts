import { describe, expect, it } from "vitest";
import { InProcessQueue } from "./in-process-queue";
import { JobRegistry, RetryLater } from "./registry";

describe("in-process job runner", () => {
  it("runs every job of a registered kind with the given concurrency, retries RetryLater, reports failures past the limit", async () => {
    const registry = new JobRegistry();
    let inFlight = 0;
    let maxInFlight = 0;
    const seen: number[] = [];
    let busyOnce = true;
    registry.register<{ n: number }>(
      "square",
      async ({ n }) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        if (n === 3 && busyOnce) {
          busyOnce = false;
          throw new RetryLater("held elsewhere");
        }
        if (n === 4) throw new Error("always fails");
        seen.push(n * n);
      },
      { retryLimit: 1, retryDelaySeconds: 0.01 },
    );
    const failures: string[] = [];
    const q = new InProcessQueue(registry, (kind, e) => failures.push(`${kind}: ${(e as Error).message}`));
    await q.work({ concurrency: 3 });
    await q.send(
      "square",
      [1, 2, 3, 4, 5, 6].map((n) => ({ n })),
    );
    await new Promise((r) => setTimeout(r, 50));
    await q.idle();
    await q.stop();
    expect(seen.sort((a, b) => a - b)).toEqual([1, 4, 9, 25, 36]);
    expect(maxInFlight).toBe(3);
    expect(failures).toEqual(["square: always fails"]);
  });

  it("refuses unknown and duplicate kinds", async () => {
    const registry = new JobRegistry();
    registry.register("a", async () => {});
    expect(() => registry.register("a", async () => {})).toThrow(/already registered/);
    expect(() => registry.register("Bad Kind", async () => {})).toThrow();
    await expect(new InProcessQueue(registry).send("b", [{}])).rejects.toThrow(/no handler/);
  });
});
