/**
 * A DICOMweb data source as an admin configures it (zod: the same schema validates the admin form and the API).
 * The secret is write-only: it is accepted here and never returned (`PublicPacsSource` has `hasSecret` instead).
 */
import { z } from "zod";

export const PacsSourceInput = z
  .object({
    name: z.string().trim().min(1).max(80),
    baseUrl: z
      .string()
      .trim()
      .max(500)
      .url()
      .refine((u) => /^https?:\/\//.test(u), "the DICOMweb root must be an http(s) URL"),
    authKind: z.enum(["none", "basic", "bearer"]),
    username: z.string().max(200).optional(),
    /** password (basic) or token (bearer); omitted on update = keep the stored one */
    secret: z.string().min(1).max(4000).optional(),
    timeoutMs: z.number().int().min(1000).max(300_000).default(15_000),
    isDefault: z.boolean().default(true),
  })
  .strict()
  .refine((s) => s.authKind !== "basic" || !!s.username, {
    message: "basic authentication needs a user name",
    path: ["username"],
  });
export type PacsSourceInput = z.infer<typeof PacsSourceInput>;

export interface PublicPacsSource {
  id: string;
  name: string;
  baseUrl: string;
  authKind: "none" | "basic" | "bearer";
  username: string | null;
  hasSecret: boolean;
  timeoutMs: number;
  isDefault: boolean;
}

export const StudySearchQuery = z
  .object({
    sourceId: z.string().uuid().optional(),
    patientId: z.string().trim().max(64).optional(),
    patientName: z.string().trim().max(64).optional(),
    birthDate: z
      .string()
      .regex(/^\d{8}$/, "YYYYMMDD")
      .optional(),
    studyDate: z
      .string()
      .regex(/^(\d{8})?(-(\d{8})?)?$/, "YYYYMMDD or a range YYYYMMDD-YYYYMMDD")
      .optional(),
    modality: z
      .string()
      .regex(/^[A-Z]{2,4}$/, "a modality code such as MR or CT")
      .optional(),
    accessionNumber: z.string().trim().max(16).optional(),
  })
  .strict();
export type StudySearchQuery = z.infer<typeof StudySearchQuery>;
