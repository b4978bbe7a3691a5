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

from .errors import ConfigError

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
SORT_KEYS = ("venue", "published", "arxiv", "-arxiv", "year", "-year", "title")
SECTION_KEYS = ("ordering", "categories")
VENUE_KEYS = ("canonical", "aliases", "suffixes", "spelling", "any_spelling", "preprint",
              "closed", "journals", "extra")
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


def _fail(message: str, path: str, lines: dict[str, int], key: str) -> ConfigError:
    line = lines.get(key)
    probe = key
    while line is None and "." in probe:
        probe = probe.rsplit(".", 1)[0]
        line = lines.get(probe)
    if line is None and "[" in probe:
        line = lines.get(probe.split("[", 1)[0])
    return ConfigError(message, path, line, key)


def validate_venues(mapping: dict[str, Any], path: str, lines: dict[str, int]) -> None:
    """Check ``venues:``: canonical is a list of names, aliases map to canonical names."""
    for key in mapping:
        if key not in VENUE_KEYS:
            raise _fail(f"venues: unknown key '{key}' (expected one of: {', '.join(VENUE_KEYS)})",
                        path, lines, f"venues.{key}")
    canonical = mapping.get("canonical")
    if canonical is not None:
        if not isinstance(canonical, list) or not all(isinstance(c, str) and c for c in canonical):
            raise _fail("venues.canonical must be a list of venue labels", path, lines,
                        "venues.canonical")
        seen = set()
        for name in canonical:
            if name in seen:
                raise _fail(f"venues.canonical lists '{name}' twice", path, lines, "venues.canonical")
            seen.add(name)
    names = set(canonical or CANONICAL) | {v for v in mapping.get("extra") or ()
                                           if isinstance(v, str)}
    aliases = mapping.get("aliases")
    if aliases is not None:
        if not isinstance(aliases, dict):
            raise _fail("venues.aliases must map a spelling to a canonical label", path, lines,
                        "venues.aliases")
        for alias, target in aliases.items():
            if not isinstance(target, str) or target not in names:
                raise _fail(f"venues.aliases: '{alias}' maps to '{target}', which is not a "
                            f"canonical label", path, lines, f"venues.aliases.{alias}")
    suffixes = mapping.get("suffixes")
    if suffixes is not None and not (isinstance(suffixes, list)
                                     and all(isinstance(s, str) for s in suffixes)):
        raise _fail("venues.suffixes must be a list of words", path, lines, "venues.suffixes")
    spelling = mapping.get("spelling")
    if spelling is not None:
        if not isinstance(spelling, dict):
            raise _fail("venues.spelling must map a canonical label to how the list writes it",
                        path, lines, "venues.spelling")
        for base, written in spelling.items():
            if base not in names:
                raise _fail(f"venues.spelling: '{base}' is not a canonical label", path, lines,
                            f"venues.spelling.{base}")
            if not isinstance(written, str) or written.lower() != str(base).lower() and \
                    (aliases or {}).get(written, ALIASES.get(written)) != base:
                raise _fail(f"venues.spelling: '{written}' is not a spelling of '{base}' (add it "
                            f"to venues.aliases first)", path, lines, f"venues.spelling.{base}")
    for key in ("any_spelling", "journals", "extra"):
        value = mapping.get(key)
        if value is not None and not (isinstance(value, list)
                                      and all(isinstance(v, str) for v in value)):
            raise _fail(f"venues.{key} must be a list of venue labels", path, lines,
                        f"venues.{key}")
    preprint = mapping.get("preprint")
    if preprint is not None and preprint not in names:
        raise _fail(f"venues.preprint: '{preprint}' is not a canonical label", path, lines,
                    "venues.preprint")
    if "closed" in mapping and not isinstance(mapping["closed"], bool):
        raise _fail("venues.closed must be true or false", path, lines, "venues.closed")


def validate_sections(mapping: dict[str, Any], path: str, lines: dict[str, int]) -> None:
    """Check ``sections:``: sort policies (match, keys, missing) and category keywords."""
    for key in mapping:
        if key not in SECTION_KEYS:
            raise _fail(f"sections: unknown key '{key}' (expected one of: "
                        f"{', '.join(SECTION_KEYS)})", path, lines, f"sections.{key}")
    ordering = mapping.get("ordering")
    if ordering is not None:
        if not isinstance(ordering, list):
            raise _fail("sections.ordering must be a list of policies", path, lines,
                        "sections.ordering")
        for i, item in enumerate(ordering):
            key = f"sections.ordering[{i}]"
            if not isinstance(item, dict):
                raise _fail(f"{key} must be a mapping with match, keys, missing", path, lines, key)
            for name in item:
                if name not in ("match", "keys", "missing", "pinned"):
                    raise _fail(f"{key}: unknown key '{name}' (expected match, keys, missing, "
                                f"pinned)", path, lines, f"{key}.{name}")
            pinned = item.get("pinned", 0)
            if not isinstance(pinned, int) or isinstance(pinned, bool) or pinned < 0:
                raise _fail(f"{key}.pinned must be a number of entries (0 or more)", path, lines,
                            f"{key}.pinned")
            match = item.get("match", "*")
            if not (isinstance(match, str) or isinstance(match, list)
                    and all(isinstance(m, str) for m in match)):
                raise _fail(f"{key}.match must be a section glob or a list of globs", path,
                            lines, f"{key}.match")
            keys = item.get("keys")
            if not isinstance(keys, list) or not keys:
                raise _fail(f"{key}.keys must be a non-empty list of sort keys "
                            f"({', '.join(SORT_KEYS)})", path, lines, f"{key}.keys")
            for k in keys:
                if k not in SORT_KEYS:
                    raise _fail(f"{key}.keys: unknown sort key '{k}' (expected one of: "
                                f"{', '.join(SORT_KEYS)})", path, lines, f"{key}.keys")
            if item.get("missing", "last") not in ("first", "last"):
                raise _fail(f"{key}.missing must be first or last", path, lines, f"{key}.missing")
    cats = mapping.get("categories")
    if cats is not None:
        if not isinstance(cats, dict):
            raise _fail("sections.categories must map a category to keywords", path, lines,
                        "sections.categories")
        for name, words in cats.items():
            if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                raise _fail(f"sections.categories.{name} must be a list of keywords", path,
                            lines, f"sections.categories.{name}")
