import { describe, expect, it } from "vitest";
import { can, permissionsOf } from "./permissions";

describe("permission table: least privilege for researchers", () => {
  it("a researcher by role neither sees identities nor searches or imports from the PACS (identified data only)", () => {
    const researcher = { permissions: permissionsOf("researcher") };
    expect(can(researcher, "research")).toBe(true);
    expect(can(researcher, "phi.identified.read")).toBe(false);
    expect(can(researcher, "pacs.read")).toBe(false);
    expect(can(researcher, "pacs.import")).toBe(false);
  });

  it("identified access granted by an administrator brings the PACS with it", () => {
    const granted = { permissions: permissionsOf("researcher", ["phi.identified.read"]) };
    expect(can(granted, "phi.identified.read")).toBe(true);
    expect(can(granted, "pacs.read")).toBe(true);
    expect(can(granted, "pacs.import")).toBe(true);
    expect(can(granted, "pacs.configure")).toBe(false);
  });

  it("a permission that is not grantable is ignored as a grant", () => {
    expect(permissionsOf("researcher", ["pacs.read", "users.manage", "nonsense"])).toEqual(permissionsOf("researcher"));
  });

  it("clinical roles keep the PACS", () => {
    for (const role of ["radiologist", "oncologist", "admin"] as const)
      expect(can({ permissions: permissionsOf(role) }, "pacs.read")).toBe(true);
  });
});
