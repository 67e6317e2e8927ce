-- Experiments (the paper's comparison) and the model registry's provenance (issue 14).

CREATE TABLE "experiments" (
  "id" TEXT PRIMARY KEY,
  "name" TEXT NOT NULL,
  "status" "JobStatus" NOT NULL DEFAULT 'queued',
  "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
  "progress_note" TEXT,
  "config" JSONB NOT NULL,
  "table_sha256" TEXT NOT NULL,
  "table_storage_key" TEXT NOT NULL,
  "table_summary" JSONB NOT NULL,
  "engine_versions" JSONB NOT NULL,
  "summary" JSONB,
  "error" TEXT,
  "job_id" TEXT REFERENCES "jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "created_by_id" TEXT REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "started_at" TIMESTAMPTZ(3),
  "finished_at" TIMESTAMPTZ(3),
  "elapsed_ms" INTEGER
);
CREATE INDEX "experiments_created_at_idx" ON "experiments"("created_at");

CREATE TABLE "experiment_results" (
  "id" TEXT PRIMARY KEY,
  "experiment_id" TEXT NOT NULL REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "feature_set" TEXT NOT NULL,
  "endpoint" TEXT NOT NULL,
  "label" TEXT NOT NULL,
  "n_rows" INTEGER NOT NULL,
  "n_positive" INTEGER NOT NULL,
  "n_features" INTEGER NOT NULL,
  "config" JSONB NOT NULL,
  "selector" JSONB NOT NULL,
  "metrics" JSONB NOT NULL,
  "roc" JSONB NOT NULL,
  "calibration" JSONB NOT NULL,
  "selection" JSONB NOT NULL,
  "partitions" JSONB NOT NULL,
  "elapsed_ms" INTEGER NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "experiment_results_experiment_id_feature_set_endpoint_key" UNIQUE ("experiment_id", "feature_set", "endpoint")
);

CREATE TABLE "model_registrations" (
  "id" TEXT PRIMARY KEY,
  "model_bundle_id" TEXT NOT NULL UNIQUE REFERENCES "model_bundles"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "experiment_id" TEXT REFERENCES "experiments"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "feature_set" TEXT,
  "source" TEXT NOT NULL,
  "registered_by_id" TEXT REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
