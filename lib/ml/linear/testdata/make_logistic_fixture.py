"""scikit-learn LogisticRegression (polished to the exact optimum) reference for lib/ml/linear tests (Debian python3-sklearn).
Run: /usr/bin/python3 lib/ml/linear/testdata/make_logistic_fixture.py > lib/ml/linear/testdata/logistic-fixture.json
"""
import json
import numpy as np
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(7)
cases = []
for name, n, p, C in [("n80-p4-C1", 80, 4, 1.0), ("n50-p8-C0.1", 50, 8, 0.1), ("n120-p3-C10", 120, 3, 10.0)]:
    X = rng.normal(0, 1, (n, p))
    beta = rng.normal(0, 1.5, p)
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ beta + 0.3)))).astype(int)
    m = LogisticRegression(C=C, tol=1e-12, max_iter=100000).fit(X, y)
    # lbfgs stops with a gradient of ~1e-4; polish its optimum with exact Newton steps on the same objective
    # (0.5*|w|^2 + C*sum logloss, intercept unpenalised) so the reference is the true optimum to ~1e-12.
    w = np.r_[m.coef_[0], m.intercept_[0]]
    Z = np.c_[X, np.ones(n)]
    P = np.diag(np.r_[np.ones(p), 0.0])
    for _ in range(50):
        mu = 1 / (1 + np.exp(-(Z @ w)))
        g = P @ w + C * Z.T @ (mu - y)
        H = P + C * (Z * (mu * (1 - mu))[:, None]).T @ Z
        w = w - np.linalg.solve(H, g)
    assert np.abs(w[:p] - m.coef_[0]).max() < 1e-3, "polished optimum far from scikit-learn's"
    proba = 1 / (1 + np.exp(-(Z @ w)))
    cases.append(dict(name=name, C=C, X=X.tolist(), y=y.tolist(), coef=w[:p].tolist(), intercept=float(w[p]),
                      sklearnCoef=m.coef_[0].tolist(), proba=proba.tolist()))
print(json.dumps(cases))
