"""One protocol partition computed with Debian's scikit-learn 1.2.1 + xgboost 1.7.4, for run-protocol.fixture.test.ts.

Pipeline on the given train/test split: SimpleImputer(median) + StandardScaler fitted on train; mRMR FCQ
(mrmr_selection's F-statistic / mean |Pearson r| quotient, FLOOR 0.001; numpy, see bench/ml/protocol_reference.py);
sklearn.feature_selection.RFE(XGBClassifier(importance_type="total_gain"), n_features_to_select=3, step=1)
(np.argsort of <= 16 values is an insertion sort, i.e. stable, so ties break as in the TypeScript RFE);
predict_proba on the test rows.
Run: /usr/bin/python3 lib/ml/protocol/testdata/make_protocol_fixture.py > lib/ml/protocol/testdata/protocol-fixture.json
"""
import json

import numpy as np
from sklearn.feature_selection import RFE, f_classif
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier

FLOOR = 0.001


def mrmr_fcq(X, y, k):
    rel = np.nan_to_num(f_classif(X, y)[0], nan=0.0)
    cand = np.array([c for c in range(X.shape[1]) if rel[c] > 0])
    k = min(k, len(cand))
    Z = X - X.mean(axis=0)
    norms = np.sqrt((Z * Z).sum(axis=0))
    U = np.divide(Z, norms, out=np.zeros_like(Z), where=norms > 0)
    red = np.zeros(X.shape[1])
    selected = []
    for i in range(k):
        score = rel[cand] if i == 0 else rel[cand] / np.maximum(FLOOR, red[cand] / i)
        best = int(cand[int(np.argmax(score))])
        selected.append(best)
        cand = cand[cand != best]
        if i + 1 < k:
            red[cand] += np.maximum(FLOOR, np.abs(U[:, cand].T @ U[:, best]))
    return selected


rng = np.random.default_rng(2024)
n, p = 90, 40
y = (rng.random(n) < 0.4).astype(int)
X = rng.normal(size=(n, p))
X[:, :4] += np.outer(y, [1.0, 0.8, -0.9, 0.6])
X[:, 10] = X[:, 0] + 0.2 * rng.normal(size=n)  # a redundant copy of an informative feature
X[rng.random((n, p)) < 0.03] = np.nan
X = np.round(X, 4)  # short decimals keep the fixture small; both sides read the same values
perm = rng.permutation(n)
test = np.sort(np.concatenate([perm[y[perm] == 1][:7], perm[y[perm] == 0][:11]]))
train = np.setdiff1d(np.arange(n), test)

imp = SimpleImputer(strategy="median").fit(X[train])
sc = StandardScaler().fit(imp.transform(X[train]))
Ztr, Zte = sc.transform(imp.transform(X[train])), sc.transform(imp.transform(X[test]))
m = mrmr_fcq(Ztr, y[train], 10)
params = dict(n_estimators=20, learning_rate=0.1, max_depth=3, tree_method="exact", importance_type="total_gain", n_jobs=1, base_score=0.5)
rfe = RFE(XGBClassifier(**params), n_features_to_select=3, step=1).fit(Ztr[:, m], y[train])
sel = [m[j] for j in np.flatnonzero(rfe.support_)]
prob = rfe.estimator_.predict_proba(Zte[:, m][:, rfe.support_])[:, 1]
print(json.dumps(dict(
    X=[[None if np.isnan(v) else float(v) for v in row] for row in X], y=y.tolist(), train=train.tolist(), test=test.tolist(),
    medians=imp.statistics_.tolist(), means=sc.mean_.tolist(), scales=sc.scale_.tolist(),
    mrmr=m, ranking=rfe.ranking_.tolist(), selected=sel, testProbabilities=prob.tolist())))
