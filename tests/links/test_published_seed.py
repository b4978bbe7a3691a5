"""The published rule on the seed list (skipped when ../shared/seed is absent).

The fakes know what the seed itself knows: a paper the seed labels with a venue in one place is
published there for Semantic Scholar and DBLP; every other preprint is arXiv's alone (Semantic
Scholar's venue "arXiv.org", DBLP's CoRR record).
"""

from __future__ import annotations

import math
import re

import yaml

from bot import ids, years
from bot.config import Config
from bot.engine import run
from bot.links.service import check_documents, settings_for
from bot.parse import parse_document
from tests.conftest import ROOT, SEED, needs_seed
from tests.links.scholarfarm import corr_record, dblp_record, s2_paper

pytestmark = needs_seed

# how Semantic Scholar names the venues the seed uses, and DBLP's streams
S2_NAMES = {"NeurIPS": ("Neural Information Processing Systems", "nips"),
            "ACL": ("Annual Meeting of the Association for Computational Linguistics", "acl"),
            "ICLR": ("International Conference on Learning Representations", "iclr"),
            "ICML": ("International Conference on Machine Learning", "icml")}


def _config(farm, scholar) -> Config:
    data = yaml.safe_load((ROOT / "rules.yaml").read_text(encoding="utf-8"))
    # the seed's other links lead to the internet, which tests never reach: only arXiv's are checked
    data["links"] = {**scholar.links(farm), "exclude": [r"^https?://(?!(www\.|browse\.)?arxiv\.org/)"]}
    return Config.from_text(yaml.safe_dump(data), "rules.yaml")


def _seed_fakes(doc, farm, scholar):
    """Fill the fakes from the seed; the preprint lines whose paper the seed lists elsewhere
    with a venue, with that venue and year."""
    def same(a, b):
        return (a.arxiv_id and a.arxiv_id == b.arxiv_id) or \
            ids.normalize_title(a.title) == ids.normalize_title(b.title)

    preprints = [e for e in doc.entries if e.venue and e.venue.lower() == "arxiv" and e.depth == 0]
    venues = [e for e in doc.entries if e.venue and e.venue.lower() != "arxiv" and e.depth == 0]
    expected = {}
    for entry in preprints:
        if not entry.arxiv_id:
            continue
        farm.papers[entry.arxiv_id] = entry.title
        year = years.arxiv_year(entry.arxiv_id)
        other = next((v for v in venues if same(entry, v) and v.venue in S2_NAMES), None)
        if other is None:
            scholar.s2.papers[f"ARXIV:{entry.arxiv_id}"] = s2_paper(entry.arxiv_id, entry.title, year=year)
            scholar.dblp.records.append(corr_record(entry.title, entry.arxiv_id, year))
            continue
        venue_year = (years.venue_year(other) or (year, ""))[0]
        full, stream = S2_NAMES[other.venue]
        key = f"conf/{stream}/Paper{venue_year % 100}"
        scholar.s2.papers[f"ARXIV:{entry.arxiv_id}"] = s2_paper(
            entry.arxiv_id, entry.title, full=full, short=other.venue, year=venue_year, dblp=key)
        scholar.dblp.records += [corr_record(entry.title, entry.arxiv_id, year),
                                 dblp_record(entry.title, other.venue, venue_year, key)]
        expected[entry.line] = f"published at {other.venue} {venue_year}: Semantic Scholar, DBLP"
    return preprints, expected


def test_the_seeds_own_venue_labels_come_out_published(farm, scholar, tmp_path):
    text = SEED.read_text(encoding="utf-8")
    doc = parse_document(text, "README.md")
    config = _config(farm, scholar)
    preprints, expected = _seed_fakes(doc, farm, scholar)
    line = next(i for i, t in enumerate(text.splitlines(), 1)
                if "arxiv.org/abs/2305.14152" in t)  # PEQA: NeurIPS at one place, ArXiv at another
    assert expected[line] == "published at NeurIPS 2023: Semantic Scholar, DBLP"
    cache = str(tmp_path / "links.sqlite")
    stats: dict = {}
    links = check_documents([doc], settings_for(config), config=config, allow_private=True,
                            cache_path=cache, stats=stats)
    found = {f.line: f.message for f in run(doc, config, links=links) if f.rule == "published"}
    assert found == expected
    fixed = {f.line: f.fix.edits[0].replacement for f in run(doc, config, links=links)
             if f.rule == "published"}
    assert fixed == {line: "NeurIPS"}  # the seed writes no year in labels (allow_year: false)

    # requests: one Semantic Scholar batch for all of them, one DBLP search per paper
    arxiv_ids = {e.arxiv_id for e in preprints if e.arxiv_id}
    assert stats["semantic_scholar_requests"] == math.ceil(len(arxiv_ids) / 500) == 1
    assert [sorted(b) for b in scholar.s2.batches()] == [sorted(f"ARXIV:{i}" for i in arxiv_ids)]
    queries = scholar.dblp.queries()
    assert len(queries) == len(set(queries)) == stats["dblp_requests"]
    titled = {re.sub(r"\W+", " ", e.title.lower()).strip() for e in preprints
              if len(ids.normalize_title(e.title)) >= 12}
    assert set(queries) == titled

    # a second run asks nothing: resolved papers never again, the rest not before they age
    scholar.s2.log.clear()
    scholar.dblp.log.clear()
    links = check_documents([doc], settings_for(config), config=config, allow_private=True,
                            cache_path=cache, stats=stats)
    assert {f.line: f.message for f in run(doc, config, links=links) if f.rule == "published"} == expected
    assert scholar.s2.log == [] and scholar.dblp.log == []
