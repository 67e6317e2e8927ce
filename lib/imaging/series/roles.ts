/**
 * Series roles: the one vocabulary for which input a series is. Ids are those of the database (Prisma enum
 * SeriesRole) and of feature names (`CE_T1.intra.…`); labels are what people read ("CE-T1") and what the series
 * classifier, cohort folders and synthetic series are named by. Translate only through this module.
 */
import { z } from "zod";

/** The model's image inputs, in hanging order (left to right in the viewer). */
export const IMAGE_ROLES = ["CE_T1", "T2", "CT"] as const;
export type ImageRole = (typeof IMAGE_ROLES)[number];

/** Every role a stored series can have: an image input, or none of them. */
export const SERIES_ROLES = [...IMAGE_ROLES, "OTHER"] as const;
export type SeriesRoleId = (typeof SERIES_ROLES)[number];

export const seriesRoleSchema = z.enum(SERIES_ROLES);
export const imageRoleSchema = z.enum(IMAGE_ROLES);

export const ROLE_LABELS: Readonly<Record<SeriesRoleId, string>> = {
  CE_T1: "CE-T1",
  T2: "T2",
  CT: "CT",
  OTHER: "Other",
};

/** Labels of the image inputs ("CE-T1", "T2", "CT"): the classifier's, cohort folders' and synthetic series' names. */
export const IMAGE_ROLE_LABELS = ["CE-T1", "T2", "CT"] as const;
export type ImageRoleLabel = (typeof IMAGE_ROLE_LABELS)[number];
/** What the series classifier answers: an image input's label, or "other". */
export type ClassifiedRole = ImageRoleLabel | "other";

export function isSeriesRoleId(v: unknown): v is SeriesRoleId {
  return typeof v === "string" && (SERIES_ROLES as readonly string[]).includes(v);
}

export function isImageRole(v: unknown): v is ImageRole {
  return typeof v === "string" && (IMAGE_ROLES as readonly string[]).includes(v);
}

/** "CE_T1" -> "CE-T1"; an unknown id is shown as it is. */
export function roleLabel(id: string): string {
  return isSeriesRoleId(id) ? ROLE_LABELS[id] : id;
}

/** Role id of a label or classifier answer: "CE-T1" -> "CE_T1", "other" -> "OTHER"; an id is returned as it is. */
export function roleIdOf(label: ClassifiedRole | ImageRoleLabel | SeriesRoleId): SeriesRoleId;
export function roleIdOf(label: string): SeriesRoleId | null;
export function roleIdOf(label: string): SeriesRoleId | null {
  if (isSeriesRoleId(label)) return label;
  const found = SERIES_ROLES.find((id) => ROLE_LABELS[id].toLowerCase() === label.toLowerCase());
  return found ?? null;
}
