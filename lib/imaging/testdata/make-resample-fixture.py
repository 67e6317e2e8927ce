"""Reference values for resample.test.ts: scipy.ndimage.map_coordinates(mode="nearest") on the IBSI grid.
Run with Debian python3 (numpy, scipy): /usr/bin/python3 make-resample-fixture.py > resample-scipy.json"""
import json, math
import numpy as np
from scipy.ndimage import map_coordinates

rng = np.random.default_rng(7)
dims = (7, 6, 5)  # x, y, z
spacing = (0.9, 1.1, 2.5)
new_spacing = (1.3, 0.7, 2.0)
vol = rng.integers(-100, 400, size=dims).astype(np.float64)  # vol[x, y, z]

def ibsi_coords(n, s, s_new):
    m = math.ceil(n * s / s_new)
    return m, (np.arange(m) * s_new - (s_new * (m - 1) - s * (n - 1)) / 2) / s

axes = [ibsi_coords(dims[a], spacing[a], new_spacing[a]) for a in range(3)]
new_dims = [a[0] for a in axes]
gx, gy, gz = np.meshgrid(axes[0][1], axes[1][1], axes[2][1], indexing="ij")
out = {"dims": dims, "spacing": spacing, "newSpacing": new_spacing, "newDims": new_dims,
       "data": vol.ravel(order="F").tolist(), "coords": [a[1].tolist() for a in axes]}
for name, order in (("nearest", 0), ("linear", 1), ("bspline", 3)):
    r = map_coordinates(vol, [gx, gy, gz], order=order, mode="nearest")
    out[name] = r.ravel(order="F").tolist()
print(json.dumps(out))
