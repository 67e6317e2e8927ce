import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError, fetchJson } from "./fetch-json";
import { clinicalRecordResponse, storedOutputsSchema } from "./schemas";

function answer(status: number, body: unknown) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(body === undefined ? "not json" : JSON.stringify(body), { status })),
  );
}

describe("fetchJson", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("returns the body checked against the schema", async () => {
    answer(200, { record: { id: "r1", version: 2, values: { er: "positive" }, extra: 1 } });
    const out = await fetchJson("/x", clinicalRecordResponse);
    expect(out.record?.version).toBe(2);
  });

  it("throws the server's error envelope as an ApiError with code and details", async () => {
    answer(409, {
      error: { code: "PREDICTION_INCOMPLETE", message: "inputs missing", details: { incomplete: ["T2"] } },
    });
    const e = await fetchJson("/x", z.object({})).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({
      message: "inputs missing",
      status: 409,
      code: "PREDICTION_INCOMPLETE",
      details: { incomplete: ["T2"] },
    });
  });

  it("names the action when the server sent no envelope", async () => {
    answer(502, undefined);
    await expect(fetchJson("/x", z.object({}), undefined, "save")).rejects.toThrow("save failed (HTTP 502)");
  });

  it("refuses a successful answer of the wrong shape", async () => {
    answer(200, { record: { id: "r1", version: "2" } });
    await expect(fetchJson("/x", clinicalRecordResponse)).rejects.toMatchObject({ code: "RESPONSE_INVALID" });
  });
});

describe("stored prediction outputs", () => {
  it("reads what Predict stores and refuses a probability that is not a number", () => {
    const endpoint = {
      probability: 0.4,
      spread: { mean: 0.4, sd: 0.1, min: 0.2, max: 0.6, n: 10 },
      contributions: [{ feature: "f", words: "w", value: 0.1 }],
    };
    expect(storedOutputsSchema.parse({ endpoints: { pcr: endpoint } }).endpoints.pcr.probability).toBe(0.4);
    expect(storedOutputsSchema.safeParse({ endpoints: { pcr: { ...endpoint, probability: "0.4" } } }).success).toBe(
      false,
    );
  });
});
