"""Reference values for lib/ml/metrics tests, computed with Debian's python3-sklearn / numpy / scipy.

Run: /usr/bin/python3 lib/ml/metrics/testdata/make_metrics_fixture.py > lib/ml/metrics/testdata/metrics-fixture.json
DeLong's SE is computed here from its O(m*n) pairwise definition (independent of the mid-rank algorithm in TS).
"""
import json
import numpy as np
from scipy.optimize import minimize_scalar
from scipy.stats import norm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, brier_score_loss, f1_score, recall_score,
                             roc_auc_score)


def logit(p):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(p / (1 - p))


def delong_se(y, s):
    pos, neg = s[y == 1], s[y == 0]
    psi = (pos[:, None] > neg[None, :]).astype(float) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    return np.sqrt(v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg))


def case(name, y, p, threshold=0.5):
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    yhat = (p > threshold).astype(int)
    x = logit(p)
    # calibration-in-the-large: intercept with logit(p) as offset, slope fixed at 1
    nll = lambda a: -np.sum(y * (a + x) - np.logaddexp(0, a + x))
    a = minimize_scalar(nll, bracket=(-1, 1), tol=1e-14).x
    lr = LogisticRegression(penalty=None, tol=1e-12, max_iter=10000).fit(x[:, None], y)
    auc = roc_auc_score(y, p)
    se = delong_se(y, p)
    z = norm.ppf(0.975)
    return dict(name=name, y=y.tolist(), p=p.tolist(), threshold=threshold, expected=dict(
        balancedAccuracy=balanced_accuracy_score(y, yhat),
        sensitivity=recall_score(y, yhat, pos_label=1),
        specificity=recall_score(y, yhat, pos_label=0),
        accuracy=accuracy_score(y, yhat),
        f1=f1_score(y, yhat, zero_division=0),
        auc=auc, aucSe=se, aucCiLower=max(0.0, auc - z * se), aucCiUpper=min(1.0, auc + z * se),
        brier=brier_score_loss(y, p),
        calibrationIntercept=float(a),
        calibrationSlope=float(lr.coef_[0][0]), slopeModelIntercept=float(lr.intercept_[0])))


rng = np.random.default_rng(20250501)
cases = []
y = rng.integers(0, 2, 60)
cases.append(case("random-60", y, 1 / (1 + np.exp(-(1.2 * (y - 0.5) + rng.normal(0, 1, 60))))))
y = (rng.random(80) < 0.25).astype(int)
p = np.round(1 / (1 + np.exp(-(0.8 * (2 * y - 1) + rng.normal(0, 1.3, 80)))), 1)  # heavy ties
cases.append(case("imbalanced-ties-80", y, p))
y = rng.integers(0, 2, 40)
cases.append(case("threshold-0.3", y, rng.random(40), threshold=0.3))
y = np.array([0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 0])
cases.append(case("overconfident-12", y, np.array([0.01, 0.3, 0.99, 0.6, 0.7, 0.95, 0.02, 0.4, 0.999, 0.001, 0.5, 0.2])))
print(json.dumps(cases))
