"""The venue vocabulary (``venues:``) and section policies (``sections:``) of ``rules.yaml``.

``venues:`` lists canonical venue labels in rank order (ArXiv last), aliases that map other
spellings to them, and the suffix words that make a workshop or track label ("ICLR ... Workshop",
"ACL Findings", "NeurIPS Oral"). ``sections:`` holds the per-section sort policies (chosen by
section path glob) and the category keywords of ``section-placement``.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any

from .validate import AnyOf, Checker, Fields, ListOf, MapOf

CANONICAL = (
    "ICLR", "ICML", "NeurIPS", "ACL", "EMNLP", "NAACL", "EACL", "COLING", "CVPR", "ICCV",
    "ECCV", "WACV", "AAAI", "IJCAI", "KDD", "WWW", "SIGIR", "MM", "ICME", "ICASSP", "INTERSPEECH",
    "AISTATS", "UAI", "COLT", "CoRL", "COLM", "DAC", "ICCAD", "DATE", "ISCA", "MICRO", "HPCA",
    "ASPLOS", "FPGA", "MLSys", "OSDI", "SOSP", "NSDI", "EuroSys", "ATC", "SC", "PPoPP", "VLDB",
    "SIGMOD", "AutoML", "TMLR", "TACL", "TPAMI", "IJCV", "TIP", "TNNLS", "JMLR", "JSA", "Nature",
    "Science", "ArXiv",
)
ALIASES = {
    "Arxiv": "ArXiv", "arXiv": "ArXiv", "arxiv": "ArXiv", "ARXIV": "ArXiv", "Preprint": "ArXiv",
    "NIPS": "NeurIPS", "Neurips": "NeurIPS", "NeuRIPS": "NeurIPS", "NeurIps": "NeurIPS",
    "Nips": "NeurIPS", "Iclr": "ICLR", "Icml": "ICML", "TPAMI'": "TPAMI", "PAMI": "TPAMI",
    "T-PAMI": "TPAMI", "MLsys": "MLSys", "MLSYS": "MLSys", "VLDB Endowment": "VLDB",
    "PVLDB": "VLDB", "SIGKDD": "KDD", "ACM MM": "MM", "ACMMM": "MM", "TheWebConf": "WWW",
}
SUFFIXES = (
    "Workshop", "Workshops", "Findings", "Oral", "Spotlight", "Poster", "Demo", "Demos", "Short",
    "Long", "Main", "Track", "Industry", "Highlight", "Tutorial", "Competition", "Tiny Paper",
    "Tiny Papers", "Datasets and Benchmarks", "Best Paper", "Outstanding Paper", "W",
)
SORT_KEYS = ("venue", "published", "arxiv", "-arxiv", "date", "-date", "year", "-year", "title")
# venues that publish continuously (journals): a paper's year there says little about its
# arXiv year, so placement by year is not judged with a conference's tolerance
JOURNALS = ("TMLR", "TACL", "TPAMI", "IJCV", "TIP", "TNNLS", "JMLR", "JSA", "Nature", "Science",
            "TMM", "TCSVT", "PR", "Pattern Recognition", "Neurocomputing", "Neural Networks",
            "TOG", "TVCG", "CSUR", "TKDE", "TIST", "TOSEM", "JAIR", "AIJ", "TCAD", "TC", "TPDS",
            "JSSC", "Proceedings of the IEEE", "PNAS", "CVIU", "MLJ", "TASLP", "TSP")

_YEAR = re.compile(r"(?:\s*[’'`]\d{2}\b|(?<![\w])(?:19|20)\d{2}(?![\w])|(?<=[A-Za-z])(?:19|20)\d{2}\b)")


@dataclass(frozen=True)
class Label:
    """A venue label taken apart: its canonical base, suffix text and year."""

    text: str
    base: str | None  # canonical venue, or None when unknown
    written: str  # how the base was written in the label
    rest: str  # the suffix text ("Practical ML ... Workshop", "Findings")
    year: int | None
    year_spans: list[tuple[int, int]] = field(default_factory=list)  # offsets in ``text``

    @property
    def is_track(self) -> bool:
        return bool(self.rest)


@dataclass
class Vocabulary:
    """Canonical labels in rank order, aliases and suffix words."""

    canonical: tuple[str, ...] = CANONICAL
    aliases: dict[str, str] = field(default_factory=lambda: dict(ALIASES))
    suffixes: tuple[str, ...] = SUFFIXES
    spelling: dict[str, str] = field(default_factory=dict)  # venue -> how this list writes it
    any_spelling: frozenset[str] = frozenset()  # venues the list writes several ways: no fix
    preprint: str = ""  # the label that means "not published yet" (default: the arXiv one)
    closed: bool = False  # only the canonical labels are allowed (unknown ones are warnings)
    journals: frozenset[str] = frozenset(JOURNALS)

    def __post_init__(self) -> None:
        if not self.preprint:
            self.preprint = next((c for c in self.canonical if c.lower() == "arxiv"),
                                 self.canonical[-1] if self.canonical else "ArXiv")
        self._exact = {name: name for name in self.canonical}
        self._exact.update(self.aliases)
        self._folded = {name.lower(): name for name in self.canonical}
        for alias, target in self.aliases.items():
            self._folded.setdefault(alias.lower(), target)
        self._suffix_words = {w.lower() for s in self.suffixes for w in s.split()}
        self._parsed: dict[str, Label] = {}  # a list has few distinct labels: parse each once

    @classmethod
    def from_config(cls, config: Any) -> Vocabulary:
        """The vocabulary of ``config`` (built once per configuration)."""
        if config is None:
            return _DEFAULT
        return config.memo("vocabulary", lambda: cls._build(config))

    @classmethod
    def _build(cls, config: Any) -> Vocabulary:
        raw = config.section("venues")
        if not raw:
            return _DEFAULT
        aliases = dict(ALIASES)
        aliases.update(raw.get("aliases") or {})
        canonical = tuple(raw.get("canonical") or CANONICAL)
        extra = tuple(v for v in raw.get("extra") or () if v not in canonical)
        if extra:  # the list's own venues rank before the preprint label (last)
            canonical = canonical[:-1] + extra + canonical[-1:]
        aliases = {k: v for k, v in aliases.items() if v in canonical and k not in canonical}
        spelling = {str(k): str(v) for k, v in (raw.get("spelling") or {}).items()}
        for base, written in spelling.items():  # the list's own spelling reads as its venue
            if written not in canonical:
                aliases.setdefault(written, base)
        return cls(canonical, aliases, tuple(raw.get("suffixes") or SUFFIXES), spelling,
                   frozenset(raw.get("any_spelling") or ()), str(raw.get("preprint") or ""),
                   bool(raw.get("closed", False)), frozenset(raw.get("journals") or JOURNALS))

    def written(self, base: str) -> str:
        """How this list writes venue ``base`` (its own spelling, else the canonical one)."""
        return self.spelling.get(base, base)

    def is_preprint(self, base: str | None) -> bool:
        return base is not None and base == self.preprint

    def is_journal(self, base: str | None) -> bool:
        return base is not None and base in self.journals

    def rank(self, name: str | None) -> int | None:
        if name is None:
            return None
        try:
            return self.canonical.index(name)
        except ValueError:
            return None

    def resolve(self, word: str) -> str | None:
        """The canonical venue for one written name (exact, alias or case-folded)."""
        return self._exact.get(word) or self._folded.get(word.lower())

    def parse(self, text: str) -> Label:
        """Take a label apart: ``"ICLR Practical ML Workshop 2024"`` -> ICLR, workshop, 2024."""
        label = self._parsed.get(text)
        if label is None:
            label = self._parsed[text] = self._parse(text)
        return label

    def _parse(self, text: str) -> Label:
        years = [(m.start(), m.end()) for m in _YEAR.finditer(text)]
        year = None
        for start, end in years:
            digits = re.sub(r"\D", "", text[start:end])
            year = int(digits) if len(digits) == 4 else 2000 + int(digits)
        bare = text
        for start, end in reversed(years):
            bare = bare[:start] + " " + bare[end:]
        bare = " ".join(bare.replace(",", " ").split())
        findings = re.match(r"^Findings of (?:the )?(.+)$", bare, re.I)
        if findings:
            base = self.resolve(findings.group(1))
            if base:
                return Label(text, base, findings.group(1), "Findings", year, years)
        words = bare.split(" ")
        for n in range(min(len(words), 4), 0, -1):
            written = " ".join(words[:n])
            base = self.resolve(written)
            if base is None and n == 1 and written.endswith("W") and self.resolve(written[:-1]):
                base, written = self.resolve(written[:-1]), written[:-1]  # CVPRW
                rest = "W " + " ".join(words[1:])
                return Label(text, base, written, rest.strip(), year, years)
            if base is None:
                continue
            rest = " ".join(words[n:])
            if rest and not {w.lower().strip("()") for w in rest.split()} & self._suffix_words:
                return Label(text, None, bare, rest, year, years)
            return Label(text, base, written, rest, year, years)
        return Label(text, None, bare, "", year, years)

    def closest(self, text: str) -> str | None:
        """The known venue ``text`` plainly misspells, or None.

        Only sure guesses: the same letters in another case, spacing or punctuation
        (``Neur-IPS``, ``iclr``), or one typo in a name of six letters or more. Short acronyms
        get no guess: ``CoRR`` is not CoRL and ``PR`` (Pattern Recognition) is not CVPR.
        """
        key = _squash(text)
        if not key:
            return None
        names = list(self.canonical) + list(self.aliases)
        for name in names:
            if _squash(name) == key:
                return self.resolve(name)
        if len(key) < 6:
            return None
        near = [name for name in names if len(_squash(name)) >= 6 and _one_edit(_squash(name), key)]
        bases = {self.resolve(name) for name in near}
        return bases.pop() if len(bases) == 1 else None


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one insertion, deletion or substitution."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:] or (len(a) == len(b) and a[i + 1:] == b[i + 1:])


DEFAULT_VOCABULARY = _DEFAULT = Vocabulary()


# ---------------------------------------------------------------------------------------------
# sections: sort policies and category keywords


@dataclass(frozen=True)
class SortPolicy:
    """How the entries of matching sections are ordered."""

    globs: tuple[str, ...]
    keys: tuple[str, ...]
    missing: str = "last"
    pinned: int = 0  # entries the maintainers keep at the top of each section, whatever the keys

    def matches(self, section_path: tuple[str, ...]) -> bool:
        forms = ("/".join(section_path), " › ".join(section_path))
        return any(fnmatch.fnmatchcase(form, glob) for glob in self.globs for form in forms)


def sort_policies(config: Any) -> list[SortPolicy]:
    raw = config.section("sections") if config is not None else {}
    out = []
    for item in raw.get("ordering") or []:
        globs = item.get("match", "*")
        globs = (globs,) if isinstance(globs, str) else tuple(globs)
        out.append(SortPolicy(globs, tuple(item.get("keys") or ()), item.get("missing", "last"),
                              int(item.get("pinned", 0))))
    return out


def policy_for(policies: list[SortPolicy], section_path: tuple[str, ...]) -> SortPolicy | None:
    """The first policy whose glob matches the section path."""
    return next((p for p in policies if p.matches(section_path)), None)


def categories(config: Any) -> dict[str, list[str]]:
    raw = config.section("sections") if config is not None else {}
    return {str(k): [str(w).lower() for w in v] for k, v in (raw.get("categories") or {}).items()}


# ---------------------------------------------------------------------------------------------
# validation (called by bot.config for the top-level keys)


def validate_venues(mapping: dict[str, Any], path: str, lines: dict[str, int]) -> None:
    """Check ``venues:``: canonical is a list of names, aliases map to canonical names."""
    check = Checker(path, lines)
    check.mapping(mapping, VENUE_FIELDS, "venues")
    canonical = mapping.get("canonical")
    if canonical is not None:
        seen = set()
        for i, name in enumerate(canonical):
            if not name.strip():
                raise check.fail(f"venues.canonical[{i}]: an empty venue label", "venues.canonical")
            if name in seen:
                raise check.fail(f"venues.canonical: lists '{name}' twice", "venues.canonical")
            seen.add(name)
    names = set(canonical or CANONICAL) | set(mapping.get("extra") or ())
    aliases = mapping.get("aliases") or {}
    for alias, target in aliases.items():
        if target not in names:
            raise check.fail(f"venues.aliases.{alias}: '{alias}' maps to '{target}', which is "
                             f"not a canonical label", f"venues.aliases.{alias}")
    for base, written in (mapping.get("spelling") or {}).items():
        key = f"venues.spelling.{base}"
        if base not in names:
            raise check.fail(f"{key}: '{base}' is not a canonical label", key)
        if written.lower() != str(base).lower() and \
                aliases.get(written, ALIASES.get(written)) != base:
            raise check.fail(f"{key}: '{written}' is not a spelling of '{base}' (add it to "
                             f"venues.aliases first)", key)
    preprint = mapping.get("preprint")
    if preprint is not None and preprint not in names:
        raise check.fail(f"venues.preprint: '{preprint}' is not a canonical label",
                         "venues.preprint")


def validate_sections(mapping: dict[str, Any], path: str, lines: dict[str, int]) -> None:
    """Check ``sections:``: sort policies (match, keys, missing) and category keywords."""
    check = Checker(path, lines)
    check.mapping(mapping, SECTION_FIELDS, "sections")
    for i, item in enumerate(mapping.get("ordering") or []):
        if not item.get("keys"):
            key = f"sections.ordering[{i}].keys"
            raise check.fail(f"{key}: a policy needs a non-empty list of sort keys "
                             f"({', '.join(SORT_KEYS)})", key)
    for name, words in (mapping.get("categories") or {}).items():
        if not all(words):
            key = f"sections.categories.{name}"
            raise check.fail(f"{key}: an empty keyword", key)


VENUE_FIELDS = {
    "canonical": ListOf(str), "aliases": MapOf(str), "suffixes": ListOf(str),
    "spelling": MapOf(str), "any_spelling": ListOf(str), "preprint": str, "closed": bool,
    "journals": ListOf(str), "extra": ListOf(str),
}
SECTION_FIELDS = {
    "ordering": ListOf(Fields({"match": AnyOf((str, ListOf(str))), "keys": ListOf(SORT_KEYS),
                               "missing": ("first", "last"), "pinned": int})),
    "categories": MapOf(ListOf(str)),
}
