/**
 * classifySeriesRole: which NACpredict input a series is (CE-T1 / T2 / CT / other), from DICOM tags only.
 * A suggestion with a confidence in [0, 1] and the reasons behind it; the user can always override it.
 *
 * Rules (evidence is summed per kind; keywords match whole tokens of SeriesDescription + SequenceName +
 * ProtocolName, split on anything that is not a letter, digit or '+'):
 *  1. Modality CT -> "CT" (0.99). Modality other than MR -> "other" (0.95).
 *  2. MR localiser / calibration / diffusion / ADC / MIP / spectroscopy keywords (localizer, loc, scout, survey,
 *     3plane, cal, asset, dwi, diff, diffusion, adc, trace, ep2d, b0, b800, mip, spectro) -> "other" (0.9).
 *  3. T1 evidence: keyword t1 / t1w / t1-weighted, or a T1 gradient-echo sequence name (vibrant, vibe, thrive, fl3d,
 *     fspgr, spgr, fgre, 3dfgre, flash, lava, ir_3dfgre, dyn, dynamic, tfl) +2; TR <= 1000 ms and TE <= 20 ms +2;
 *     ScanningSequence GR with TE <= 20 ms +1.
 *  4. T2 evidence: keyword t2 / t2w / stir / tirm / haste / t2-weighted +2; TR >= 1500 ms and TE >= 60 ms +2;
 *     ScanningSequence SE (without GR) with TE >= 60 ms +1.
 *  5. Contrast evidence: ContrastBolusAgent set to anything but none/no/0 +2 (set to NONE/NO: -1); keyword post,
 *     +c, c+, gad, gd, contrast, ce, dce, dyn, dynamic, enh, enhanced, pe1, pe2, ser, sub, subtraction, ph1..ph9
 *     +2; keyword pre, precontrast, nc, noncontrast -2; keyword multiphase/multi-phase +1. For one phase of a
 *     series split by TemporalPositionIdentifier/Index (a DCE series): phase 1 (the baseline) -3, later phases +2.
 *  6. Decision: T2 if T2 >= 2 and T2 > T1 (contrast ignored). CE-T1 if T1 >= 2, T1 >= T2 and contrast >= 1.
 *     A T1 series without contrast evidence is "other" (pre-contrast T1 is not a model input). Else "other".
 *     Confidence: T2 = 0.5 + 0.1 x (T2 - T1); CE-T1 = min(0.5 + 0.1 x (T1 - T2), 0.55 + 0.1 x contrast), so
 *     weak or conflicting contrast evidence caps it; both clipped to [0.5, 0.95]. "other" for lack of evidence is 0.5.
 */
import type { SeriesAcquisition } from "./read-series";
import type { ClassifiedRole } from "./roles";

/** The classifier answers with labels of lib/imaging/series/roles.ts (roleIdOf gives the stored id). */
export type SeriesRole = ClassifiedRole;

export interface RoleInput {
  modality?: string;
  /** Set for one phase of a split multi-phase series (SeriesMetadata.phase). */
  phase?: { key: string; value: string };
  seriesDescription?: string;
  protocolName?: string;
  acquisition?: SeriesAcquisition;
}

export interface RoleSuggestion {
  role: SeriesRole;
  confidence: number;
  reasons: string[];
}

const EXCLUDE = new Set([
  "localizer",
  "localiser",
  "loc",
  "scout",
  "survey",
  "3plane",
  "cal",
  "asset",
  "dwi",
  "diff",
  "diffusion",
  "adc",
  "trace",
  "ep2d",
  "b0",
  "b800",
  "mip",
  "spectro",
]);
const T1_WORDS = new Set(["t1", "t1w", "t1weighted"]);
const T1_SEQ = ["vibrant", "vibe", "thrive", "fl3d", "fspgr", "spgr", "fgre", "flash", "lava", "tfl"];
const T1_DYN = new Set(["dyn", "dynamic"]);
const T2_WORDS = new Set(["t2", "t2w", "t2weighted", "stir", "tirm", "haste"]);
const CONTRAST_WORDS = new Set([
  "post",
  "+c",
  "c+",
  "gad",
  "gd",
  "contrast",
  "ce",
  "dce",
  "dyn",
  "dynamic",
  "enh",
  "enhanced",
  "pe1",
  "pe2",
  "ser",
  "sub",
  "subtraction",
]);
const NO_CONTRAST_WORDS = new Set(["pre", "precontrast", "nc", "noncontrast"]);
const MULTIPHASE_WORDS = new Set(["multiphase", "multiphases"]);

function tokens(...texts: (string | undefined)[]): string[] {
  return texts
    .filter((t): t is string => !!t)
    .join(" ")
    .toLowerCase()
    .replace(/t([12])[-_ ]weighted/g, "t$1weighted")
    .replace(/multi[-_ ]phase/g, "multiphase")
    .split(/[^a-z0-9+]+/)
    .filter(Boolean);
}

const clip = (x: number) => Math.max(0.5, Math.min(0.95, x));

export function classifySeriesRole(meta: RoleInput): RoleSuggestion {
  const modality = (meta.modality ?? "").toUpperCase();
  if (modality === "CT") return { role: "CT", confidence: 0.99, reasons: ["Modality is CT"] };
  if (modality !== "MR")
    return { role: "other", confidence: 0.95, reasons: [`Modality is ${modality || "missing"}, not MR or CT`] };

  const acq = meta.acquisition ?? {};
  const words = tokens(meta.seriesDescription, acq.sequenceName, meta.protocolName);
  const excluded = words.find((w) => EXCLUDE.has(w));
  if (excluded)
    return {
      role: "other",
      confidence: 0.9,
      reasons: [`description keyword "${excluded}" marks a non-anatomical or auxiliary series`],
    };

  const reasons: string[] = [];
  let t1 = 0;
  let t2 = 0;
  let contrast = 0;
  const w1 = words.find((w) => T1_WORDS.has(w) || T1_DYN.has(w) || T1_SEQ.some((s) => w.includes(s)));
  if (w1) {
    t1 += 2;
    reasons.push(`T1 keyword "${w1}"`);
  }
  const w2 = words.find((w) => T2_WORDS.has(w));
  if (w2) {
    t2 += 2;
    reasons.push(`T2 keyword "${w2}"`);
  }
  const { repetitionTime: tr, echoTime: te } = acq;
  if (tr !== undefined && te !== undefined) {
    if (tr <= 1000 && te <= 20) {
      t1 += 2;
      reasons.push(`short TR/TE (${tr}/${te} ms): T1-weighted`);
    } else if (tr >= 1500 && te >= 60) {
      t2 += 2;
      reasons.push(`long TR/TE (${tr}/${te} ms): T2-weighted`);
    }
  }
  const seq = (acq.scanningSequence ?? "")
    .toUpperCase()
    .split(/\\/)
    .map((s) => s.trim());
  if (seq.includes("GR") && te !== undefined && te <= 20) {
    t1 += 1;
    reasons.push("gradient-echo with short TE");
  } else if (seq.includes("SE") && !seq.includes("GR") && te !== undefined && te >= 60) {
    t2 += 1;
    reasons.push("spin-echo with long TE");
  }
  const agent = acq.contrastBolusAgent?.trim();
  if (agent) {
    if (/^(none|no|0|n\/a)$/i.test(agent)) {
      contrast -= 1;
      reasons.push(`ContrastBolusAgent is "${agent}"`);
    } else {
      contrast += 2;
      reasons.push(`ContrastBolusAgent "${agent}"`);
    }
  }
  const wc = words.find((w) => CONTRAST_WORDS.has(w) || /^ph[1-9]$/.test(w));
  if (wc) {
    contrast += 2;
    reasons.push(`contrast keyword "${wc}"`);
  }
  const wn = words.find((w) => NO_CONTRAST_WORDS.has(w));
  if (wn) {
    contrast -= 2;
    reasons.push(`pre-contrast keyword "${wn}"`);
  }

  const wm = words.find((w) => MULTIPHASE_WORDS.has(w));
  if (wm) {
    contrast += 1;
    reasons.push(`multi-phase keyword "${wm}"`);
  }
  if (meta.phase && /^TemporalPosition/.test(meta.phase.key)) {
    const p = Number(meta.phase.value);
    if (p === 1) {
      contrast -= 3;
      reasons.push(`first temporal position of a dynamic series (pre-contrast baseline)`);
    } else if (p > 1) {
      contrast += 2;
      reasons.push(`temporal position ${p} of a dynamic series`);
    }
  }

  if (t2 >= 2 && t2 > t1) return { role: "T2", confidence: clip(0.5 + 0.1 * (t2 - t1)), reasons };
  if (t1 >= 2 && t1 >= t2 && contrast >= 1) {
    return { role: "CE-T1", confidence: clip(Math.min(0.5 + 0.1 * (t1 - t2), 0.55 + 0.1 * contrast)), reasons };
  }
  if (t1 >= 2 && t1 >= t2) reasons.push("T1-weighted without contrast evidence (pre-contrast T1 is not a model input)");
  if (!reasons.length) reasons.push("no weighting or contrast evidence in the tags");
  return { role: "other", confidence: 0.5, reasons };
}
