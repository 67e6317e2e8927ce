import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ClickGate } from "./click-gate";

/** Whether the gate's promise has resolved by now (after pending microtasks). */
async function isSettled(gate: ClickGate): Promise<boolean> {
  let done = false;
  void gate.settled().then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe("click gate", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("is open when no click is pending", async () => {
    expect(await isSettled(new ClickGate(500))).toBe(true);
  });

  it("holds from the button going down until the tools have the click", async () => {
    const gate = new ClickGate(500);
    gate.down();
    const waiting = gate.settled();
    gate.up();
    expect(await isSettled(gate)).toBe(false);
    await vi.advanceTimersByTimeAsync(399);
    expect(await isSettled(gate)).toBe(false);
    gate.dispatched();
    await waiting;
    expect(await isSettled(gate)).toBe(true);
  });

  it("stays closed while the button is held (a drag), however long", async () => {
    const gate = new ClickGate(500);
    gate.down();
    await vi.advanceTimersByTimeAsync(5000);
    expect(await isSettled(gate)).toBe(false);
    gate.up();
    await vi.advanceTimersByTimeAsync(499);
    expect(await isSettled(gate)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await isSettled(gate)).toBe(true);
  });

  it("opens after the settle time when the tools never get the click (a double click)", async () => {
    const gate = new ClickGate(500);
    gate.down();
    gate.up();
    gate.down(); // second click of a double click: still the same pending gesture
    gate.up();
    await vi.advanceTimersByTimeAsync(500);
    expect(await isSettled(gate)).toBe(true);
  });

  it("a later click is a new pending gesture, not released by the earlier one's timer", async () => {
    const gate = new ClickGate(500);
    gate.down();
    gate.up();
    gate.dispatched();
    gate.down();
    await vi.advanceTimersByTimeAsync(600);
    expect(await isSettled(gate)).toBe(false);
    gate.dispatched();
    expect(await isSettled(gate)).toBe(true);
  });
});
