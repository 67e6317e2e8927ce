import { calibrationWords } from "./calibration-words";
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { measurementLine, type RoiMeasurement } from "./roi-measurements";

/** Everything the tumour-board report shows; assembled by lib/pipeline/report.ts. */
export interface ReportData {
  generatedAt: string;
  patient: { displayName: string; patientKey: string; isSynthetic: boolean };
  prediction: { id: string; createdAt: string; author: string | null };
  model: { name: string; version: string; isDemo: boolean; label: string; bundleId: string };
  endpoints: {
    key: string;
    label: string;
    probability: number;
    spread: { mean: number; sd: number; min: number; max: number; n: number };
    contributions: { words: string; value: number; input?: number | null }[];
    /** Issue 18: the calibration map the probability went through; null = uncalibrated; absent = older prediction. */
    calibration?: "platt" | "isotonic" | null;
  }[];
  warnings: string[];
  card: { intendedUse: string; trainingData: string; validation: string[]; limitations: string[] };
  keyImages: { title: string; png: Uint8Array }[];
  /** Volume and longest diameters of each ROI the prediction used. */
  measurements?: RoiMeasurement[];
  /** readers' measurements per series (viewer length/bidirectional tools); absent in reports made before them */
  readerMeasurements?: { title: string; lines: string[] }[];
  provenanceHash: string;
  /** What the prediction used: reasons it is incomplete, changes since (outdated), inputs in words. */
  inputs?: { incomplete: string[]; outdated: string[]; series: string[]; clinical: string[] };
}

const A4: [number, number] = [595.28, 841.89];
const M = 42;

class Writer {
  page: PDFPage;
  y: number;
  constructor(
    private doc: PDFDocument,
    private font: PDFFont,
    private bold: PDFFont,
  ) {
    this.page = this.newPage();
    this.y = A4[1] - M;
  }
  private newPage(): PDFPage {
    const p = this.doc.addPage(A4);
    p.drawRectangle({ x: 0, y: A4[1] - 22, width: A4[0], height: 22, color: rgb(0.89, 0.7, 0.25) });
    p.drawText("RESEARCH USE ONLY - NOT FOR CLINICAL DECISION MAKING", {
      x: M,
      y: A4[1] - 15,
      size: 9,
      font: this.bold,
      color: rgb(0.03, 0.04, 0.05),
    });
    this.y = A4[1] - M;
    return p;
  }
  need(h: number) {
    if (this.y - h < M) {
      this.page = this.newPage();
      this.y = A4[1] - M;
    }
  }
  text(s: string, opts: { size?: number; bold?: boolean; color?: [number, number, number]; indent?: number } = {}) {
    const size = opts.size ?? 10;
    const font = opts.bold ? this.bold : this.font;
    const maxW = A4[0] - 2 * M - (opts.indent ?? 0);
    for (const line of wrap(ascii(s), font, size, maxW)) {
      this.need(size + 4);
      this.page.drawText(line, {
        x: M + (opts.indent ?? 0),
        y: this.y - size,
        size,
        font,
        color: rgb(...(opts.color ?? [0.1, 0.1, 0.12])),
      });
      this.y -= size + 4;
    }
  }
  gap(h = 6) {
    this.y -= h;
  }
}

/** pdf-lib's standard fonts are WinAnsi: replace what they cannot encode rather than fail. */
function ascii(s: string): string {
  return s
    .replace(/[≥]/g, ">=")
    .replace(/[≤]/g, "<=")
    .replace(/[–—−]/g, "-")
    .replace(/[±]/g, "+/-")
    .replace(/[^\x20-\x7e]/g, "?");
}

function wrap(s: string, font: PDFFont, size: number, maxW: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const w of s.split(/\s+/)) {
    const next = line ? `${line} ${w}` : w;
    if (font.widthOfTextAtSize(next, size) > maxW && line) {
      out.push(line);
      line = w;
    } else line = next;
  }
  if (line) out.push(line);
  return out.length ? out : [""];
}

const pct = (p: number) => `${(100 * p).toFixed(0)}%`;

export async function buildReportPdf(d: ReportData): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`NACpredict tumour-board report - ${ascii(d.patient.displayName)}`);
  doc.setProducer("NACpredict (research use only)");
  doc.setCreationDate(new Date(d.generatedAt));
  doc.setModificationDate(new Date(d.generatedAt));
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );
  w.text("NACpredict - tumour-board report", { size: 16, bold: true });
  w.text(
    `Patient: ${d.patient.displayName} (${d.patient.patientKey})${d.patient.isSynthetic ? " - SYNTHETIC DEMO PATIENT" : ""}`,
  );
  w.text(
    `Prediction ${d.prediction.id} of ${d.prediction.createdAt}${d.prediction.author ? ` by ${d.prediction.author}` : ""}`,
    { size: 8 },
  );
  const label = d.model.isDemo && !d.model.name.includes(d.model.label) ? ` - ${d.model.label}` : "";
  w.text(`Model: ${d.model.name}, version ${d.model.version}${label}`, { bold: true });
  w.gap();
  if (d.inputs?.incomplete.length)
    w.text(`INCOMPLETE PREDICTION: ${d.inputs.incomplete.join("; ")}. Training medians stand in for what is missing.`, {
      bold: true,
      color: [0.7, 0.1, 0.1],
    });
  if (d.inputs?.outdated.length)
    w.text(`OUTDATED: ${d.inputs.outdated.join("; ")}.`, { bold: true, color: [0.6, 0.35, 0] });
  for (const e of d.endpoints) {
    w.text(`${e.label}: ${pct(e.probability)}`, { size: 13, bold: true });
    w.text(
      `Spread across ${e.spread.n} partition models: ${pct(e.spread.mean)} +/- ${(100 * e.spread.sd).toFixed(1)} points (range ${pct(e.spread.min)} - ${pct(e.spread.max)}).`,
    );
    if (e.calibration !== undefined) w.text(calibrationWords(e.calibration));
    w.text("What drove it (TreeSHAP, log-odds):", { size: 9, bold: true });
    // `words` already reads "CE-T1 peritumoral GLCM contrast: +0.12" (lib/pipeline/predict/words.ts).
    for (const c of e.contributions.filter((x) => x.input !== null).slice(0, 6))
      w.text(c.words, { size: 9, indent: 12 });
    const imputed = e.contributions.filter((x) => x.input === null);
    if (imputed.length) w.text("Imputed inputs (not this patient's values):", { size: 9, bold: true });
    for (const c of imputed) w.text(c.words, { size: 9, indent: 12 });
    w.gap();
  }
  w.text(
    "The probability is the final model's (trained on all training patients); the spread is that of the partition models, each trained on one training split.",
    { size: 8 },
  );
  if (d.inputs) {
    w.text("Inputs used", { bold: true });
    for (const x of d.inputs.series) w.text(x, { size: 9, indent: 12 });
    w.text("Clinical variables used:", { size: 9, bold: true });
    for (const x of d.inputs.clinical) w.text(x, { size: 9, indent: 12 });
    w.gap();
  }
  if (d.warnings.length) {
    w.text("Warnings", { bold: true, color: [0.6, 0.35, 0] });
    for (const x of d.warnings) w.text(`- ${x}`, { size: 9, color: [0.6, 0.35, 0] });
    w.gap();
  }
  if (d.measurements?.length) {
    w.text("Tumour measurements (ROI)", { bold: true });
    for (const m of d.measurements) w.text(measurementLine(m), { size: 9, indent: 12 });
    w.gap();
  }
  if (d.keyImages.length) {
    w.text("Key images (tumour outline red, peritumoral shell amber)", { bold: true });
    const size = 160;
    w.need(size + 20);
    let x = M;
    for (const k of d.keyImages) {
      const img = await doc.embedPng(k.png);
      const scale = size / Math.max(img.width, img.height);
      w.page.drawImage(img, { x, y: w.y - size, width: img.width * scale, height: img.height * scale });
      w.page.drawText(ascii(k.title), {
        x,
        y: w.y - size - 11,
        size: 8,
        font: await doc.embedFont(StandardFonts.Helvetica),
      });
      x += size + 12;
    }
    w.y -= size + 20;
  }
  if (d.readerMeasurements?.length) {
    w.text("Readers' measurements", { bold: true });
    for (const m of d.readerMeasurements) {
      w.text(m.title, { size: 9 });
      for (const l of m.lines) w.text(`- ${l}`, { size: 9, indent: 12 });
    }
    w.gap();
  }
  w.text("Model card (summary)", { bold: true });
  w.text(`Intended use: ${d.card.intendedUse}`, { size: 9 });
  w.text(`Training data: ${d.card.trainingData}`, { size: 9 });
  for (const v of d.card.validation) w.text(`Validation: ${v}`, { size: 9 });
  for (const l of d.card.limitations) w.text(`Limitation: ${l}`, { size: 9 });
  w.gap();
  w.text(
    `Provenance hash ${d.provenanceHash}. Generated ${d.generatedAt}. Research use only - not for clinical decision making.`,
    { size: 7 },
  );
  return doc.save();
}
