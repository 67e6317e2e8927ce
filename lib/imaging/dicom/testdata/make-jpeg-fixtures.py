"""Make small JPEG-baseline DICOM fixtures with Pillow (libjpeg-turbo) + pydicom, and their decoded references.

Run with Debian's /usr/bin/python3 (python3-pil 9.4, python3-pydicom 2.3.1, numpy):
    /usr/bin/python3 lib/imaging/dicom/testdata/make-jpeg-fixtures.py
Writes jpeg_baseline_gray8.dcm, jpeg_baseline_ybr422.dcm (4:2:2), jpeg_baseline_ybr420_odd.dcm (4:2:0, 61x45)
and jpeg_fixtures.json
(SHA-256 / sum of the arrays libjpeg decodes: grey values; YCbCr values WITHOUT colour conversion, with libjpeg's
default "fancy" chroma upsampling).
"""
import hashlib, io, json, os
import numpy as np
from PIL import Image
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import generate_uid

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)
H, W = 48, 64
yy, xx = np.mgrid[0:H, 0:W]

def wrap(jpeg: bytes, rows: int, cols: int, spp: int, photometric: str, name: str):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[name])
    meta.TransferSyntaxUID = "1.2.840.10008.1.2.4.50"
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "OT"
    ds.Rows, ds.Columns, ds.SamplesPerPixel = rows, cols, spp
    ds.PhotometricInterpretation = photometric
    if spp > 1:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.PixelData = encapsulate([jpeg])
    ds["PixelData"].is_undefined_length = True
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(os.path.join(HERE, name), write_like_original=False)

out = {}
gray = np.clip(60 + 2 * xx + 1.5 * yy + rng.normal(0, 12, (H, W)), 0, 255).astype(np.uint8)
buf = io.BytesIO(); Image.fromarray(gray, "L").save(buf, "JPEG", quality=80); g = buf.getvalue()
wrap(g, H, W, 1, "MONOCHROME2", "jpeg_baseline_gray8.dcm")
ref = np.asarray(Image.open(io.BytesIO(g)))
out["jpeg_baseline_gray8.dcm"] = {"sum": int(ref.astype(np.int64).sum()), "sha256": hashlib.sha256(ref.tobytes()).hexdigest()}

rgb = np.stack([np.clip(40 + 3 * xx + rng.normal(0, 10, (H, W)), 0, 255), np.clip(200 - 2 * yy + rng.normal(0, 10, (H, W)), 0, 255), np.clip(90 + xx + yy, 0, 255)], -1).astype(np.uint8)
buf = io.BytesIO(); Image.fromarray(rgb, "RGB").save(buf, "JPEG", quality=85, subsampling=1); c = buf.getvalue()  # 1 = 4:2:2
wrap(c, H, W, 3, "YBR_FULL_422", "jpeg_baseline_ybr422.dcm")
def ycbcr_ref(jpeg: bytes):
    im = Image.open(io.BytesIO(jpeg)); im.draft("YCbCr", im.size)
    assert im.mode == "YCbCr"  # libjpeg outputs YCbCr: no colour conversion
    return np.asarray(im)
ref = ycbcr_ref(c)
out["jpeg_baseline_ybr422.dcm"] = {"sum": int(ref.astype(np.int64).sum()), "sha256": hashlib.sha256(ref.tobytes()).hexdigest(), "shape": list(ref.shape)}

# 4:2:0 with odd dimensions: exercises h2v2 upsampling and the edge rows/columns.
H2, W2 = 45, 61
rgb2 = np.ascontiguousarray(rgb[:H2, :W2])
buf = io.BytesIO(); Image.fromarray(rgb2, "RGB").save(buf, "JPEG", quality=90, subsampling=2); c2 = buf.getvalue()
wrap(c2, H2, W2, 3, "YBR_FULL_422", "jpeg_baseline_ybr420_odd.dcm")
ref = ycbcr_ref(c2)
out["jpeg_baseline_ybr420_odd.dcm"] = {"sum": int(ref.astype(np.int64).sum()), "sha256": hashlib.sha256(ref.tobytes()).hexdigest(), "shape": list(ref.shape)}
json.dump(out, open(os.path.join(HERE, "jpeg_fixtures.json"), "w"), indent=1)
print(json.dumps(out))
