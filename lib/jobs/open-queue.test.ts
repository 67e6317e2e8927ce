import { describe, expect, it } from "vitest";
import { queueSchemaFor } from "./open-queue";

describe("queueSchemaFor", () => {
  it("keeps pg-boss' own default for NACpredict in the default schema", () => {
    expect(queueSchemaFor("postgresql://nac@db:5432/nacpredict")).toBe("pgboss");
    expect(queueSchemaFor("postgresql://nac@db:5432/nacpredict?schema=public")).toBe("pgboss");
  });

  it("gives each NACpredict schema its own queue, so installations sharing a database never share jobs", () => {
    const a = queueSchemaFor("postgresql://nac@db:5432/shared?schema=site_a");
    const b = queueSchemaFor("postgresql://nac@db:5432/shared?schema=site_b&sslmode=require");
    expect(a).toBe("site_a_pgboss");
    expect(b).toBe("site_b_pgboss");
  });
});
