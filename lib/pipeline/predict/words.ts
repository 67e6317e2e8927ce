/**
 * Feature names in human words for explanations: `CE_T1.peri.original_glcm_Contrast` -> "CE-T1 peritumoral GLCM
 * contrast", `CE_T1.intra.resnet10_017` -> "CE-T1 intratumoral ResNet10 deep feature 17", `clinical.her2` -> "HER2
 * positive". Browser-safe.
 */
import { CLINICAL_ENCODINGS } from "../../clinical/encoding";
import { roleLabel } from "../../imaging/series/roles";

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
  if (c) return CLINICAL_ENCODINGS.find((v) => v.name === c[1])?.words ?? c[1];
  const m = /^(CE_T1|T2|CT)\.(intra|peri)\.(.+)$/.exec(name);
  if (!m) return name;
  const where = `${roleLabel(m[1])} ${REGION_WORDS[m[2]]}`;
  const deep = /^resnet(\d+)_(\d+)$/.exec(m[3]);
  if (deep) return `${where} ResNet${deep[1]} deep feature ${Number(deep[2])}`;
  const rad = /^[a-zA-Z0-9]+_([a-z]+)_(.+)$/.exec(m[3]);
  if (rad) return `${where} ${FAMILY_WORDS[rad[1]] ?? rad[1]} ${splitCamel(rad[2])}`;
  return `${where} ${m[3]}`;
}

/** "CE-T1 peritumoral GLCM contrast: +0.12" (contribution on the log-odds scale). */
export function contributionWords(name: string, contribution: number): string {
  const v =
    Math.abs(contribution) < 0.005 ? "0.00" : `${contribution > 0 ? "+" : "-"}${Math.abs(contribution).toFixed(2)}`;
  return `${featureWords(name)}: ${v}`;
}

/** Indicator (0/1) clinical inputs, said as the question they answer: "HR+/HER2− subtype: no". */
const INDICATOR_FACT: Record<string, string> = {
  postmenopausal: "post-menopausal",
  er: "ER-positive",
  pr: "PR-positive",
  her2: "HER2-positive",
  tnbc: "triple-negative subtype",
  her2pos: "HER2+ subtype",
  hrpos: "HR+ (ER or PR positive)",
  hrposHer2neg: "HR+/HER2− subtype",
  lobular: "lobular histology",
};
const VALUE_LABEL: Record<string, string> = {
  age: "age",
  ki67: "Ki-67",
  grade: "grade",
  cT: "clinical T stage",
  cN: "clinical N stage",
};
const VALUE_FACT: Record<string, (v: number) => string> = {
  age: (v) => `age ${v} years`,
  ki67: (v) => `Ki-67 ${v} %`,
  grade: (v) => `grade ${v}`,
  cT: (v) => `clinical stage T${v}`,
  cN: (v) => `clinical stage N${v}`,
};

/** A clinical variable's name as the facts use it ("HR+/HER2− subtype", "Ki-67"), for a value that is missing. */
export function clinicalLabel(name: string): string {
  return INDICATOR_FACT[name] ?? VALUE_LABEL[name] ?? name;
}

/**
 * What a model input says about this patient: a clinical value as the patient's fact ("HR+/HER2− subtype: no",
 * "Ki-67 45 %"), an image feature by name; an input the patient does not have is named as imputed with why.
 */
export function inputFact(name: string, value: number | null, imputedBecause?: string): string {
  if (value === null) return `${featureWords(name)} (imputed: ${imputedBecause ?? "missing"}, training median used)`;
  const c = /^clinical\.(.+)$/.exec(name);
  if (c && INDICATOR_FACT[c[1]] && (value === 0 || value === 1))
    return `${INDICATOR_FACT[c[1]]}: ${value === 1 ? "yes" : "no"}`;
  if (c && VALUE_FACT[c[1]]) return VALUE_FACT[c[1]](value);
  return featureWords(name);
}

/** A contribution in words with the patient's fact: "HR+/HER2− subtype: no; contribution: +0.49". */
export function factContributionWords(
  name: string,
  value: number | null,
  contribution: number,
  imputedBecause?: string,
): string {
  const fact = inputFact(name, value, imputedBecause);
  const v = contributionWords(name, contribution).slice(featureWords(name).length + 2);
  return value !== null && !name.startsWith("clinical.") ? `${fact}: ${v}` : `${fact}; contribution: ${v}`;
}
