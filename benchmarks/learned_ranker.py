"""Learned vs hand-set ranker on simulated outcome logs (held-out requirements), in one run.

Two hidden buyer utilities: one close to the hand-set weights (the learner should not win by
the adoption margin, so it stays off) and one where nearness matters far more (it should win
and be adopted). Each scenario starts from the same indexed sample data.

    python -m benchmarks.learned_ranker
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

SCENARIOS = {
    "close to hand-set": {"concept": 0.45, "dense": 0.3, "lexical": 0.25, "province": 0.08, "sector": 0.05},
    "nearness matters": {"concept": 1.0, "province": 2.0},
}


def main() -> None:
    from matchmaker.evaluation import learning
    from matchmaker.matching import indexing
    from matchmaker.records import importing
    from matchmaker.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        ws = Workspace.at(base)
        importing.import_sample_data(ws)
        indexing.update_index(ws)
        ws.close()
        print(f"{'scenario':<20}{'events':>8}{'hand nDCG@10':>14}{'learned':>9}{'gain':>8}  adopted")
        for name, hidden in SCENARIOS.items():
            path = Path(tmp) / name.replace(" ", "-")
            shutil.copytree(base, path)
            ws = Workspace.at(path)
            events = learning.simulate(ws, hidden, noise=0.2)
            report = learning.train(ws)
            print(
                f"{name:<20}{events:>8}{report['hand_ndcg@10']:>14.3f}{report['learned_ndcg@10']:>9.3f}"
                f"{report['gain']:>+8.3f}  {report['adopted']}"
            )
            ws.close()
        print(f"adoption margin: +{learning.ADOPTION_MARGIN} nDCG@10 on held-out requirements (5 folds)")


if __name__ == "__main__":
    main()
