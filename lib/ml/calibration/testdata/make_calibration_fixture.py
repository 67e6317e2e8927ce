"""scikit-learn 1.2.1 reference for lib/ml/calibration (Debian python3-sklearn): Platt scaling and isotonic regression
as CalibratedClassifierCV(cv="prefit") applies them to a fitted LogisticRegression, whose decision function is exactly
logit(predict_proba): the score s = logit(p) our calibrators work on.
Run: /usr/bin/python3 lib/ml/calibration/testdata/make_calibration_fixture.py > lib/ml/calibration/testdata/calibration-fixture.json
"""
import json
import numpy as np
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV, _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(18)
cases = []
# (name, n fit rows, signal, score distortion): overconfident (x3), underconfident (x0.4), well separated, with ties.
for name, n, shift, distort, ties in [
    ("overconfident-n200", 200, 1.0, 3.0, False),
    ("underconfident-n120", 120, 1.5, 0.4, False),
    ("well-separated-n60", 60, 5.0, 1.0, False),
    ("ties-n150", 150, 1.0, 2.0, True),
]:
    y = (rng.random(n) < 0.35).astype(int)
    x = rng.normal(0, 1, n) + shift * y
    if ties:
        x = np.round(x * 2) / 2  # repeated scores exercise the merging of equal scores
    base = LogisticRegression(C=1.0).fit(x[:, None], y)
    # distort the base model's scores: what the calibrators are fitted on
    base.coef_ *= distort
    base.intercept_ *= distort
    s = base.decision_function(x[:, None])
    assert np.abs(s).max() < 15, "scores must stay where logit(predict_proba) recovers them exactly"
    p = base.predict_proba(x[:, None])[:, 1]
    xn = np.r_[np.linspace(x.min() - 1, x.max() + 1, 25), x[:5]]
    pn = base.predict_proba(xn[:, None])[:, 1]
    sn = base.decision_function(xn[:, None])
    out = dict(name=name, p=p.tolist(), y=y.tolist(), pNew=pn.tolist())
    for method in ["sigmoid", "isotonic"]:
        cal = CalibratedClassifierCV(base, method=method, cv="prefit").fit(x[:, None], y)
        out[method] = cal.predict_proba(xn[:, None])[:, 1].tolist()
    # Platt's optimum polished with exact Newton steps on the same objective (BFGS stops at a gradient ~1e-5).
    a, b = _sigmoid_calibration(s, y)
    n1 = y.sum(); n0 = n - n1
    T = np.where(y == 1, (n1 + 1) / (n1 + 2), 1 / (n0 + 2))
    w = np.array([a, b])
    for _ in range(50):
        P = expit(-(w[0] * s + w[1]))
        g = np.array([np.dot(T - P, s), np.sum(T - P)])
        W = P * (1 - P)
        H = np.array([[np.dot(W, s * s), np.dot(W, s)], [np.dot(W, s), W.sum()]])
        w = w - np.linalg.solve(H, g)
    assert abs(w[0] - a) < 1e-3 and abs(w[1] - b) < 1e-3, "polished Platt optimum far from scikit-learn's"
    out["plattSklearn"] = [float(a), float(b)]
    out["plattPolished"] = [float(w[0]), float(w[1])]
    out["sigmoidPolished"] = expit(-(w[0] * sn + w[1])).tolist()
    iso = IsotonicRegression(out_of_bounds="clip").fit(s, y)
    out["isotonicX"] = iso.X_thresholds_.tolist()
    out["isotonicY"] = iso.y_thresholds_.tolist()
    cases.append(out)
print(json.dumps(cases))
