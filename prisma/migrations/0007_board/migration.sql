-- issue 18 item 1: tumour-board sessions (ordered lists of patients presented one per screen).
CREATE TABLE "board_sessions" (
  "id" TEXT PRIMARY KEY,
  "title" TEXT NOT NULL,
  "show_name" BOOLEAN NOT NULL DEFAULT true,
  "show_patient_key" BOOLEAN NOT NULL DEFAULT true,
  "created_by_id" TEXT NOT NULL REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL
);

CREATE TABLE "board_cases" (
  "id" TEXT PRIMARY KEY,
  "session_id" TEXT NOT NULL REFERENCES "board_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "patient_id" TEXT NOT NULL REFERENCES "patients"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "position" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "board_cases_session_id_patient_id_key" ON "board_cases"("session_id", "patient_id");
CREATE INDEX "board_cases_session_id_position_idx" ON "board_cases"("session_id", "position");
