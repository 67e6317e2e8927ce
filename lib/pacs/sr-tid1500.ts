/**
 * A prediction as a DICOM Structured Report following TID 1500 (Imaging Measurement Report), in the way of dcmqi's
 * TID 1500 JSON and the IHE AI Results profile: Comprehensive SR, one TID 1411 volumetric measurement group per tumour
 * ROI, its region given as a reference to the DICOM SEG segment (121214 "Referenced Segment") and the segmentation's
 * source series (121232), measurements "Volume" (SCT 118565006, mm3) and "Long Axis" (SCT 103339001, mm: the longest
 * 3D diameter); the prediction's group (the primary ROI's) also holds the pCR and response probabilities as derived
 * numeric evaluations (NACpredict codes, scheme 99NACP, declared in the Coding Scheme Identification) with their spread
 * across the partition models (mean, standard deviation, minimum, maximum as Derivation modifiers), every measurement
 * naming its algorithm (TID 4019: the model's name and version). Serialised with dcmjs; browser-safe.
 */
import { NacError } from "../errors/nac-error";
import { newUid, type CodedConcept } from "../imaging/seg";
import { derivedHeader, writePart10 } from "../imaging/dicom/write-derived";

export const COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";
export const SEG_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.66.4";
export const LOCAL_SCHEME = "99NACP";

const c = (CodeValue: string, CodingSchemeDesignator: string, CodeMeaning: string): CodedConcept => ({
  CodeValue,
  CodingSchemeDesignator,
  CodeMeaning,
});
/** The concept codes the report uses (exported for the tests, which read them back with pydicom). */
export const CODES = {
  imagingMeasurementReport: c("126000", "DCM", "Imaging Measurement Report"),
  language: c("121049", "DCM", "Language of Content Item and Descendants"),
  english: c("eng", "RFC5646", "English"),
  observerType: c("121005", "DCM", "Observer Type"),
  device: c("121007", "DCM", "Device"),
  deviceObserverUid: c("121012", "DCM", "Device Observer UID"),
  deviceObserverName: c("121013", "DCM", "Device Observer Name"),
  deviceObserverModelName: c("121015", "DCM", "Device Observer Model Name"),
  procedureReported: c("121058", "DCM", "Procedure reported"),
  imageLibrary: c("111028", "DCM", "Image Library"),
  imageLibraryGroup: c("126200", "DCM", "Image Library Group"),
  imagingMeasurements: c("126010", "DCM", "Imaging Measurements"),
  measurementGroup: c("125007", "DCM", "Measurement Group"),
  trackingIdentifier: c("112039", "DCM", "Tracking Identifier"),
  trackingUid: c("112040", "DCM", "Tracking Unique Identifier"),
  referencedSegment: c("121214", "DCM", "Referenced Segment"),
  sourceSeriesForSegmentation: c("121232", "DCM", "Source series for segmentation"),
  finding: c("121071", "DCM", "Finding"),
  tumor: c("108369006", "SCT", "Tumor"),
  findingSite: c("363698007", "SCT", "Finding Site"),
  breast: c("76752008", "SCT", "Breast"),
  volume: c("118565006", "SCT", "Volume"),
  longAxis: c("103339001", "SCT", "Long Axis"),
  algorithmName: c("111001", "DCM", "Algorithm Name"),
  algorithmVersion: c("111003", "DCM", "Algorithm Version"),
  derivation: c("121401", "DCM", "Derivation"),
  mean: c("373098007", "SCT", "Mean"),
  standardDeviation: c("386136009", "SCT", "Standard Deviation"),
  minimum: c("255605001", "SCT", "Minimum"),
  maximum: c("56851009", "SCT", "Maximum"),
  pcrProbability: c("NACP-PCR-P", LOCAL_SCHEME, "Probability of pathologic complete response"),
  responseProbability: c("NACP-RESP-P", LOCAL_SCHEME, "Probability of response (>= 30% tumour size reduction)"),
  mm3: c("mm3", "UCUM", "cubic millimeter"),
  mm: c("mm", "UCUM", "millimeter"),
  noUnits: c("1", "UCUM", "no units"),
} as const;

export interface SrPatientStudy {
  patientName?: string;
  patientId?: string;
  patientBirthDate?: string;
  patientSex?: string;
  studyInstanceUid: string;
  studyDate?: string;
  studyTime?: string;
  studyId?: string;
  accessionNumber?: string;
  referringPhysicianName?: string;
}

export interface SrRoiGroup {
  /** e.g. "CE-T1 tumour ROI v2" */
  trackingIdentifier: string;
  /** defaults to a fresh UID; pass a stable one so the same report is written byte for byte again */
  trackingUid?: string;
  seg: { sopInstanceUid: string; seriesInstanceUid: string; studyInstanceUid: string; segmentNumber: number };
  source: { studyInstanceUid: string; seriesInstanceUid: string; sopClassUid: string; sopInstanceUids: string[] };
  volumeMm3: number;
  longAxisMm: number;
}

export interface SrEndpoint {
  probability: number;
  spread: { mean: number; sd: number; min: number; max: number; n: number };
}

export interface MeasurementReportInput {
  patientStudy: SrPatientStudy;
  /** the first is the primary ROI: its group carries the probabilities */
  rois: SrRoiGroup[];
  endpoints: { pcr: SrEndpoint; response: SrEndpoint };
  model: { name: string; version: string };
  /** stable UID of this NACpredict installation as a device observer */
  deviceObserverUid: string;
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
  seriesNumber?: number;
  date?: Date;
}

/** DS: at most 16 characters. */
function dsValue(x: number): string {
  if (!Number.isFinite(x)) throw new NacError("DATA_INVALID", `SR measurement ${x} is not a finite number`);
  for (let p = 10; p > 0; p--) {
    const s = String(Number(x.toPrecision(p)));
    if (s.length <= 16) return s;
  }
  return String(Math.round(x));
}

type Item = Record<string, unknown>;
const code = (x: CodedConcept) => [{ ...x }];
const codeItem = (rel: string, name: CodedConcept, value: CodedConcept, children?: Item[]): Item => ({
  RelationshipType: rel,
  ValueType: "CODE",
  ConceptNameCodeSequence: code(name),
  ConceptCodeSequence: code(value),
  ...(children ? { ContentSequence: children } : {}),
});
const textItem = (rel: string, name: CodedConcept, text: string): Item => ({
  RelationshipType: rel,
  ValueType: "TEXT",
  ConceptNameCodeSequence: code(name),
  TextValue: text,
});
const uidItem = (rel: string, name: CodedConcept, uid: string): Item => ({
  RelationshipType: rel,
  ValueType: "UIDREF",
  ConceptNameCodeSequence: code(name),
  UID: uid,
});
const container = (rel: string, name: CodedConcept, children: Item[], template?: string): Item => ({
  RelationshipType: rel,
  ValueType: "CONTAINER",
  ConceptNameCodeSequence: code(name),
  ContinuityOfContent: "SEPARATE",
  ...(template ? { ContentTemplateSequence: [{ MappingResource: "DCMR", TemplateIdentifier: template }] } : {}),
  ContentSequence: children,
});
const numItem = (name: CodedConcept, value: number, unit: CodedConcept, children: Item[]): Item => ({
  RelationshipType: "CONTAINS",
  ValueType: "NUM",
  ConceptNameCodeSequence: code(name),
  MeasuredValueSequence: [{ MeasurementUnitsCodeSequence: code(unit), NumericValue: dsValue(value) }],
  ContentSequence: children,
});

export function writeMeasurementReport(input: MeasurementReportInput): Uint8Array {
  if (!input.rois.length)
    throw new NacError("BAD_REQUEST", "a measurement report needs at least one tumour ROI stored as DICOM SEG");
  const date = input.date ?? new Date();
  const sopInstanceUid = input.sopInstanceUid ?? newUid();
  const ps = input.patientStudy;
  const algorithm = [
    textItem("HAS CONCEPT MOD", CODES.algorithmName, input.model.name),
    textItem("HAS CONCEPT MOD", CODES.algorithmVersion, input.model.version),
  ];
  const derived = (x: CodedConcept) => [codeItem("HAS CONCEPT MOD", CODES.derivation, x), ...algorithm];

  const groups = input.rois.map((r, i) => {
    const evaluations: Item[] = [];
    if (i === 0) {
      for (const [concept, ep] of [
        [CODES.pcrProbability, input.endpoints.pcr],
        [CODES.responseProbability, input.endpoints.response],
      ] as const) {
        evaluations.push(
          numItem(concept, ep.probability, CODES.noUnits, algorithm),
          numItem(concept, ep.spread.mean, CODES.noUnits, derived(CODES.mean)),
          numItem(concept, ep.spread.sd, CODES.noUnits, derived(CODES.standardDeviation)),
          numItem(concept, ep.spread.min, CODES.noUnits, derived(CODES.minimum)),
          numItem(concept, ep.spread.max, CODES.noUnits, derived(CODES.maximum)),
        );
      }
    }
    return container(
      "CONTAINS",
      CODES.measurementGroup,
      [
        textItem("HAS OBS CONTEXT", CODES.trackingIdentifier, r.trackingIdentifier),
        uidItem("HAS OBS CONTEXT", CODES.trackingUid, r.trackingUid ?? newUid()),
        codeItem("CONTAINS", CODES.finding, CODES.tumor),
        {
          RelationshipType: "CONTAINS",
          ValueType: "IMAGE",
          ConceptNameCodeSequence: code(CODES.referencedSegment),
          ReferencedSOPSequence: [
            {
              ReferencedSOPClassUID: SEG_SOP_CLASS,
              ReferencedSOPInstanceUID: r.seg.sopInstanceUid,
              ReferencedSegmentNumber: r.seg.segmentNumber,
            },
          ],
        },
        uidItem("CONTAINS", CODES.sourceSeriesForSegmentation, r.source.seriesInstanceUid),
        codeItem("HAS CONCEPT MOD", CODES.findingSite, CODES.breast),
        numItem(CODES.volume, r.volumeMm3, CODES.mm3, algorithm),
        numItem(CODES.longAxis, r.longAxisMm, CODES.mm, algorithm),
        ...evaluations,
      ],
      "1411",
    );
  });

  const library = container("CONTAINS", CODES.imageLibrary, [
    container(
      "CONTAINS",
      CODES.imageLibraryGroup,
      input.rois
        .filter((r, i, all) => all.findIndex((x) => x.source.seriesInstanceUid === r.source.seriesInstanceUid) === i)
        .flatMap((r) =>
          r.source.sopInstanceUids.map((uid) => ({
            RelationshipType: "CONTAINS",
            ValueType: "IMAGE",
            ReferencedSOPSequence: [{ ReferencedSOPClassUID: r.source.sopClassUid, ReferencedSOPInstanceUID: uid }],
          })),
        ),
    ),
  ]);

  // Evidence: every instance the report references, by study and series.
  const evidence = new Map<string, Map<string, { cls: string; uid: string }[]>>();
  const addEvidence = (study: string, series: string, cls: string, uid: string) => {
    const st = evidence.get(study) ?? new Map<string, { cls: string; uid: string }[]>();
    evidence.set(study, st);
    const se = st.get(series) ?? [];
    st.set(series, se);
    if (!se.some((x) => x.uid === uid)) se.push({ cls, uid });
  };
  for (const r of input.rois) {
    addEvidence(r.seg.studyInstanceUid, r.seg.seriesInstanceUid, SEG_SOP_CLASS, r.seg.sopInstanceUid);
    for (const uid of r.source.sopInstanceUids)
      addEvidence(r.source.studyInstanceUid, r.source.seriesInstanceUid, r.source.sopClassUid, uid);
  }

  const dataset: Record<string, unknown> = {
    ...derivedHeader(COMPREHENSIVE_SR, sopInstanceUid, date, ps),
    Modality: "SR",
    SeriesDescription: "NACpredict prediction (research use only)",
    StudyInstanceUID: ps.studyInstanceUid,
    SeriesInstanceUID: input.seriesInstanceUid ?? newUid(),
    SeriesNumber: input.seriesNumber ?? 9101,
    InstanceNumber: 1,
    ReferencedPerformedProcedureStepSequence: [],
    CodingSchemeIdentificationSequence: [
      {
        CodingSchemeDesignator: LOCAL_SCHEME,
        CodingSchemeName: "NACpredict local codes",
        CodingSchemeResponsibleOrganization: "NACpredict",
      },
    ],
    CompletionFlag: "COMPLETE",
    VerificationFlag: "UNVERIFIED",
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: [...evidence].map(([study, series]) => ({
      StudyInstanceUID: study,
      ReferencedSeriesSequence: [...series].map(([uid, sops]) => ({
        SeriesInstanceUID: uid,
        ReferencedSOPSequence: sops.map((s) => ({ ReferencedSOPClassUID: s.cls, ReferencedSOPInstanceUID: s.uid })),
      })),
    })),
    ValueType: "CONTAINER",
    ConceptNameCodeSequence: code(CODES.imagingMeasurementReport),
    ContinuityOfContent: "SEPARATE",
    ContentTemplateSequence: [{ MappingResource: "DCMR", TemplateIdentifier: "1500" }],
    ContentSequence: [
      codeItem("HAS CONCEPT MOD", CODES.language, CODES.english),
      codeItem("HAS OBS CONTEXT", CODES.observerType, CODES.device),
      uidItem("HAS OBS CONTEXT", CODES.deviceObserverUid, input.deviceObserverUid),
      textItem("HAS OBS CONTEXT", CODES.deviceObserverName, "NACpredict"),
      textItem(
        "HAS OBS CONTEXT",
        CODES.deviceObserverModelName,
        `${input.model.name} ${input.model.version}`.slice(0, 1024),
      ),
      codeItem(
        "HAS CONCEPT MOD",
        CODES.procedureReported,
        c("241615005", "SCT", "Magnetic resonance imaging of breast"),
      ),
      library,
      container("CONTAINS", CODES.imagingMeasurements, groups),
    ],
  };

  return writePart10(dataset);
}
