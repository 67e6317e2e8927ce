"""Reads a DICOM SR with pydicom (Debian python3-pydicom) and prints its content tree as JSON, for
lib/pipeline/pacs/writeback.int.test.ts: each item's relationship, value type, concept name code, and value
(code, text, UID, number with its unit, or referenced SOP instance with segment number)."""
import json
import sys

import pydicom


def code(seq):
    c = seq[0]
    return [c.CodeValue, c.CodingSchemeDesignator, c.CodeMeaning]


def item(ds):
    out = {"rel": getattr(ds, "RelationshipType", None), "type": ds.ValueType}
    if "ConceptNameCodeSequence" in ds:
        out["name"] = code(ds.ConceptNameCodeSequence)
    if ds.ValueType == "CODE":
        out["code"] = code(ds.ConceptCodeSequence)
    elif ds.ValueType == "TEXT":
        out["text"] = ds.TextValue
    elif ds.ValueType == "UIDREF":
        out["uid"] = ds.UID
    elif ds.ValueType == "NUM":
        mv = ds.MeasuredValueSequence[0]
        out["num"] = float(mv.NumericValue)
        out["unit"] = code(mv.MeasurementUnitsCodeSequence)
    elif ds.ValueType == "IMAGE":
        ref = ds.ReferencedSOPSequence[0]
        out["sop"] = ref.ReferencedSOPInstanceUID
        out["sopClass"] = ref.ReferencedSOPClassUID
        if "ReferencedSegmentNumber" in ref:
            out["segment"] = int(ref.ReferencedSegmentNumber)
    if "ContentTemplateSequence" in ds:
        out["template"] = ds.ContentTemplateSequence[0].TemplateIdentifier
    if "ContentSequence" in ds:
        out["children"] = [item(c) for c in ds.ContentSequence]
    return out


ds = pydicom.dcmread(sys.argv[1])
print(json.dumps({"sopClass": ds.SOPClassUID, "modality": ds.Modality, "patientId": ds.PatientID, "study": ds.StudyInstanceUID, "root": item(ds)}))
