import { describe, expect, it } from "vitest";
import { exitCodeOf } from "./exit-code";

describe("npm start's exit status", () => {
  it("is non-zero when the server is killed by a signal nobody asked for (SIGKILL: 137)", () => {
    expect(exitCodeOf(null, "SIGKILL", false)).toBe(137);
    expect(exitCodeOf(null, "SIGTERM", false)).toBe(143);
  });
  it("passes the server's own code through, and is 0 for a stop we forwarded", () => {
    expect(exitCodeOf(0, null, false)).toBe(0);
    expect(exitCodeOf(3, null, false)).toBe(3);
    expect(exitCodeOf(null, "SIGTERM", true)).toBe(0);
    expect(exitCodeOf(null, "SIGKILL", true)).toBe(137);
  });
});
