"""NIfTI fixtures written by nibabel for nifti.test.ts: big-endian NIfTI-1 and NIfTI-2 with an oblique affine,
plus the nibabel-read affine / data as JSON. Run: /usr/bin/python3 make-nifti-fixtures.py"""
import json
import numpy as np
import nibabel as nib

a, b = 0.4, -0.25
cz, sz, cx, sx = np.cos(a), np.sin(a), np.cos(b), np.sin(b)
R = np.array([[cz, -sz * cx, sz * sx], [sz, cz * cx, -cz * sx], [0, sx, cx]])
A = np.eye(4)
A[:3, :3] = R @ np.diag([0.8, 0.6, 3.3])
A[:3, 3] = [-10.5, 20.25, 30.0]
data = (np.arange(2 * 3 * 4).reshape((2, 3, 4), order="F") * 7 - 30)
out = {}
hdr = nib.Nifti1Header(endianness=">")
img1 = nib.Nifti1Image(data.astype(">i2"), A, header=hdr)
img1.set_qform(A, code=1)
img1.set_sform(None, code=0)  # qform only: exercises the quaternion path
nib.save(img1, "oblique-be.nii")
img2 = nib.Nifti2Image(data.astype("<f8") * 0.5, A)
nib.save(img2, "oblique-n2.nii")
for f in ("oblique-be.nii", "oblique-n2.nii"):
    im = nib.load(f)
    out[f] = {"affine": im.affine.tolist(), "data_fortran": np.asarray(im.dataobj).ravel(order="F").tolist(),
              "endian": im.header.endianness, "sform_code": int(im.header["sform_code"]), "qform_code": int(im.header["qform_code"])}
json.dump(out, open("nifti-nibabel.json", "w"), indent=1)
