"""Python reference for bench/ml/protocol.ts: the same protocol with Debian's numpy / scikit-learn / xgboost 1.7.4.

Reads the data set and the partitions written by the TypeScript bench (so both run on identical splits), then per
partition: SimpleImputer(median) + StandardScaler fitted on the training rows; mRMR FCQ (the mrmr_selection
package's F-statistic / mean |Pearson r| quotient, FLOOR 0.001, re-implemented in numpy because the package is not
packaged for Debian); RFE as scikit-learn's (step 1, to n features) with XGBoost total-gain importance and a STABLE
ascending argsort for ties (scikit-learn's RFE uses np.argsort's default quicksort, which orders ties arbitrarily);
XGBoost binary:logistic (exact, eta, max_depth, rounds as given); balanced accuracy at p > 0.5 on the test rows.

Usage: python3 protocol_reference.py DIR [nthread]  (DIR holds X.f64, y.u8, meta.json written by protocol.ts)
Prints one JSON line: elapsed wall and CPU seconds (protocol only, after imports and loading; CPU summed over
threads) and per-partition results.
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.feature_selection import f_classif
from sklearn.impute import SimpleImputer
from sklearn.metrics import balanced_accuracy_score
from sklearn.preprocessing import StandardScaler

FLOOR = 0.001


def mrmr_fcq(X, y, k):
    rel = np.nan_to_num(f_classif(X, y)[0], nan=0.0)
    cands = [c for c in range(X.shape[1]) if rel[c] > 0]
    k = min(k, len(cands))
    Z = X - X.mean(axis=0)
    norms = np.sqrt((Z * Z).sum(axis=0))
    U = np.divide(Z, norms, out=np.zeros_like(Z), where=norms > 0)
    red = np.zeros(X.shape[1])
    selected = []
    cand = np.array(cands)
    for i in range(k):
        score = rel[cand] if i == 0 else rel[cand] / np.maximum(FLOOR, red[cand] / i)
        best = int(cand[int(np.argmax(score))])
        selected.append(best)
        cand = cand[cand != best]
        if i + 1 < k:
            red[cand] += np.maximum(FLOOR, np.abs(U[:, cand].T @ U[:, best]))
    return selected


def fit(X, y, params, rounds):
    return xgb.train(params, xgb.DMatrix(X, label=y), num_boost_round=rounds)


def importances(b, n):
    s = b.get_score(importance_type="total_gain")
    return np.array([s.get(f"f{j}", 0.0) for j in range(n)])


def rfe(X, y, n_select, params, rounds):
    support = list(range(X.shape[1]))
    while len(support) > n_select:
        b = fit(X[:, support], y, params, rounds)
        imp = importances(b, len(support))
        drop = set(np.argsort(imp, kind="stable")[: min(1, len(support) - n_select)].tolist())
        support = [c for j, c in enumerate(support) if j not in drop]
    return support, fit(X[:, support], y, params, rounds)


def main():
    d = sys.argv[1]
    nthread = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    meta = json.load(open(f"{d}/meta.json"))
    n, p = meta["rows"], meta["cols"]
    X = np.fromfile(f"{d}/X.f64", dtype="<f8").reshape(n, p)
    y = np.fromfile(f"{d}/y.u8", dtype=np.uint8).astype(int)
    c = meta["config"]
    xp = c["classifier"]["params"]
    params = dict(objective="binary:logistic", eta=xp["eta"], max_depth=xp["max_depth"], min_child_weight=xp["min_child_weight"],
                  reg_lambda=xp["lambda"], gamma=xp["gamma"], tree_method=xp["tree_method"], base_score=0.5, verbosity=0)
    if nthread:
        params["nthread"] = nthread
    rounds = xp["num_boost_round"]
    out = []
    t0 = time.perf_counter()
    c0 = time.process_time()
    for part in meta["partitions"]:
        tr, te = np.array(part["train"]), np.array(part["test"])
        imp = SimpleImputer(strategy="median").fit(X[tr])
        sc = StandardScaler().fit(imp.transform(X[tr]))
        Ztr, Zte = sc.transform(imp.transform(X[tr])), sc.transform(imp.transform(X[te]))
        m = mrmr_fcq(Ztr, y[tr], c["mrmr"]["k"])
        sel, b = rfe(Ztr[:, m], y[tr], c["rfe"]["nFeatures"], params, rounds)
        prob = b.predict(xgb.DMatrix(Zte[:, m][:, sel]))
        out.append(dict(mrmr=m, selected=sorted(m[j] for j in sel),
                        balancedAccuracy=balanced_accuracy_score(y[te], (prob > 0.5).astype(int))))
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(json.dumps(dict(elapsed=elapsed, cpu=cpu, nthread=nthread, xgboost=xgb.__version__, partitions=out)))


if __name__ == "__main__":
    main()
