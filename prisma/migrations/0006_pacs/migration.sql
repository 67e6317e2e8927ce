-- issue 21: DICOMweb data sources, PACS imports (resumable), results stored to a PACS.
CREATE TABLE "pacs_sources" (
  "id" TEXT PRIMARY KEY,
  "name" TEXT NOT NULL,
  "base_url" TEXT NOT NULL,
  "auth_kind" TEXT NOT NULL DEFAULT 'none',
  "username" TEXT,
  "secret_ciphertext" TEXT,
  "timeout_ms" INTEGER NOT NULL DEFAULT 15000,
  "is_default" BOOLEAN NOT NULL DEFAULT false,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL
);
CREATE UNIQUE INDEX "pacs_sources_name_key" ON "pacs_sources"("name");

CREATE TABLE "pacs_imports" (
  "id" TEXT PRIMARY KEY,
  "source_id" TEXT NOT NULL REFERENCES "pacs_sources"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "study_uids" JSONB NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'queued',
  "total" INTEGER NOT NULL DEFAULT 0,
  "fetched" INTEGER NOT NULL DEFAULT 0,
  "skipped" INTEGER NOT NULL DEFAULT 0,
  "imported" INTEGER NOT NULL DEFAULT 0,
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "error_code" TEXT,
  "error_message" TEXT,
  "result" JSONB,
  "user_id" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL,
  "finished_at" TIMESTAMPTZ(3)
);
CREATE INDEX "pacs_imports_source_id_status_idx" ON "pacs_imports"("source_id", "status");

CREATE TABLE "pacs_stored_objects" (
  "id" TEXT PRIMARY KEY,
  "source_id" TEXT NOT NULL REFERENCES "pacs_sources"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "kind" TEXT NOT NULL,
  "roi_id" TEXT,
  "prediction_id" TEXT,
  "study_instance_uid" TEXT NOT NULL,
  "series_instance_uid" TEXT NOT NULL,
  "sop_instance_uid" TEXT NOT NULL,
  "sha256" TEXT NOT NULL,
  "user_id" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "pacs_stored_objects_roi_id_idx" ON "pacs_stored_objects"("roi_id");
CREATE INDEX "pacs_stored_objects_prediction_id_idx" ON "pacs_stored_objects"("prediction_id");
