import { describe, expect, it } from "vitest";
import { measurementSetResponse, roiListResponse, roiSavedResponse, rtstructChoiceDetails } from "./schemas";

describe("viewer answers' schemas", () => {
  const row = {
    id: "r1",
    version: 2,
    source: "drawn",
    voxelCount: 120,
    volumeMm3: 350.5,
    author: { username: "rad", displayName: "Dr Rad" },
  };

  it("an ROI list passes the route's check with Prisma's Date and reads as the ISO string the client gets", () => {
    const at = new Date("2026-12-07T21:40:00.000Z");
    const server = roiListResponse.parse({ rois: [{ ...row, createdAt: at }] });
    const client = roiListResponse.parse(JSON.parse(JSON.stringify({ rois: [{ ...row, createdAt: at }] })));
    expect(server.rois[0].createdAt).toBe("2026-12-07T21:40:00.000Z");
    expect(client.rois[0].createdAt).toBe("2026-12-07T21:40:00.000Z");
  });

  it("refuses an ROI list whose version is a string (no coercion)", () => {
    expect(roiListResponse.safeParse({ rois: [{ ...row, version: "2", createdAt: "x" }] }).success).toBe(false);
  });

  it("a saved ROI needs its version and size", () => {
    expect(
      roiSavedResponse.safeParse({ roi: { id: "r", version: 1 }, stats: { voxelCount: 3, volumeMm3: 1 } }).success,
    ).toBe(true);
    expect(roiSavedResponse.safeParse({ roi: { id: "r", version: 1 }, stats: {} }).success).toBe(false);
  });

  it("an RTSTRUCT choice lists numbered, named ROIs", () => {
    expect(rtstructChoiceDetails.safeParse({ rois: [{ number: 1, name: "GTV" }] }).success).toBe(true);
    expect(rtstructChoiceDetails.safeParse({ rois: ["GTV"] }).success).toBe(false);
  });

  it("a measurement set is read strictly", () => {
    const set = { seriesId: "s", version: 0, savedAt: null, savedBy: null, measurements: [] };
    expect(measurementSetResponse.safeParse({ measurements: set }).success).toBe(true);
    expect(measurementSetResponse.safeParse({ measurements: { ...set, extra: 1 } }).success).toBe(false);
  });
});
