#!/usr/bin/env python3
"""PyTorch side of bench/deep: builds the full-width MedicalNet encoder (seeded weights, non-trivial BN statistics),
saves it as a MedicalNet-style checkpoint for the TypeScript importer, and times CPU inference with N threads
on the given float32 [D,H,W] input. Prints one JSON line. Not used at app runtime."""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "deep", "testdata"))
from make_fixtures import make, randomise  # noqa: E402


def main():
    depth, inp, dims, ckpt, runs, threads, fmt = (int(sys.argv[1]), sys.argv[2], [int(v) for v in sys.argv[3].split("x")],
                                                  sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), sys.argv[7])
    torch.set_num_threads(threads)
    model = make(depth, 64)
    randomise(model, torch.Generator().manual_seed(1000 + depth))
    model.eval()
    torch.save({"state_dict": nn.DataParallel(model).state_dict()}, ckpt, _use_new_zipfile_serialization=(fmt == "zip"))
    x = torch.from_numpy(np.fromfile(inp, dtype="<f4").reshape(dims))[None, None]
    times, cpu = [], []
    with torch.no_grad():
        feats = model(x)  # warm-up
        for _ in range(runs):
            c = time.process_time()  # all threads of this process
            t = time.perf_counter()
            feats = model(x)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "times_ms": times, "cpu_ms": cpu,
                      "features": feats.flatten().tolist()}))


if __name__ == "__main__":
    main()
