import { describe, expect, it } from "vitest";
import { IMAGE_ROLE_LABELS, IMAGE_ROLES, roleIdOf, roleLabel, SERIES_ROLES, seriesRoleSchema } from "./roles";

describe("series roles", () => {
  it("maps every id to its label and back", () => {
    for (const id of SERIES_ROLES) expect(roleIdOf(roleLabel(id))).toBe(id);
    expect(IMAGE_ROLES.map(roleLabel)).toEqual([...IMAGE_ROLE_LABELS]);
  });
  it("reads the classifier's answers and rejects unknown labels", () => {
    expect(roleIdOf("CE-T1")).toBe("CE_T1");
    expect(roleIdOf("other")).toBe("OTHER");
    expect(roleIdOf("T1")).toBeNull();
    expect(roleLabel("PET")).toBe("PET");
  });
  it("validates ids strictly", () => {
    expect(seriesRoleSchema.safeParse("CE_T1").success).toBe(true);
    expect(seriesRoleSchema.safeParse("CE-T1").success).toBe(false);
  });
});
