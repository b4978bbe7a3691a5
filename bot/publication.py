"""Where a paper was published, decided from what the sources say (no I/O).

The link checker gathers `Sighting`s of a paper (arXiv's `journal_ref` and DOI, Semantic
Scholar, DBLP, OpenReview); `decide()` turns them into a `Publication` or nothing:

- a sighting counts only when its title matches the paper's (a source asked by the paper's
  id, like arXiv or Semantic Scholar, may word it a little differently; a title search, DBLP,
  must match the title, or name the same arXiv id) and its year is not before the preprint;
- its venue is read with the list's vocabulary (``NeurIPS``, ``Neural Information Processing
  Systems``, ``Adv. Neural Inf. Process. Syst.`` and DBLP's ``conf/nips`` are one venue;
  ``arXiv.org`` and ``CoRR`` are none), workshops and Findings kept apart from the main venue;
- a venue counts when two sources agree on it, or when one of them is arXiv's
  ``journal_ref`` or gives a DOI of the published version; when two venues count equally, the
  paper is left alone.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import ids
from .vocabulary import Vocabulary

SOURCE_NAMES = {"arxiv": "arXiv journal_ref", "semantic-scholar": "Semantic Scholar",
                "dblp": "DBLP", "openreview": "OpenReview"}
ORDER = ("arxiv", "semantic-scholar", "dblp", "openreview")
YEAR_TRUST = ("dblp", "openreview", "arxiv", "semantic-scholar")  # whose year wins
BY_ID = {"arxiv", "semantic-scholar", "openreview"}  # asked by the paper's id, not its title
PREPRINT_NAMES = {"arxiv", "arxiv org", "corr", "biorxiv", "medrxiv", "ssrn", "techrxiv",
                  "openreview net", "preprint", "arxiv preprint", "research square"}
ARXIV_DOI = re.compile(r"^10\.48550/", re.I)

# how the sources spell venues out (Semantic Scholar's names, DBLP's abbreviations and
# streams), normalised as `_words` does, to the canonical label
FULL_NAMES = {
    "neural information processing systems": "NeurIPS",
    "advances in neural information processing systems": "NeurIPS",
    "adv neural inf process syst": "NeurIPS",
    "nips": "NeurIPS",
    "international conference on machine learning": "ICML",
    "international conference on learning representations": "ICLR",
    "annual meeting of the association for computational linguistics": "ACL",
    "meeting of the association for computational linguistics": "ACL",
    "conference on empirical methods in natural language processing": "EMNLP",
    "empirical methods in natural language processing": "EMNLP",
    "north american chapter of the association for computational linguistics": "NAACL",
    "conference of the north american chapter of the association for computational linguistics":
        "NAACL",
    "naacl hlt": "NAACL",
    "conference of the european chapter of the association for computational linguistics": "EACL",
    "international conference on computational linguistics": "COLING",
    "computer vision and pattern recognition": "CVPR",
    "conference on computer vision and pattern recognition": "CVPR",
    "ieee cvf conference on computer vision and pattern recognition": "CVPR",
    "international conference on computer vision": "ICCV",
    "ieee cvf international conference on computer vision": "ICCV",
    "european conference on computer vision": "ECCV",
    "winter conference on applications of computer vision": "WACV",
    "ieee cvf winter conference on applications of computer vision": "WACV",
    "aaai conference on artificial intelligence": "AAAI",
    "international joint conference on artificial intelligence": "IJCAI",
    "knowledge discovery and data mining": "KDD",
    "acm sigkdd conference on knowledge discovery and data mining": "KDD",
    "the web conference": "WWW",
    "acm web conference": "WWW",
    "international acm sigir conference on research and development in information retrieval":
        "SIGIR",
    "acm multimedia": "MM",
    "acm international conference on multimedia": "MM",
    "ieee international conference on multimedia and expo": "ICME",
    "ieee international conference on acoustics speech and signal processing": "ICASSP",
    "international conference on acoustics speech and signal processing": "ICASSP",
    "international conference on artificial intelligence and statistics": "AISTATS",
    "conference on uncertainty in artificial intelligence": "UAI",
    "conference on robot learning": "CoRL",
    "conference on language modeling": "COLM",
    "design automation conference": "DAC",
    "international conference on computer aided design": "ICCAD",
    "design automation and test in europe": "DATE",
    "international symposium on computer architecture": "ISCA",
    "conference on machine learning and systems": "MLSys",
    "machine learning and systems": "MLSys",
    "usenix symposium on operating systems design and implementation": "OSDI",
    "transactions on machine learning research": "TMLR",
    "trans mach learn res": "TMLR",
    "transactions of the association for computational linguistics": "TACL",
    "trans assoc comput linguistics": "TACL",
    "ieee transactions on pattern analysis and machine intelligence": "TPAMI",
    "ieee trans pattern anal mach intell": "TPAMI",
    "international journal of computer vision": "IJCV",
    "int j comput vis": "IJCV",
    "journal of machine learning research": "JMLR",
    "j mach learn res": "JMLR",
    "ieee transactions on image processing": "TIP",
    "ieee trans image process": "TIP",
    "ieee transactions on neural networks and learning systems": "TNNLS",
    "ieee trans neural networks learn syst": "TNNLS",
}
_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.I)
_YEARISH = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|[’'`]\d{2}\b")
_PARENS = re.compile(r"\(([^()]*)\)")


def _words(text: str) -> str:
    text = _ORDINAL.sub(" ", text.lower())
    text = re.sub(r"\bproceedings of (the )?", " ", text)
    return " ".join(re.sub(r"[^a-z]+", " ", text).split())


@dataclass(frozen=True)
class Publication:
    """The venue a paper was published at: canonical base, track ("Workshop", "Findings" or
    ""), year, the sources that say so (in ORDER) and a link to the published version."""

    base: str
    track: str
    year: int | None
    sources: tuple[str, ...]
    url: str | None = None
    doi: str | None = None

    def label(self, vocab: Vocabulary, with_year: bool) -> str:
        """The label this list writes for the venue (its spelling, a year if it writes one)."""
        parts = [vocab.written(self.base)] + ([self.track] if self.track else [])
        if with_year and self.year:
            parts.append(str(self.year))
        return " ".join(parts)

    @property
    def named(self) -> str:
        """``NeurIPS 2024``, ``ACL Findings 2023``: for messages."""
        return " ".join(p for p in (self.base, self.track, str(self.year or "")) if p)

    def describe(self) -> str:
        """``published at NeurIPS 2024: Semantic Scholar, DBLP``."""
        return f"published at {self.named}: {', '.join(SOURCE_NAMES[s] for s in self.sources)}"


def venue_of(name: str, vocab: Vocabulary) -> tuple[str, str] | None:
    """(canonical base, track) of a venue as a source names it; None for a preprint server or
    a venue the vocabulary does not know."""
    if not name or not name.strip():
        return None
    track = ""
    low = name.lower()
    if "workshop" in low:
        track = "Workshop"
    elif "findings" in low:
        track = "Findings"
    inner = " ".join(_PARENS.findall(name))
    bare = _YEARISH.sub(" ", _PARENS.sub(" ", name))
    bare = " ".join(re.sub(r"^(?:accepted (?:at|to|by|in)|published (?:at|in)|to appear (?:at|in))\s+",
                           "", bare.strip(), flags=re.I).split())
    if _words(bare) in PREPRINT_NAMES:
        return None
    label = vocab.parse(bare.replace(",", " ").strip(" .;:"))
    base = label.base
    if base is not None and label.rest and not track:
        track = "Findings" if "findings" in label.rest.lower() else \
            "Workshop" if "workshop" in label.rest.lower() else track
    if base is None:
        words = _words(bare)
        words = re.sub(r"^(?:findings of (?:the )?|the )", "", words)
        words = re.sub(r"\b(?:workshops?|findings)\b", " ", words)
        full = FULL_NAMES.get(" ".join(words.split()))
        base = vocab.resolve(full) if full else None
    if base is None and inner and not track:
        return None
    if base is None or vocab.is_preprint(base):
        return None
    return base, track


def mentioned_venue(text: str, vocab: Vocabulary) -> tuple[str, str] | None:
    """The one venue a free text names (arXiv's journal_ref: "Accepted at ICLR 2024",
    "Proceedings of the 41st International Conference on Machine Learning, PMLR 235"), else
    None (no venue, or several)."""
    whole = venue_of(text, vocab)
    if whole is not None:
        return whole
    found: set[str] = set()
    for token in re.findall(r"[A-Za-z][A-Za-z\-]+", text):
        base = vocab.resolve(token) if (token.isupper() or token in vocab.canonical) \
            and len(token) >= 3 else None
        if base and not vocab.is_preprint(base):
            found.add(base)
    words = f" {_words(text)} "
    for full, canonical in FULL_NAMES.items():
        if len(full) > 8 and f" {full} " in words:
            base = vocab.resolve(canonical)
            if base:
                found.add(base)
    if len(found) != 1:
        return None
    low = text.lower()
    track = "Workshop" if "workshop" in low else "Findings" if "findings" in low else ""
    return found.pop(), track


def titles_match(a: str | None, b: str | None, *, strict: bool) -> bool:
    """Whether two titles name one paper: equal but for case and punctuation, or (not
    `strict`) nearly equal or one the other's start (an entry that keeps only the name)."""
    if not a or not b:
        return False
    x, y = ids.normalize_title(a), ids.normalize_title(b)
    if not x or not y:
        return False
    if x == y:
        return True
    ratio = difflib.SequenceMatcher(None, x, y).ratio()
    if strict:
        return min(len(x), len(y)) >= 20 and ratio >= 0.93
    return ratio >= 0.85 or (min(len(x), len(y)) >= 8 and (x.startswith(y) or y.startswith(x)))


def _accepted(sighting, title: str, titles: list[str], arxiv_id: str | None,
              arxiv_year: int | None) -> bool:
    other = re.sub(r"v\d+$", "", sighting.arxiv_id) if sighting.arxiv_id else None
    if arxiv_id and other and other != arxiv_id:
        return False  # the source links another arXiv paper
    if arxiv_year and sighting.year and sighting.year < arxiv_year - 1:
        return False  # published before the preprint was posted: another paper of that title
    if sighting.source in BY_ID:
        return sighting.title is None or titles_match(title, sighting.title, strict=False) \
            or any(titles_match(t, sighting.title, strict=False) for t in titles)
    if arxiv_id and other == arxiv_id:
        return True
    return any(titles_match(t, sighting.title, strict=True) for t in [title, *titles])


def decide(title: str, sightings: Iterable, vocab: Vocabulary, *, arxiv_id: str | None = None,
           ) -> Publication | None:
    """The venue the sources show the paper published at, or None."""
    arxiv_year = None
    if arxiv_id:
        yymm = ids.arxiv_yymm(arxiv_id)
        arxiv_year = yymm[0] if yymm else None
    sightings = list(sightings)
    # the titles the sources asked by id give: a title search may match them instead
    titles = [s.title for s in sightings if s.source in BY_ID and s.title
              and titles_match(title, s.title, strict=False)]
    groups: dict[tuple[str, str], list] = {}
    for s in sightings:
        if not s.venue and not s.names:
            continue
        if not _accepted(s, title, titles, arxiv_id, arxiv_year):
            continue
        found = mentioned_venue(s.venue, vocab) if s.source == "arxiv" else None
        if s.source != "arxiv":
            for name in [s.venue, *s.names]:
                found = venue_of(name, vocab)
                if found is not None:
                    break
        if found is not None:
            groups.setdefault(found, []).append(s)
    decisive = []
    for venue, group in groups.items():
        sources = {s.source for s in group}
        proceedings = any(s.doi and not ARXIV_DOI.match(s.doi) and s.source != "arxiv" for s in group)
        if len(sources) >= 2 or "arxiv" in sources or proceedings:
            decisive.append((len(sources), venue, group))
    if not decisive:
        return None
    decisive.sort(key=lambda d: (-d[0], d[1][1] != "", d[1]))
    if len(decisive) > 1 and decisive[0][0] == decisive[1][0] and \
            decisive[0][1][1] == decisive[1][1][1]:
        return None  # two venues with equal support: not certain
    _, (base, track), group = decisive[0]
    year = next((s.year for source in YEAR_TRUST for s in group if s.source == source and s.year), None)
    sources = tuple(source for source in ORDER if any(s.source == source for s in group))
    url = next((s.url for source in ("dblp", "semantic-scholar", "arxiv", "openreview")
                for s in group if s.source == source and s.url), None)
    doi = next((s.doi for s in group if s.doi and not ARXIV_DOI.match(s.doi)), None)
    return Publication(base, track, year, sources, url, doi)


def labels_carry_year(doc, config, vocab: Vocabulary) -> bool:
    """Whether this list writes a year in venue labels: never when the venue rule forbids it
    (``allow_year: false``), else when most of its venue labels carry one."""
    settings = config.rules.get("venue") if config is not None else None
    if settings is not None and settings.options.get("allow_year") is False:
        return False
    with_year = total = 0
    for entry in doc.entries:
        if not entry.venue or entry.venue_span is None:
            continue
        label = vocab.parse(entry.venue)
        if label.base is None or vocab.is_preprint(label.base):
            continue
        total += 1
        with_year += bool(label.year_spans)
    return total > 0 and with_year * 2 >= total


def paper_key(entry) -> str | None:
    """The key the link checker looks an entry's paper up by: its arXiv id, else its DOI,
    OpenReview id or normalised title."""
    if entry.arxiv_id:
        return entry.arxiv_id
    if entry.doi:
        return f"doi:{entry.doi}"
    if entry.openreview_id:
        return f"openreview:{entry.openreview_id}"
    title = ids.normalize_title(entry.title or "")
    return f"title:{title}" if len(title) >= 12 else None


def is_preprint_entry(entry, vocab: Vocabulary) -> bool:
    """A top-level paper entry whose label is the list's preprint label."""
    if not entry.venue or entry.venue_span is None or entry.details or entry.depth:
        return False
    return vocab.is_preprint(vocab.parse(entry.venue).base)
