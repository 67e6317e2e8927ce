import { unzlibSync } from "fflate";

/**
 * The text drawn in a PDF written by lib/report (pdf-lib, standard fonts): content streams are Flate-compressed and
 * strings are hex, `<48656C6C6F> Tj`. For tests and checks of generated reports; not a general PDF text extractor.
 */
export function pdfText(pdf: Uint8Array): string {
  const raw = Buffer.from(pdf).toString("latin1");
  const chunks: string[] = [raw];
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = raw.indexOf("endstream", start);
    if (end < 0) continue;
    try {
      chunks.push(Buffer.from(unzlibSync(pdf.subarray(start, end))).toString("latin1"));
    } catch {
      // not a Flate stream (an image, or uncompressed): its raw text is already in chunks[0]
    }
  }
  return chunks
    .flatMap((c) => [...c.matchAll(/<([0-9A-Fa-f]+)>\s*Tj/g)].map((x) => Buffer.from(x[1], "hex").toString("latin1")))
    .join("\n");
}
