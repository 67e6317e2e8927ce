-- Issue 13: research cohorts, patient outcomes (versioned), batch feature extraction items (the queue's work list).
CREATE TABLE "cohorts" (
  "id" TEXT PRIMARY KEY,
  "name" TEXT NOT NULL UNIQUE,
  "description" TEXT,
  "peri_margin_mm" DOUBLE PRECISION NOT NULL,
  "peri_shell_mode" TEXT NOT NULL,
  "created_by_id" TEXT REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "cohort_patients" (
  "cohort_id" TEXT NOT NULL REFERENCES "cohorts"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "patient_id" TEXT NOT NULL REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("cohort_id", "patient_id")
);
CREATE INDEX "cohort_patients_patient_id_idx" ON "cohort_patients"("patient_id");

CREATE TABLE "patient_outcomes" (
  "id" TEXT PRIMARY KEY,
  "patient_id" TEXT NOT NULL REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "version" INTEGER NOT NULL,
  "pcr" INTEGER CHECK ("pcr" IN (0, 1)),
  "response" INTEGER CHECK ("response" IN (0, 1)),
  "pre_diameter_mm" DOUBLE PRECISION,
  "post_diameter_mm" DOUBLE PRECISION,
  "outcome_date" TEXT,
  "source" TEXT NOT NULL,
  "author_id" TEXT REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE ("patient_id", "version")
);

CREATE TABLE "extractions" (
  "id" TEXT PRIMARY KEY,
  "cohort_id" TEXT NOT NULL REFERENCES "cohorts"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "spec" JSONB NOT NULL,
  "spec_hash" TEXT NOT NULL,
  "total" INTEGER NOT NULL,
  "created_by_id" TEXT REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "extractions_cohort_id_idx" ON "extractions"("cohort_id");

CREATE TABLE "extraction_items" (
  "id" TEXT PRIMARY KEY,
  "extraction_id" TEXT NOT NULL REFERENCES "extractions"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "patient_id" TEXT NOT NULL REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "role" TEXT NOT NULL,
  "region" TEXT NOT NULL,
  "extractor" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'queued',
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "error" TEXT,
  "cached" BOOLEAN NOT NULL DEFAULT false,
  "content_hash" TEXT,
  "feature_set_id" TEXT,
  "worker" TEXT,
  "lease_until" TIMESTAMPTZ(3),
  "started_at" TIMESTAMPTZ(3),
  "finished_at" TIMESTAMPTZ(3),
  "ms" INTEGER,
  UNIQUE ("extraction_id", "patient_id", "role", "region", "extractor")
);
CREATE INDEX "extraction_items_extraction_id_status_idx" ON "extraction_items"("extraction_id", "status");
