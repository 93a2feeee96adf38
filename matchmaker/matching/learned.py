"""The learned ranker's model and the signals it reads (training: matchmaker/evaluation/learning.py)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

FEATURES = ("concept", "dense", "lexical", "province", "sector")
MODEL_FILE = "learned_ranker.json"
PROVINCE_SIGNAL = {"preferred": 1.0, "no_preference": 0.5, "same_region": 0.4}
SECTOR_SIGNAL = {True: 1.0, None: 0.5, False: 0.0}


def signal_row(
    concept: float, dense: float, lexical: float, province_match: str, sector_match: bool | None
) -> list[float]:
    """The capability signals in `FEATURES` order (the scorer and the trainer share this)."""
    return [concept, dense, lexical, PROVINCE_SIGNAL.get(province_match, 0.0), SECTOR_SIGNAL[sector_match]]


def features(match) -> list[float]:
    """The signals of one explained match."""
    e = match.explanation
    c = e["components"]
    return signal_row(c["concept"], c["dense"], c["lexical"], e["province"]["match"], e["sector"]["match"])


def constraint_factor(match) -> float:
    """What the hard constraints multiply a capability by (kept whatever is learned)."""
    c = match.explanation["components"]
    return c["certification_factor"] * c["maker_factor"]


@dataclass
class LearnedRanker:
    """scikit-learn style: parameters in __init__, `fit`, learned state with a trailing _."""

    C: float = 1.0
    coef_: list[float] = field(default_factory=list)
    intercept_: float = 0.0

    def fit(self, X: np.ndarray, y: np.ndarray) -> LearnedRanker:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=self.C, max_iter=1000).fit(X, (y > 0).astype(int))
        self.coef_ = [float(v) for v in model.coef_[0]]
        self.intercept_ = float(model.intercept_[0])
        return self

    def capability(self, row: list[float]) -> float:
        z = self.intercept_ + sum(w * x for w, x in zip(self.coef_, row, strict=True))
        return 1 / (1 + math.exp(-z))

    def save(self, path: Path, report: dict[str, Any]) -> None:
        path.write_text(
            json.dumps(
                {
                    "features": FEATURES,
                    "coef": self.coef_,
                    "intercept": self.intercept_,
                    "C": self.C,
                    "report": report,
                },
                indent=2,
            )
        )

    @classmethod
    def load(cls, path: Path) -> LearnedRanker | None:
        """The saved model if it was adopted (it beat the hand-set scorer), else None."""
        if not path.exists():
            return None
        data = json.loads(path.read_text())
        if tuple(data["features"]) != FEATURES or not data["report"].get("adopted"):
            return None
        return cls(C=data["C"], coef_=data["coef"], intercept_=data["intercept"])
