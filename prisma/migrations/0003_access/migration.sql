-- Access control and accountability (issue 16).

-- Source address of each audited request (the client, or the chain the site's reverse proxy reports).
ALTER TABLE "audit_events" ADD COLUMN "source_address" TEXT;
CREATE INDEX "audit_events_user_id_at_idx" ON "audit_events"("user_id", "at");
CREATE INDEX "audit_events_action_at_idx" ON "audit_events"("action", "at");

-- Audit rows outlive the accounts they name (username is recorded beside the id): no foreign key whose
-- ON DELETE SET NULL would have to update an audit row.
ALTER TABLE "audit_events" DROP CONSTRAINT IF EXISTS "audit_events_user_id_fkey";

-- Append-only: the database itself refuses to change or remove audit rows, whichever role connects
-- (a trigger binds superusers too; only dropping the trigger, a schema change that is itself visible, gets round it).
CREATE FUNCTION "nac_audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "audit_events_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "nac_audit_events_append_only"();
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "nac_audit_events_append_only"();

-- Server-side sessions: the signed cookie names a row here, checked on every request; sign-out and disabling revoke it.
CREATE TABLE "auth_sessions" (
  "id" TEXT PRIMARY KEY,
  "user_id" TEXT NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  "revoked_at" TIMESTAMPTZ(3),
  "provider" TEXT NOT NULL,
  "source_address" TEXT
);
CREATE INDEX "auth_sessions_user_id_idx" ON "auth_sessions"("user_id");

-- Permissions granted to one account beyond its role (e.g. identified patient data for a researcher).
CREATE TABLE "user_grants" (
  "user_id" TEXT NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "permission" TEXT NOT NULL,
  "granted_by" TEXT,
  "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("user_id", "permission")
);

-- Accounts signed in through an identity provider (OpenID Connect): issuer + subject -> local account.
CREATE TABLE "external_identities" (
  "issuer" TEXT NOT NULL,
  "subject" TEXT NOT NULL,
  "user_id" TEXT NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("issuer", "subject")
);

-- Facts the start command must remember (e.g. demo accounts were created once: never re-create deleted ones).
CREATE TABLE "app_settings" (
  "key" TEXT PRIMARY KEY,
  "value" JSONB NOT NULL,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
