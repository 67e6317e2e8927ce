"""Decoding fixtures for issue 15 (items 8, 12, 13), built with Debian's dcmtk and GDCM, with their references.

Run from the repository root with Debian's python (apt-get install dcmtk libgdcm-tools python3-pydicom):
    /usr/bin/python3 lib/imaging/dicom/testdata/make-decoding-fixtures.py
The tests read the committed outputs; none of these tools is needed to run them.

Writes, next to this script:
- ct_jpeg_lossless_sv1_last_pixel.dcm: a synthetic 512x512 signed 16-bit CT (-2048 outside the reconstruction
  circle, so its last pixel is -2048), compressed by `dcmcjpeg +e1` (JPEG lossless, process 14, selection value 1).
  Seed and noise were chosen so that the entropy-coded data ends exactly on a byte boundary: the case where
  jpeg-lossless-decoder-js 2.1.2 dropped the last sample (issue 15, item 12).
- ybr_full_422_uncompressed.dcm: pydicom's test file SC_ybr_full_422_uncompressed.dcm (python3-pydicom 2.3.1,
  MIT), uncompressed YBR_FULL_422 with 2 bytes per pixel on disk (item 13).
- decoding_fixtures.json: for each, SHA-256 / sum / min / max / last value of the stored values as references:
  the CT's from the uncompressed original, checked equal to what `dcmdjpeg` and `gdcmconv --raw` decode; the
  YBR file's from pydicom 2.3.1, which expands 4:2:2 to three samples per pixel.
And in lib/testdata/codec_series/: six slices (28-33) of the UCSF-BR-06 PE1 series (lib/testdata/breast_mri_ucsf_br_06)
re-identified as a fixture patient "CODEC-E2E", once as JPEG 2000 lossless (`gdcmconv --j2k`) labelled as a CE-T1
series and once as JPEG-LS lossless (`dcmcjpls`) labelled as a T2 series (description and TR/TE changed so the role
classifier puts it in the T2 pane), plus codec_series.json with each file's stored-value SHA-256 (from the
uncompressed source, checked equal to the decodes by `gdcmconv --raw`).
"""
import hashlib, json, os, shutil, subprocess, tempfile
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import generate_uid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../../.."))
TMP = tempfile.mkdtemp(prefix="decoding-fixtures-")
PYDICOM_TEST_FILES = os.path.join(os.path.dirname(pydicom.__file__), "data/test_files")


def run(*args):
    subprocess.run(args, check=True)


def stats(a: np.ndarray) -> dict:
    flat = a.reshape(-1)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "sum": int(flat.astype(np.int64).sum()), "min": int(flat.min()),
            "max": int(flat.max()), "last": int(flat[-1]), "sha256": hashlib.sha256(np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes()).hexdigest()}


def decoded_by(tool_args, src) -> np.ndarray:
    out = os.path.join(TMP, "decoded.dcm")
    run(*tool_args, src, out)
    return pydicom.dcmread(out).pixel_array


# --- item 12: CT, JPEG lossless SV1, last pixel -2048 ------------------------------------------------------------
def synthetic_ct(seed: int, sigma: float) -> np.ndarray:
    n = 512
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float64)
    img = np.full((n, n), -1000.0)
    body = ((xx - 256) / 200) ** 2 + ((yy - 270) / 150) ** 2 <= 1
    img[body] = 40 + 20 * np.sin(xx[body] / 17) * np.cos(yy[body] / 23)
    fat = body & (((xx - 256) / 185) ** 2 + ((yy - 270) / 135) ** 2 > 1)
    img[fat] = -100
    bone = ((xx - 256) / 25) ** 2 + ((yy - 330) / 20) ** 2 <= 1
    img[bone] = 700 + 3 * (xx[bone] % 7)
    img += np.round(np.random.default_rng(seed).normal(0, sigma, img.shape))
    img[np.hypot(xx - 255.5, yy - 255.5) > 255.5] = -2048  # outside the reconstruction circle, as scanners pad
    a = np.round(img).astype(np.int16)
    assert a[-1, -1] == -2048
    return a


def write_ct(a: np.ndarray, path: str):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=["nacpredict ct last pixel"])
    meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid(entropy_srcs=["nacpredict ct last pixel study"])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=["nacpredict ct last pixel series"])
    ds.Modality, ds.PatientName, ds.PatientID = "CT", "Fixture^CT", "FIXTURE-CT"
    ds.Rows = ds.Columns = a.shape[0]
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    ds.RescaleIntercept, ds.RescaleSlope = "0", "1"
    ds.PixelSpacing, ds.SliceThickness = ["0.7", "0.7"], "1"
    ds.ImagePositionPatient, ds.ImageOrientationPatient = ["-179.2", "-179.2", "0"], ["1", "0", "0", "0", "1", "0"]
    ds.PixelData = a.tobytes()
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(path, write_like_original=False)


refs = {}
ct = synthetic_ct(seed=4, sigma=0.4)
raw = os.path.join(TMP, "ct_raw.dcm")
write_ct(ct, raw)
ct_out = os.path.join(HERE, "ct_jpeg_lossless_sv1_last_pixel.dcm")
run("dcmcjpeg", "+e1", raw, ct_out)
for tool in (["dcmdjpeg"], ["gdcmconv", "--raw"]):
    assert np.array_equal(decoded_by(tool, ct_out), ct), f"{tool[0]} disagrees with the original"
refs["ct_jpeg_lossless_sv1_last_pixel.dcm"] = {**stats(ct), "reference": "uncompressed original = dcmdjpeg = gdcmconv --raw"}

# --- item 13: uncompressed YBR_FULL_422 ----------------------------------------------------------------------------
ybr = os.path.join(HERE, "ybr_full_422_uncompressed.dcm")
shutil.copyfile(os.path.join(PYDICOM_TEST_FILES, "SC_ybr_full_422_uncompressed.dcm"), ybr)
arr = pydicom.dcmread(ybr).pixel_array
assert arr.shape == (100, 100, 3)
refs["ybr_full_422_uncompressed.dcm"] = {**stats(arr), "reference": "pydicom 2.3.1 pixel_array (4:2:2 expanded)",
                                        "pixel_0_0": arr[0, 0].tolist(), "pixel_0_1": arr[0, 1].tolist()}
json.dump(refs, open(os.path.join(HERE, "decoding_fixtures.json"), "w"), indent=1)

# --- item 8: a JPEG 2000 and a JPEG-LS series for the production-server e2e spec ----------------------------------
SRC = os.path.join(ROOT, "lib/testdata/breast_mri_ucsf_br_06/image_dce_pe1")
OUT = os.path.join(ROOT, "lib/testdata/codec_series")
study = generate_uid(entropy_srcs=["nacpredict codec e2e study"])
series_refs = {}
for label, codec, description, tr_te in (
    ("j2k", ["gdcmconv", "--j2k"], "CE-T1 post-contrast (JPEG 2000 lossless fixture)", None),
    ("jpls", ["dcmcjpls"], "T2 (JPEG-LS lossless fixture)", ("4000", "90")),
):
    os.makedirs(os.path.join(OUT, label), exist_ok=True)
    series_uid = generate_uid(entropy_srcs=["nacpredict codec e2e series", label])
    for n in range(28, 34):
        ds = pydicom.dcmread(os.path.join(SRC, f"1-{n:02d}.dcm"))
        ds.PatientID, ds.PatientName = "CODEC-E2E", "Codec^Fixture"
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series_uid
        ds.SOPInstanceUID = generate_uid(entropy_srcs=["nacpredict codec e2e", label, str(n)])
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.SeriesDescription = description
        ds.SeriesNumber = 901 if label == "j2k" else 902
        if tr_te:
            ds.RepetitionTime, ds.EchoTime = tr_te
        tmp = os.path.join(TMP, "slice.dcm")
        ds.save_as(tmp, write_like_original=False)
        out = os.path.join(OUT, label, f"{n:02d}.dcm")
        run(*codec, tmp, out)
        src_px = ds.pixel_array
        assert np.array_equal(decoded_by(["gdcmconv", "--raw"], out), src_px), f"{out}: GDCM decode differs from the source"
        series_refs[f"{label}/{n:02d}.dcm"] = {"transfer_syntax": str(pydicom.dcmread(out).file_meta.TransferSyntaxUID), **stats(src_px)}
json.dump(series_refs, open(os.path.join(OUT, "codec_series.json"), "w"), indent=1)
shutil.rmtree(TMP)
print("ok", list(refs), len(series_refs))
