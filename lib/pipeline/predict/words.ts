/**
 * Feature names in human words for explanations: `CE_T1.peri.original_glcm_Contrast` -> "CE-T1 peritumoral GLCM
 * contrast", `CE_T1.intra.resnet10_017` -> "CE-T1 intratumoral ResNet10 deep feature 17", `clinical.her2` -> "HER2
 * positive". Browser-safe.
 */
import { CLINICAL_VARIABLES } from "../case-features/clinical";

const ROLE_WORDS: Record<string, string> = { CE_T1: "CE-T1", T2: "T2", CT: "CT" };
const REGION_WORDS: Record<string, string> = { intra: "intratumoral", peri: "peritumoral" };
const FAMILY_WORDS: Record<string, string> = {
  shape: "shape",
  firstorder: "first-order",
  glcm: "GLCM",
  glrlm: "GLRLM",
  glszm: "GLSZM",
  gldm: "GLDM",
  ngtdm: "NGTDM",
};

/** "JointEntropy" -> "joint entropy", "Maximum2DDiameterSlice" -> "maximum 2D diameter slice", "IDMN" -> "IDMN". */
export function splitCamel(s: string): string {
  return s
    .replace(/([a-z])([A-Z0-9])/g, "$1 $2")
    .replace(/([0-9])([A-Z][a-z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(" ")
    .map((w) => (/^[A-Z][a-z]+$/.test(w) ? w.toLowerCase() : w))
    .join(" ");
}

export function featureWords(name: string): string {
  const c = /^clinical\.(.+)$/.exec(name);
  if (c) return CLINICAL_VARIABLES.find((v) => v.name === c[1])?.words ?? c[1];
  const m = /^(CE_T1|T2|CT)\.(intra|peri)\.(.+)$/.exec(name);
  if (!m) return name;
  const where = `${ROLE_WORDS[m[1]]} ${REGION_WORDS[m[2]]}`;
  const deep = /^resnet(\d+)_(\d+)$/.exec(m[3]);
  if (deep) return `${where} ResNet${deep[1]} deep feature ${Number(deep[2])}`;
  const rad = /^[a-zA-Z0-9]+_([a-z]+)_(.+)$/.exec(m[3]);
  if (rad) return `${where} ${FAMILY_WORDS[rad[1]] ?? rad[1]} ${splitCamel(rad[2])}`;
  return `${where} ${m[3]}`;
}

/** "CE-T1 peritumoral GLCM contrast: +0.12" (contribution on the log-odds scale). */
export function contributionWords(name: string, contribution: number): string {
  const v = Math.abs(contribution) < 0.005 ? "0.00" : `${contribution > 0 ? "+" : "-"}${Math.abs(contribution).toFixed(2)}`;
  return `${featureWords(name)}: ${v}`;
}
