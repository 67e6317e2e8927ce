#!/usr/bin/python3
"""
Reference filtered images for pyradiomics parity (lib/radiomics/filters/pyradiomics-parity.test.ts).

Follows pyradiomics' radiomics/imageoperations.py (3.x):
  - Wavelet (_swt3): numpy array (z, y, x); odd axes padded by one voxel with numpy.pad(..., 'wrap'); for each level
    pywt.swtn(data, wavelet, level=1, start_level=0, axes=(2, 1, 0)); keys 'a'/'d' -> 'L'/'H' (x, y, z order);
    results cropped back to the original shape; the last approximation is 'LLL'.
  - LoG (getLoGImage): ITK LaplacianRecursiveGaussianImageFilter, NormalizeAcrossScale on, sigma in mm (itk_log.cxx).
The filters run on the whole image (pyradiomics without resampling or preCrop).

Output per case (compact, so CI needs neither Python nor ITK): <case>.json (image names, sample voxel indices, stats
of every whole reference image) and <case>.f64.gz: for each image, float64 values at the ROI voxels (label 1, in
x-fastest order) followed by the sample voxels.
Run: bash scripts/references/pyradiomics-filters/generate.sh (Debian python3-numpy, python3-pywt, libinsighttoolkit5-dev).
"""
import gzip, json, os, subprocess, sys, tempfile
import numpy as np
import pywt

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
DATA = os.path.join(ROOT, "lib/testdata/pyradiomics")
OUT = os.path.join(ROOT, "lib/testdata/pyradiomics-filters")
ITK_LOG = sys.argv[1]


def read_nrrd(path):
    raw = open(path, "rb").read()
    head, body = raw.split(b"\n\n", 1)
    h = {}
    for line in head.decode().splitlines()[1:]:
        if line.startswith("#") or ":" not in line:
            continue
        k, v = line.split(":", 1)
        h[k.strip()] = v.strip()
    types = {"short": "<i2", "int": "<i4", "unsigned char": "u1", "uchar": "u1"}
    assert h["type"] in types and h["endian"] == "little" and h["encoding"] == "gzip", h
    sx, sy, sz = (int(v) for v in h["sizes"].split())
    return np.frombuffer(gzip.decompress(body), types[h["type"]]).reshape(sz, sy, sx)


def swt3(matrix, wavelet, level=1, start_level=0):
    original_shape = matrix.shape
    padding = tuple([(0, 1 if dim % 2 != 0 else 0) for dim in original_shape])
    data = np.pad(matrix.copy(), padding, "wrap")
    wavelet = pywt.Wavelet(wavelet)
    axes = (2, 1, 0)
    for _ in range(start_level):
        data = pywt.swtn(data, wavelet, level=1, start_level=0, axes=axes)[0]["aaa"].copy()
    crop = tuple(slice(None, -1 if dim % 2 != 0 else None) for dim in original_shape)
    out = {}
    for i in range(start_level, start_level + level):
        dec = pywt.swtn(data, wavelet, level=1, start_level=0, axes=axes)[0]
        data = dec["aaa"].copy()
        prefix = "wavelet" if i == start_level else "wavelet%d" % (i - start_level + 1)
        for name, img in dec.items():
            if name == "aaa":
                continue
            out["%s-%s" % (prefix, name.replace("a", "L").replace("d", "H"))] = img[crop].copy()
    out["wavelet-LLL" if level == 1 else "wavelet%d-LLL" % level] = data[crop].copy()
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for case in ["brain1", "breast1"]:
        img = read_nrrd(os.path.join(DATA, case + "_image.nrrd")).astype(np.float64)
        mask = read_nrrd(os.path.join(DATA, case + "_label.nrrd"))
        n = img.size
        roi = np.flatnonzero(mask.ravel() == 1)
        rng = np.random.default_rng(20)
        corners = [np.ravel_multi_index((z, y, x), img.shape) for z in (0, img.shape[0] - 1) for y in (0, img.shape[1] - 1) for x in (0, img.shape[2] - 1)]
        samples = np.unique(np.concatenate([rng.choice(n, 1000, replace=False), corners]))
        images = {}
        for w in ["coif1", "haar"]:
            for name, arr in swt3(img, w).items():
                images["%s:%s" % (w, name)] = arr
        with tempfile.TemporaryDirectory() as tmp:
            for sigma in [1.0, 3.0, 5.0]:
                f = os.path.join(tmp, "log.f64")
                subprocess.run([ITK_LOG, os.path.join(DATA, case + "_image.nrrd"), str(sigma), f], check=True)
                images["log-sigma-%s-mm-3D" % str(sigma).replace(".", "-")] = np.fromfile(f, "<f8").reshape(img.shape)
        names = sorted(images)
        blob = bytearray()
        stats = {}
        for name in names:
            flat = images[name].ravel()
            blob += np.concatenate([flat[roi], flat[samples]]).astype("<f8").tobytes()
            stats[name] = {"min": float(flat.min()), "max": float(flat.max()), "mean": float(flat.mean()), "sumsq": float(np.sum(flat * flat))}
        with gzip.GzipFile(os.path.join(OUT, case + ".f64.gz"), "wb", 9, mtime=0) as f:
            f.write(bytes(blob))
        manifest = {
            "case": case,
            "dims_xyz": [img.shape[2], img.shape[1], img.shape[0]],
            "roi_voxels": int(roi.size),
            "sample_indices": [int(i) for i in samples],
            "images": names,
            "stats": stats,
            "generator": "scripts/references/pyradiomics-filters/generate.py",
            "pywt": pywt.__version__,
            "numpy": np.__version__,
        }
        json.dump(manifest, open(os.path.join(OUT, case + ".json"), "w"), indent=1)
        print(case, len(names), "images,", roi.size, "ROI voxels,", samples.size, "samples")


main()
