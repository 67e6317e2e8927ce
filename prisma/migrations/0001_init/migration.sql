-- NACpredict schema v1. Written by hand to match prisma/schema.prisma (checked by lib/db/schema-drift.int.test.ts).
CREATE TYPE "Role" AS ENUM ('radiologist', 'oncologist', 'researcher', 'admin');
CREATE TYPE "SeriesRole" AS ENUM ('CE_T1', 'T2', 'CT', 'OTHER');
CREATE TYPE "RoiSource" AS ENUM ('drawn', 'uploaded', 'derived');
CREATE TYPE "JobStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed');

CREATE TABLE "users" (
  "id" TEXT PRIMARY KEY,
  "username" TEXT NOT NULL UNIQUE,
  "display_name" TEXT NOT NULL,
  "password_hash" TEXT NOT NULL,
  "role" "Role" NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "disabled_at" TIMESTAMPTZ(3)
);

CREATE TABLE "audit_events" (
  "id" TEXT PRIMARY KEY,
  "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "user_id" TEXT REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "username" TEXT,
  "action" TEXT NOT NULL,
  "target_type" TEXT,
  "target_id" TEXT,
  "patient_id" TEXT,
  "outcome" TEXT NOT NULL DEFAULT 'ok',
  "details" JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX "audit_events_patient_id_idx" ON "audit_events"("patient_id");
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

CREATE TABLE "patients" (
  "id" TEXT PRIMARY KEY,
  "patient_key" TEXT NOT NULL UNIQUE,
  "display_name" TEXT NOT NULL,
  "birth_year" INTEGER,
  "sex" TEXT,
  "is_synthetic" BOOLEAN NOT NULL DEFAULT false,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL
);

CREATE TABLE "studies" (
  "id" TEXT PRIMARY KEY,
  "patient_id" TEXT NOT NULL REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "study_instance_uid" TEXT NOT NULL UNIQUE,
  "study_date" TEXT,
  "description" TEXT,
  "accession_number" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "studies_patient_id_idx" ON "studies"("patient_id");

CREATE TABLE "series" (
  "id" TEXT PRIMARY KEY,
  "study_id" TEXT NOT NULL REFERENCES "studies"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "series_instance_uid" TEXT NOT NULL UNIQUE,
  "modality" TEXT NOT NULL,
  "role" "SeriesRole" NOT NULL,
  "role_source" TEXT NOT NULL DEFAULT 'auto',
  "role_confidence" DOUBLE PRECISION NOT NULL DEFAULT 0,
  "description" TEXT,
  "frame_of_reference_uid" TEXT,
  "instance_count" INTEGER NOT NULL,
  "geometry" JSONB NOT NULL,
  "storage_key" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "series_study_id_idx" ON "series"("study_id");

CREATE TABLE "dicom_instances" (
  "id" TEXT PRIMARY KEY,
  "series_id" TEXT NOT NULL REFERENCES "series"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "sop_instance_uid" TEXT NOT NULL UNIQUE,
  "instance_number" INTEGER,
  "storage_key" TEXT NOT NULL,
  "sha256" TEXT NOT NULL
);
CREATE INDEX "dicom_instances_series_id_idx" ON "dicom_instances"("series_id");

CREATE TABLE "rois" (
  "id" TEXT PRIMARY KEY,
  "series_id" TEXT NOT NULL REFERENCES "series"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "version" INTEGER NOT NULL,
  "source" "RoiSource" NOT NULL,
  "label" TEXT NOT NULL DEFAULT 'tumour',
  "mask_storage_key" TEXT NOT NULL,
  "mask_format" TEXT NOT NULL,
  "mask_sha256" TEXT NOT NULL,
  "voxel_count" INTEGER NOT NULL,
  "volume_mm3" DOUBLE PRECISION NOT NULL,
  "author_id" TEXT REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "rois_series_id_version_key" UNIQUE ("series_id", "version")
);

CREATE TABLE "clinical_records" (
  "id" TEXT PRIMARY KEY,
  "patient_id" TEXT NOT NULL REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "version" INTEGER NOT NULL,
  "values" JSONB NOT NULL,
  "author_id" TEXT REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "clinical_records_patient_id_version_key" UNIQUE ("patient_id", "version")
);

CREATE TABLE "feature_sets" (
  "id" TEXT PRIMARY KEY,
  "content_hash" TEXT NOT NULL UNIQUE,
  "series_id" TEXT REFERENCES "series"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "roi_id" TEXT REFERENCES "rois"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "region" TEXT NOT NULL,
  "extractor" TEXT NOT NULL,
  "extractor_version" TEXT NOT NULL,
  "parameters_hash" TEXT NOT NULL,
  "parameters" JSONB NOT NULL,
  "values" JSONB NOT NULL,
  "provenance" JSONB NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "feature_sets_series_id_idx" ON "feature_sets"("series_id");

CREATE TABLE "model_bundles" (
  "id" TEXT PRIMARY KEY,
  "bundle_id" TEXT NOT NULL,
  "version" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "is_active" BOOLEAN NOT NULL DEFAULT false,
  "is_demo" BOOLEAN NOT NULL DEFAULT false,
  "storage_key" TEXT NOT NULL,
  "sha256" TEXT NOT NULL,
  "card" JSONB NOT NULL,
  "metrics" JSONB NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "model_bundles_bundle_id_version_key" UNIQUE ("bundle_id", "version")
);

CREATE TABLE "predictions" (
  "id" TEXT PRIMARY KEY,
  "patient_id" TEXT NOT NULL REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "model_bundle_id" TEXT NOT NULL REFERENCES "model_bundles"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  "model_version" TEXT NOT NULL,
  "inputs" JSONB NOT NULL,
  "outputs" JSONB NOT NULL,
  "warnings" JSONB NOT NULL DEFAULT '[]',
  "provenance_hash" TEXT NOT NULL,
  "user_id" TEXT REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "predictions_patient_id_idx" ON "predictions"("patient_id");

CREATE TABLE "jobs" (
  "id" TEXT PRIMARY KEY,
  "kind" TEXT NOT NULL,
  "status" "JobStatus" NOT NULL DEFAULT 'queued',
  "payload" JSONB NOT NULL DEFAULT '{}',
  "result" JSONB,
  "error" TEXT,
  "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
  "user_id" TEXT REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "started_at" TIMESTAMPTZ(3),
  "finished_at" TIMESTAMPTZ(3)
);
CREATE INDEX "jobs_status_idx" ON "jobs"("status");
