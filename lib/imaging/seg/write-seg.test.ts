/**
 * SEG writer: masks written on a DICOM series read back identical with readSeg (by source UID and by position), and
 * dcmjs parses the file with the expected structure.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { dcmjs } from "../dicom/dcmjs";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDicom, TAG } from "../dicom";
import { useNodeCodecWasm } from "../dicom/node/codec-wasm";
import { readDicomSeries, type DicomSeries } from "../series";
import { makeVolume, type Mask } from "../volume";
import { readSeg } from "./read-seg";
import { writeSeg } from "./write-seg";

const TESTDATA = path.resolve(import.meta.dirname, "../../testdata");
const bytes = (p: string) => new Uint8Array(readFileSync(p));

function differing(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return d;
}

let sts: DicomSeries;
let tumour: Mask;
let ring: Mask;
beforeAll(async () => {
  useNodeCodecWasm();
  const dir = path.join(TESTDATA, "mirp_sts/STS_002/MR_T1/dicom/image");
  [sts] = await readDicomSeries(readdirSync(dir).map((f) => bytes(path.join(dir, f))));
  const [nx, ny, nz] = sts.volume.dims;
  // A 23x38-odd sized ellipsoid and an overlapping slab so that bit packing crosses byte and frame boundaries.
  const a = new Uint8Array(nx * ny * nz);
  const b = new Uint8Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const at = i + j * nx + k * nx * ny;
        if (((i - 50) / 21) ** 2 + ((j - 40) / 17) ** 2 + ((k - 17) / 7) ** 2 <= 1) a[at] = 1;
        if (k >= 15 && k <= 19 && i >= 60 && i < 83 && j >= 30 && j < 37) b[at] = 1;
      }
  tumour = makeVolume(a, sts.volume);
  ring = makeVolume(b, sts.volume);
});

describe("writeSeg", () => {
  it("reads back identical with readSeg, by source UID and by position", async () => {
    const out = writeSeg({ geometry: sts.volume, meta: sts.meta }, [
      { mask: tumour, label: "Tumour", algorithmType: "AUTOMATIC" },
      { mask: ring, label: "Slab" },
    ]);
    for (const ref of [
      { ...sts.volume, sopInstanceUids: sts.meta.sopInstanceUids, frameNumbers: sts.meta.frameNumbers },
      sts.volume,
    ]) {
      const back = await readSeg(out, ref);
      expect(back.segments.map((s) => s.segment.label)).toEqual(["Tumour", "Slab"]);
      expect(differing(back.segments[0].mask.data, tumour.data)).toBe(0);
      expect(differing(back.segments[1].mask.data, ring.data)).toBe(0);
      expect(back.segments[0].voxelCount).toBe(tumour.data.reduce((s, v) => s + v, 0));
      expect(back.referencedSeriesUids).toEqual([sts.meta.seriesInstanceUid]);
      expect(back.frameOfReferenceUid).toBe(sts.meta.frameOfReferenceUid);
    }
    const ds = parseDicom(out);
    expect(ds.string(TAG.StudyInstanceUID)).toBe(sts.meta.studyInstanceUid);
    // DimensionIndexPointer is an AT: (0062,000B) then (0020,0032)
    const dims = ds.sequence("00209222").map((d) => [d.uint16("00209165", 0), d.uint16("00209165", 1)]);
    expect(dims).toEqual([
      [0x0062, 0x000b],
      [0x0020, 0x0032],
    ]);
    expect(ds.string(TAG.PatientID)).toBe(sts.meta.patientId);
  });

  it("is parsed by dcmjs with the SEG structure", () => {
    const out = writeSeg({ geometry: sts.volume, meta: sts.meta }, [{ mask: tumour, label: "Tumour" }]);
    const msg = dcmjs.data.DicomMessage.readFile(out.slice().buffer);
    const nat = dcmjs.data.DicomMetaDictionary.naturalizeDataset(msg.dict) as Record<string, unknown> & {
      PerFrameFunctionalGroupsSequence: { SegmentIdentificationSequence: { ReferencedSegmentNumber: number } }[];
      SegmentSequence: { SegmentLabel: string } | { SegmentLabel: string }[];
    };
    expect(nat.SOPClassUID).toBe("1.2.840.10008.5.1.4.1.1.66.4");
    expect(nat.Modality).toBe("SEG");
    expect(nat.SegmentationType).toBe("BINARY");
    expect(nat.BitsAllocated).toBe(1);
    expect(nat.Rows).toBe(sts.volume.dims[1]);
    expect(nat.Columns).toBe(sts.volume.dims[0]);
    expect(nat.NumberOfFrames).toBe(nat.PerFrameFunctionalGroupsSequence.length);
    const seq = Array.isArray(nat.SegmentSequence) ? nat.SegmentSequence : [nat.SegmentSequence];
    expect(seq[0].SegmentLabel).toBe("Tumour");
  });

  it("is read back by dcmjs's Cornerstone SEG adapter into the same labelmap", () => {
    const out = writeSeg({ geometry: sts.volume, meta: sts.meta }, [{ mask: tumour, label: "Tumour" }]);
    const g = sts.volume;
    const imageIds = sts.meta.sopInstanceUids.map((uid) => `nac:${uid}`);
    const provider = {
      get(type: string, imageId: string) {
        const k = imageIds.indexOf(imageId);
        if (k < 0) return undefined;
        if (type === "generalSeriesModule") return { seriesInstanceUID: sts.meta.seriesInstanceUid };
        if (type === "imagePixelModule") return { rows: g.dims[1], columns: g.dims[0] };
        if (type === "sopCommonModule")
          return { sopInstanceUID: sts.meta.sopInstanceUids[k], sopClassUID: sts.meta.sopClassUid };
        if (type === "imagePlaneModule") {
          const pos = [0, 1, 2].map((a) => g.origin[a] + k * g.spacing[2] * g.direction[6 + a]);
          return {
            rows: g.dims[1],
            columns: g.dims[0],
            rowCosines: g.direction.slice(0, 3),
            columnCosines: g.direction.slice(3, 6),
            imagePositionPatient: pos,
            rowPixelSpacing: g.spacing[1],
            columnPixelSpacing: g.spacing[0],
            frameOfReferenceUID: sts.meta.frameOfReferenceUid,
          };
        }
        return undefined;
      },
    };
    const adapters = (
      dcmjs as unknown as {
        adapters: {
          Cornerstone: {
            Segmentation: {
              generateToolState: (
                ids: string[],
                buf: ArrayBuffer,
                p: unknown,
              ) => { labelmapBufferArray: ArrayBuffer[] };
            };
          };
        };
      }
    ).adapters;
    const state = adapters.Cornerstone.Segmentation.generateToolState(imageIds, out.slice().buffer, provider);
    const labelmap = new Uint16Array(state.labelmapBufferArray[0]);
    expect(labelmap.length).toBe(tumour.data.length);
    let diff = 0;
    for (let i = 0; i < labelmap.length; i++) if ((labelmap[i] ? 1 : 0) !== tumour.data[i]) diff++;
    expect(diff).toBe(0);
  });

  it("refuses empty masks and masks off the source grid", () => {
    const empty = makeVolume(new Uint8Array(tumour.data.length), sts.volume);
    expect(() => writeSeg({ geometry: sts.volume, meta: sts.meta }, [{ mask: empty, label: "x" }])).toThrow(/empty/);
    const shifted = makeVolume(tumour.data, { ...sts.volume, origin: [0, 0, 0] });
    expect(() => writeSeg({ geometry: sts.volume, meta: sts.meta }, [{ mask: shifted, label: "x" }])).toThrow(/grid/);
  });
});
