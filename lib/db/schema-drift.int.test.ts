import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as enums from "../../generated/prisma/enums";
import type { Database } from "./database";
import { openTestDatabase, testBackend } from "./test-database";

/**
 * Fails when prisma/schema.prisma and the database built by prisma/migrations drift apart: every model's table, every
 * scalar column with its type and nullability, every enum and its values must match, and the database must have no
 * table or column the schema lacks. (Prisma's own diff needs its native engine, unavailable offline.)
 */
const PG_TYPE: Record<string, string> = {
  String: "text",
  Int: "integer",
  Float: "double precision",
  Boolean: "boolean",
  DateTime: "timestamp with time zone",
  Json: "jsonb",
};

interface SchemaField {
  column: string;
  type: string;
  optional: boolean;
  isEnum: boolean;
}

function parseSchema(text: string) {
  const enumNames = new Set([...text.matchAll(/^enum (\w+) \{/gm)].map((m) => m[1]));
  const models = new Map<string, { table: string; fields: SchemaField[] }>();
  for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const body = m[2];
    const table = /@@map\("(\w+)"\)/.exec(body)?.[1] ?? m[1];
    const fields: SchemaField[] = [];
    for (const line of body.split("\n")) {
      const f = /^\s+(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!f || f[3]) continue;
      const [, name, type, , opt, rest] = f;
      const isEnum = enumNames.has(type);
      if (!PG_TYPE[type] && !isEnum) continue; // relation field
      fields.push({ column: /@map\("(\w+)"\)/.exec(rest)?.[1] ?? name, type, optional: !!opt, isEnum });
    }
    models.set(m[1], { table, fields });
  }
  return { models, enumNames };
}

describe(`schema.prisma matches the migrated database (${testBackend()})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => db?.close());

  const schema = parseSchema(readFileSync("prisma/schema.prisma", "utf8"));

  it("has exactly the schema's tables and columns, with matching types and nullability", async () => {
    const cols = await db.prisma.$queryRawUnsafe<
      { table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string }[]
    >(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns
       WHERE table_schema = $1 AND table_name <> '_nac_migrations'`,
      db.schema,
    );
    const dbTables = new Map<string, Map<string, (typeof cols)[number]>>();
    for (const c of cols) {
      if (!dbTables.has(c.table_name)) dbTables.set(c.table_name, new Map());
      dbTables.get(c.table_name)!.set(c.column_name, c);
    }
    const expectedTables = [...schema.models.values()].map((m) => m.table).sort();
    expect([...dbTables.keys()].sort()).toEqual(expectedTables);
    for (const [model, { table, fields }] of schema.models) {
      const dbCols = dbTables.get(table)!;
      expect([...dbCols.keys()].sort(), `${model} columns`).toEqual(fields.map((f) => f.column).sort());
      for (const f of fields) {
        const c = dbCols.get(f.column)!;
        if (f.isEnum) {
          expect(c.data_type, `${table}.${f.column}`).toBe("USER-DEFINED");
          expect(c.udt_name, `${table}.${f.column}`).toBe(f.type);
        } else {
          expect(c.data_type, `${table}.${f.column}`).toBe(PG_TYPE[f.type]);
        }
        expect(c.is_nullable === "YES", `${table}.${f.column} nullable`).toBe(f.optional);
      }
    }
  });

  it("has the schema's enums with the same values in the same order", async () => {
    const rows = await db.prisma.$queryRawUnsafe<{ typname: string; enumlabel: string }[]>(
      `SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
       JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 ORDER BY t.typname, e.enumsortorder`,
      db.schema,
    );
    const dbEnums: Record<string, string[]> = {};
    for (const r of rows) (dbEnums[r.typname] ??= []).push(r.enumlabel);
    const generated = enums as unknown as Record<string, Record<string, string>>;
    expect(Object.keys(dbEnums).sort()).toEqual([...schema.enumNames].sort());
    for (const name of schema.enumNames) expect(dbEnums[name], name).toEqual(Object.values(generated[name]));
  });
});
