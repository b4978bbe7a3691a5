"""Benchmark of the published rule's lookups: requests per preprint, on a first run and after.

Not a test. A list of N preprints (default 1,200) against loopback fakes of arXiv, Semantic
Scholar and DBLP (tests/links/linkfarm.py and tests/links/scholarfarm.py, which answer in the
documented shapes). The fakes misbehave like the real services:

- Semantic Scholar refuses the first two batches with 429 and no Retry-After (its shared pool
  when busy), then answers one 503; it refuses requests sooner than its rate (0.2 s here);
- DBLP refuses requests sooner than its rate (scaled: 20 ms) with 429 and `Retry-After: 1`,
  and three requests of the run with a 429 whatever their timing;
- 10% of the papers are published by both sources, 5% only by Semantic Scholar (not enough),
  5% only by DBLP with a DOI (enough), the rest are arXiv's alone (CoRR at DBLP).

Runs listkeeper's check three times on one history: fresh, again at once, and again once the
answers are older than `paper_max_age_days`. Prints, for each, the requests each service
answered (the targets: one Semantic Scholar request per 500 preprints asked, one DBLP request
per preprint not resolved), the requests refused (429, 503), the findings against the truth, the target, and a peer measured in the same run: the
same lookups asking Semantic Scholar one paper a request and keeping no history (what a script
calling `GET /paper/ARXIV:<id>` per entry does).

    python bench/published_bench.py            # 1,200 preprints
    python bench/published_bench.py --papers 600
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import yaml  # noqa: E402

from bot.config import Config  # noqa: E402
from bot.engine import run  # noqa: E402
from bot.links.service import check_documents, settings_for  # noqa: E402
from bot.parse import parse_document  # noqa: E402
from tests.links.linkfarm import Farm, start  # noqa: E402
from tests.links.scholarfarm import (  # noqa: E402
    Dblp,
    OpenReview,
    Scholar,
    SemanticScholar,
    _start,
    corr_record,
    dblp_record,
    s2_paper,
)


def build(n: int, farm: Farm, scholar: Scholar) -> tuple[str, dict[int, str]]:
    lines, truth = ["# Papers", "", "## 2024", ""], {}
    for i in range(n):
        ident = f"24{i % 12 + 1:02d}.{10000 + i:05d}"
        title = f"Efficient Inference for Language Model Variant {i:05d} with Sparse Quantized Kernels"
        farm.papers[ident] = title
        lines.append(f"- [[ArXiv](https://arxiv.org/abs/{ident})] {title}")
        kind = i % 20
        if kind in (0, 1):  # both sources
            scholar.s2.papers[f"ARXIV:{ident}"] = s2_paper(
                ident, title, full="International Conference on Learning Representations", year=2024)
            scholar.dblp.records.append(dblp_record(title, "ICLR", 2024, f"conf/iclr/P{i}"))
            truth[len(lines)] = "published at ICLR 2024: Semantic Scholar, DBLP"
        elif kind == 2:  # Semantic Scholar alone: not enough
            scholar.s2.papers[f"ARXIV:{ident}"] = s2_paper(
                ident, title, full="International Conference on Machine Learning", year=2024)
            scholar.dblp.records.append(corr_record(title, ident, 2024))
        elif kind == 3:  # DBLP with the proceedings' DOI: enough
            scholar.s2.papers[f"ARXIV:{ident}"] = s2_paper(ident, title)
            scholar.dblp.records.append(dblp_record(title, "CVPR", 2024, f"conf/cvpr/P{i}",
                                                    doi=f"10.1109/CVPR.2024.{i:05d}"))
            truth[len(lines)] = "published at CVPR 2024: DBLP"
        else:
            scholar.s2.papers[f"ARXIV:{ident}"] = s2_paper(ident, title)
            scholar.dblp.records.append(corr_record(title, ident, 2024))
    return "\n".join(lines) + "\n", truth


def misbehave(scholar: Scholar) -> None:
    scholar.s2.refuse_first, scholar.s2.fail_first, scholar.s2.min_interval = 2, 1, 0.2
    scholar.dblp.refuse_first, scholar.dblp.min_interval, scholar.dblp.retry_after = 3, 0.02, 1


def one_run(text: str, config: Config, scholar: Scholar, cache: str | None) -> dict:
    for service in (scholar.s2, scholar.dblp):
        service.log.clear()
        service.refused = 0
    doc = parse_document(text, "README.md")
    stats: dict = {}
    started = time.monotonic()
    links = check_documents([doc], settings_for(config), config=config, allow_private=True,
                            cache_path=cache, stats=stats)
    wall = time.monotonic() - started
    found = {f.line: f.message for f in run(doc, config, links=links) if f.rule == "published"}
    return {"s2": scholar.s2.answered(), "dblp": scholar.dblp.answered(),
            "sent": len(scholar.s2.log) + len(scholar.dblp.log), "found": found, "wall": wall,
            "violations": len(scholar.dblp.violations)}


def report(name: str, got: dict, truth: dict, target_s2: int, target_dblp: int) -> None:
    wrong = sum(1 for line, message in got["found"].items() if truth.get(line) != message)
    missed = sum(1 for line in truth if line not in got["found"])
    refused = got["sent"] - got["s2"] - got["dblp"]
    print(f"{name:<36} answered: Semantic Scholar {got['s2']:>5} (target <= {target_s2:>4}), "
          f"DBLP {got['dblp']:>5} (target <= {target_dblp:>5}); refused (429/503) {refused:>3}  "
          f"found {len(got['found']):>4}, false {wrong}, missed {missed}  "
          f"Retry-After broken {got['violations']}  {got['wall']:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=1200)
    args = parser.parse_args()
    farm = Farm()
    start(farm)
    scholar = Scholar(SemanticScholar(), Dblp(), OpenReview())
    for server in (scholar.s2, scholar.dblp, scholar.openreview):
        _start(server)
    try:
        text, truth = build(args.papers, farm, scholar)
        links = {**scholar.links(farm), "semantic_scholar_interval": 0.25, "dblp_interval": 0.025,
                 "retries": 4}
        config = Config.from_text(yaml.safe_dump({"extends": "default", "links": links}))
        aged = Config.from_text(yaml.safe_dump({"extends": "default",
                                                "links": {**links, "paper_max_age_days": 0}}))
        peer = Config.from_text(yaml.safe_dump({"extends": "default",
                                                "links": {**links, "semantic_scholar_batch": 1}}))
        n = args.papers
        unresolved = n - len(truth)
        print(f"{n} preprints, {len(truth)} published (by the fakes' data), {unresolved} not")
        with tempfile.TemporaryDirectory() as work:
            cache = os.path.join(work, "links.sqlite")
            misbehave(scholar)
            report("listkeeper, first run", one_run(text, config, scholar, cache), truth,
                   math.ceil(n / 500), n)
            report("listkeeper, second run", one_run(text, config, scholar, cache), truth, 0, 0)
            misbehave(scholar)
            report("listkeeper, answers aged", one_run(text, aged, scholar, cache), truth,
                   math.ceil(unresolved / 500), unresolved)
            misbehave(scholar)
            report("peer: a paper a request, no history", one_run(text, peer, scholar, None), truth, n, n)
    finally:
        for server in (farm, scholar.s2, scholar.dblp, scholar.openreview):
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
