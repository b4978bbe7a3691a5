"""`listkeeper add`: a new entry, looked up, written in the list's style and put in its place.

The paper is given as an arXiv id or URL, an OpenReview URL or a DOI. Its title, date and venue
come from the same lookups as the published rule (arXiv, Semantic Scholar, OpenReview, then
DBLP by title: `bot.links`), decided by `bot.publication`; offline (`--title`, `--date`)
nothing is fetched. The entry is written by the list's entry style (`rules.entry-format.style`,
else the style the list follows), with its code link and stars badge as the list writes them,
labelled as the list labels that venue. Its section is the year section of its year and,
with category keywords (`sections: categories`), the category its title names; its place in
the section is where the sort policy puts it. A paper already listed is refused.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any

from . import ids, years
from .errors import InputError, ListkeeperError
from .model import Document, Entry, Section
from .parse import parse_document
from .styles import STYLES
from .styles._format import NAME, REPO, Conventions, NewPaper
from .styles.table_row import cells
from .vocabulary import Vocabulary, categories

_OLD_ARXIV = re.compile(r"^[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?$", re.I)
_NEW_ARXIV = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$", re.I)
_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_MARKER = re.compile(r"^(\s*(?:[-*+]|\d+[.)])[ \t]+)")


class AlreadyListed(ListkeeperError):
    """The list has this paper already."""


@dataclass
class PaperId:
    """What the user gave: one of these is set; `url` is the link the entry gets."""

    url: str
    arxiv_id: str | None = None
    doi: str | None = None
    openreview_id: str | None = None

    @property
    def key(self) -> str:
        return self.arxiv_id or (f"doi:{self.doi}" if self.doi else f"openreview:{self.openreview_id}")


def parse_paper(text: str, *, offline: bool = False) -> PaperId:
    """An arXiv id or URL, an OpenReview URL, a DOI or doi.org URL (any URL when offline)."""
    value = text.strip()
    m = _NEW_ARXIV.match(value)
    if m:
        return PaperId(f"https://arxiv.org/abs/{m.group(1)}", arxiv_id=m.group(1))
    if _OLD_ARXIV.match(value):
        base = re.sub(r"v\d+$", "", value)
        return PaperId(f"https://arxiv.org/abs/{base}", arxiv_id=base)
    if value.lower().startswith("10.") and "/" in value:
        value = f"https://doi.org/{value}"
    if "://" in value:
        arxiv = ids.arxiv_id(value)
        if arxiv:
            return PaperId(f"https://arxiv.org/abs/{arxiv}", arxiv_id=arxiv)
        openreview = ids.openreview_id(value)
        if openreview:
            return PaperId(f"https://openreview.net/forum?id={openreview}", openreview_id=openreview)
        doi = ids.doi(value)
        if doi:
            written = re.search(re.escape(doi), value, re.I)  # the link keeps the DOI as written
            return PaperId(f"https://doi.org/{written.group(0) if written else doi}", doi=doi)
        if offline and value.lower().startswith(("http://", "https://")):
            return PaperId(value)
    raise InputError(f"'{text}' is no arXiv id, OpenReview URL or DOI (e.g. 2402.04291, "
                     "https://openreview.net/forum?id=..., 10.1109/CVPR52729.2023.00196)")


@dataclass
class Found:
    """What is known of the paper: its title, date, arXiv id and where it was published."""

    title: str
    date: str | None = None
    arxiv_id: str | None = None
    publication: Any = None  # a bot.publication.Publication
    notes: list[str] = field(default_factory=list)


def parse_date(text: str) -> str:
    """``2024``, ``2024-02``, ``2024/02/06`` as ISO (``2024``, ``2024-02``, ``2024-02-06``)."""
    m = _DATE.match(text.strip())
    if not m or not 1950 <= int(m.group(1)) <= 2100 or m.group(2) and not 1 <= int(m.group(2)) <= 12:
        raise InputError(f"--date {text}: give a date like 2024-02-06, 2024-02 or 2024")
    parts = [m.group(1)] + [f"{int(g):02d}" for g in m.groups()[1:] if g]
    return "-".join(parts)


def look_up(paper: PaperId, config: Any, *, cache_path: str | None, allow_private: bool = False,
            progress=None) -> Found:
    """The title, date and venue by the link checker's sources: arXiv, Semantic Scholar and
    OpenReview by the paper's id, then DBLP by the title they give."""
    import os

    from .links.checker import run_check
    from .links.results import LinkTarget, PaperTarget
    from .links.service import settings_for
    from .publication import decide

    settings = settings_for(config)
    vocab = Vocabulary.from_config(config)
    key = os.environ.get("SEMANTIC_SCHOLAR_API_KEY") or None
    target = PaperTarget(paper.key, "", [], paper.arxiv_id, paper.doi, paper.openreview_id,
                         [paper.url])
    links = [LinkTarget(paper.url, [0])] if paper.arxiv_id else []
    results, found = run_check(links, settings, cache_path=cache_path, allow_private=allow_private,
                               first_failure_is_broken=True, papers=[target], s2_key=key,
                               progress=progress)
    sightings = found[paper.key].sightings
    if paper.arxiv_id and results and results[0].verdict == "broken":
        raise InputError(f"arXiv has no paper {paper.arxiv_id} ({results[0].error})")
    title = next((s.title for s in sightings if s.title), None)
    if not title:
        failed = "; ".join(f"{k}: {v}" for k, v in found[paper.key].failed.items())
        raise ListkeeperError(f"found no title for {paper.url}" + (f" ({failed})" if failed else "")
                              + "; pass --title and --date to add it offline")
    arxiv_id = paper.arxiv_id or next((s.arxiv_id for s in sightings if s.arxiv_id), None)
    by_title = PaperTarget(paper.key, title, [])  # only DBLP is asked by title
    _, more = run_check([], settings, cache_path=cache_path, allow_private=allow_private,
                        papers=[by_title], progress=progress)
    sightings = sightings + more[paper.key].sightings
    date = next((s.date for source in ("arxiv", "semantic-scholar", "openreview") for s in sightings
                 if s.source == source and s.date), None)
    result = Found(" ".join(title.split()).rstrip("."), date, arxiv_id,
                   decide(title, sightings, vocab, arxiv_id=arxiv_id))
    for source, error in {**found[paper.key].failed, **more[paper.key].failed}.items():
        result.notes.append(f"{source} could not be asked ({error})")
    return result


# ---------------------------------------------------------------------------------------------
# the list's conventions


def style_of(doc: Document, config: Any, section: Section | None) -> str:
    """The entry style: a table's rows are rows; a section whose entries (two or more) nearly
    all share a style gets one more of it; else rules.yaml's, else the one the section (or the
    list) writes most."""
    entries = [e for e in (section.entries if section else []) if e.depth == 0 and not e.details]
    if entries and all(e.kind == "row" for e in entries):
        return "table-row"
    papers = [e for e in entries if e.style in STYLES and e.paper_link is not None]
    local = Counter(e.style for e in papers).most_common(1)
    if local and local[0][1] >= 2 and local[0][1] * 3 >= len(papers) * 2:
        return local[0][0]
    configured = config.rules["entry-format"].options.get("style") if "entry-format" in config.rules else ""
    if configured in STYLES:
        return configured
    pool = entries or [e for e in doc.entries if e.depth == 0 and not e.details and e.paper_link]
    counts = Counter(e.style for e in pool if e.style in STYLES)
    return counts.most_common(1)[0][0] if counts else "venue-tag"


def conventions_of(doc: Document, config: Any, section: Section | None, code_url: str | None,
                   year: int | None) -> Conventions:
    """How the list writes code links and badges, and the table's columns."""
    from .rules.badge_format import badge_markup

    conv = Conventions()
    forms: Counter = Counter()
    gaps: Counter = Counter()  # between a code link and the stars badge after it
    for entry in doc.entries:
        link = entry.code_link
        if link is None or link is entry.paper_link or link.construct_start < 1:
            continue
        wrapped = doc.text[link.construct_start - 1:link.construct_start] == "[" and \
            doc.text[link.construct_end:link.construct_end + 1] == "]"
        forms[(_code_text(link.text, entry.code_repo), wrapped)] += 1
        end = link.construct_end + wrapped
        after = next((b for b in entry.badges if b.start >= end), None)
        if after is not None and re.fullmatch(r"[ \t]{0,3}", doc.text[end:after.start]):
            gaps[doc.text[end:after.start]] += 1
    if forms:
        conv.code_text, conv.code_wrapped = forms.most_common(1)[0][0]
    badge = config.rules["badge-format"].options
    repo = ids.github_repo(code_url or "")
    if repo:
        conv.stars = badge_markup(repo, {**badge, "link": False})
    since = badge.get("since") or 0
    if repo and badge.get("require_stars_badge") and (not since or (year or since) >= since) \
            and REPO not in conv.code_text:  # a code link that is its stars badge needs no other
        conv.badge = badge_markup(repo, badge)
        conv.separator = badge.get("separator", " ")
        if badge.get("any_separator") and gaps:  # the list is not strict: as most of it writes it
            conv.separator = gaps.most_common(1)[0][0]
    if section is not None:
        rows = [e for e in section.entries if e.kind == "row"]
        if rows:
            conv.columns = _header(doc, rows[0])
            conv.samples = [r for r in rows if len(cells(r.raw)) == len(conv.columns)]
    conv.date_sample = _date_sample(doc, section)
    return conv


def _code_text(text: str, repo: str | None) -> str:
    """A code link's text with its repository as `REPO` (a stars badge that is the link) or
    its name as `NAME` (a link named after the repository)."""
    if not repo:
        return text
    if repo.lower() in text.lower():
        return re.sub(re.escape(repo), REPO, text, flags=re.I)
    name = repo.split("/")[-1]
    return re.sub(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", NAME, text, flags=re.I) \
        if re.fullmatch(rf"\W*{re.escape(name)}\W*", text, re.I) else text


def _date_sample(doc: Document, section: Section | None) -> str:
    """A date as the section (else the list) writes it: a table's date cell or the date that
    starts an entry's facts line (``2023/05 | ICLR | ...``)."""
    from .styles._format import DATE_TEXT

    pools = [section.entries] if section is not None else []
    for entries in pools + [doc.entries]:
        for entry in entries:
            parts = [text for _, text in cells(entry.raw)] if entry.kind == "row" else \
                [entry.raw.split("|", 1)[0]] if entry.details else []
            for text in parts:
                if DATE_TEXT.fullmatch(text.strip()) and not re.fullmatch(r"\d{4}", text.strip()):
                    return text.strip()
    return ""


def _header(doc: Document, row: Entry) -> list[str]:
    line = row.line - 1
    while line > 1 and doc.line_text(line - 1).lstrip().startswith("|"):
        line -= 1
    return [text.strip() for _, text in cells(doc.line_text(line))]


# ---------------------------------------------------------------------------------------------
# the section


def _paper_sections(doc: Document) -> list[Section]:
    """Sections that hold paper entries of their own."""
    return [s for s in doc.sections
            if any(e.depth == 0 and not e.details and (e.arxiv_id or e.doi or e.openreview_id or
                                                       (e.paper_url and "://" in e.paper_url))
                   for e in s.entries)]


def _loose(text: str) -> list[str]:
    """A heading's words, lower case, without emoji, punctuation and link markup."""
    return re.findall(r"[^\W_]+", text.casefold())


def find_sections(doc: Document, name: str) -> list[Section]:
    """The sections ``name`` names: a path (``Language › 2024 › Quantization``, ``>`` or, when
    no heading has one, ``/`` between parts) or its last parts, matched exactly, then without
    case, then by words (a heading's emoji and "back to top" links left out); several when it
    names more than one."""
    whole = name.strip()
    splits = [re.split(r"\s*[›>]\s*", whole)]
    if "/" in whole:
        splits.append(re.split(r"\s*[›>/]\s*", whole))
    tiers = ((lambda t: " ".join(t.split())), (lambda t: " ".join(t.split()).casefold()))
    for parts in splits:
        parts = [p for p in parts if p.strip()]
        if not parts:
            continue
        for norm in tiers:
            want = [norm(p) for p in parts]
            hits = [s for s in doc.sections if len(s.path) >= len(parts)
                    and [norm(p) for p in s.path[-len(parts):]] == want]
            if hits:
                return hits
        want_words = [_loose(p) for p in parts]
        hits = [s for s in doc.sections if len(s.path) >= len(parts) and all(
            w and _loose(p)[:len(w)] == w for p, w in zip(s.path[-len(parts):], want_words, strict=True))]
        if hits:
            return hits
    return []


def choose_section(doc: Document, config: Any, title: str, wanted_years: list[int]) -> Section:
    """The section of the paper's year (the first of `wanted_years` the list has) and, with
    category keywords, of the category its title names; else ListkeeperError naming the
    candidates."""
    from .rules.section_placement import section_year

    pattern = re.compile(config.rules["section-placement"].options.get("year_pattern") or r"^\d{4}$")
    sections = _paper_sections(doc)
    by_year = {id(s): section_year(s, pattern) for s in sections}
    dated = any(by_year.values())
    if dated:  # a year heading with nothing under it yet takes its first entry
        empty = [s for s in doc.sections if not s.entries and not s.children and s not in sections
                 and section_year(s, pattern)]
        by_year.update({id(s): section_year(s, pattern) for s in empty})
        sections = sorted(sections + empty, key=lambda s: s.line)
    candidates = sections
    if dated:
        candidates = []
        for year in wanted_years:
            candidates = [s for s in sections if by_year[id(s)] and by_year[id(s)][1] == year]
            if candidates:
                break
    cats = categories(config)
    if cats and len(candidates) > 1:
        low = title.lower()
        named = {name for name, words in cats.items() if any(w in low for w in words)}
        fitting = [s for s in candidates if s.path and s.path[-1] in named]
        if fitting:
            candidates = fitting
    if len(candidates) == 1:
        return candidates[0]
    shown = candidates or sections
    why = ("several sections fit" if candidates else
           f"no section for {' or '.join(map(str, wanted_years)) or 'its year'}")
    listed = "\n".join(f"  {s.path_str}" for s in shown[:40])
    more = f"\n  ... and {len(shown) - 40} more" if len(shown) > 40 else ""
    raise ListkeeperError(f"{why}: pass --section with one of\n{listed}{more}")


# ---------------------------------------------------------------------------------------------
# writing it


@dataclass
class Added:
    text: str
    line: int
    section: Section
    entry_text: str


def already_listed(doc: Document, entry: Entry, config: Any) -> Entry | None:
    from .rules.duplicate import paper_keys

    opts = config.rules["duplicate"].options
    mine = set(paper_keys(entry, opts))
    for other in doc.entries:
        if other.details:
            continue
        if mine & set(paper_keys(other, opts)):
            return other
    return None


def _entry_of(text: str, marker: str) -> Entry:
    parsed = parse_document("# x\n\n" + marker + text.replace("\n", "\n" + " " * len(marker)) + "\n",
                            "<new>")
    top = [e for e in parsed.entries if e.depth == 0]
    if not top:
        raise ListkeeperError(f"the new entry does not read as an entry: {text!r}")
    return top[0]


def _marker(doc: Document, section: Section) -> str:
    for entry in list(section.entries) + list(doc.entries):
        if entry.depth == 0 and entry.kind == "item":
            m = _MARKER.match(doc.line_text(entry.line))
            if m:
                return m.group(1)
    return "- "


def _nested_indent(doc: Document, section: Section, default: int) -> int:
    """How far the list indents a nested item (a name-tag entry's facts line) past its parent's
    marker: as the section (else the list) does most."""
    def widths(entries) -> Counter:
        out: Counter = Counter()
        for entry in entries:
            if entry.depth == 1 and entry.parent is not None and entry.parent.depth == 0:
                mine, theirs = doc.line_text(entry.line), doc.line_text(entry.parent.line)
                out[(len(mine) - len(mine.lstrip())) - (len(theirs) - len(theirs.lstrip()))] += 1
        return out

    found = widths(section.entries) or widths(doc.entries)
    return found.most_common(1)[0][0] if found and found.most_common(1)[0][0] > 0 else default


def _blank_apart(doc: Document, section: Section) -> bool:
    """Whether the section's items are set apart by blank lines (most of them)."""
    items = sorted((e for e in section.entries if e.depth == 0 and e.kind == "item"), key=lambda e: e.line)
    pairs = list(zip(items, items[1:], strict=False))
    apart = sum(1 for _, b in pairs if b.line > 1 and not doc.line_text(b.line - 1).strip())
    return bool(pairs) and apart * 2 > len(pairs)


def insert(doc: Document, config: Any, section: Section, body: str) -> Added:
    """`body` (a formatted entry, lines after the first unindented) written into `section`
    where its sort policy puts it."""
    from .rules.ordering import insertion_point

    rows = [e for e in section.entries if e.kind == "row"]
    blocks_kind = [e for e in section.entries if e.kind == "block" and e.depth == 0]
    marker = "" if rows or blocks_kind else _marker(doc, section)
    entry = _entry_of(body, marker or "- ")
    if already := already_listed(doc, entry, config):
        raise AlreadyListed(f"already lists this paper: {already.title[:80]}", doc.path, already.line)
    nl = doc.newline
    after, first = insertion_point(doc, SimpleNamespace(config=config), section, entry)
    number = re.match(r"^(\s*)(\d+)([.)])", marker)
    if number:  # an ordered list: the number after the entry before it (or the first's)
        near = after or first
        m = re.match(r"^\s*(\d+)[.)]", doc.line_text(near.first)) if near is not None else None
        if m and len(m.group(1)) <= 6:
            value = int(m.group(1)) + (1 if after is not None else 0)
            marker = f"{number.group(1)}{value}{number.group(3)}{marker[number.end():]}"
    lines = body.split("\n")
    pad, nested = " " * len(marker), " " * _nested_indent(doc, section, len(marker))
    text = marker + nl.join([lines[0]] + [(nested if _MARKER.match(line) else pad) + line
                                          if line.strip() else "" for line in lines[1:]])
    gap = nl + nl if blocks_kind or _blank_apart(doc, section) else nl
    if after is not None:
        _, at = after.span(doc)
        new = doc.text[:at] + gap + text + doc.text[at:]
        line = doc.line_of(at) + (2 if gap != nl else 1)
    elif first is not None:
        at, _ = doc.line_span(first.first, first.first)
        new = doc.text[:at] + text + gap + doc.text[at:]
        line = first.first
    else:
        at = doc.line_span(section.line, section.line)[1]
        following = doc.text[at:].split("\n", 1)[0].strip()
        if at == len(doc.text) and not doc.text.endswith(("\n", "\r")):
            new = doc.text + nl + nl + text + nl
        else:
            new = doc.text[:at] + nl + text + nl + (nl if following else "") + doc.text[at:]
        line = section.line + 2
    return Added(new, line, section, text)


def _as_written(doc: Document, vocab: Vocabulary) -> Vocabulary:
    """The vocabulary with the list's own spelling of each venue it names (``arXiv``), in
    table cells and words too, where ``venues: spelling`` says nothing of it."""
    counts: dict[str, Counter] = {}
    for entry in doc.entries:
        if entry.venue:
            label = vocab.parse(entry.venue)
            if label.base is not None and label.written:
                counts.setdefault(label.base, Counter())[label.written] += 1
    spelled = {base: c.most_common(1)[0][0] for base, c in counts.items() if base not in vocab.spelling}
    return replace(vocab, spelling={**spelled, **vocab.spelling}) if spelled else vocab


def build(doc: Document, config: Any, paper: PaperId, found: Found, *, code_url: str | None = None,
          venue: str | None = None, section_name: str | None = None) -> tuple[Added, list[str]]:
    """The list's text with the new entry, and notes for the user."""
    from .publication import labels_carry_year

    vocab = _as_written(doc, Vocabulary.from_config(config))
    notes = list(found.notes)
    arxiv_year = years.arxiv_year(found.arxiv_id)
    date_year = int(found.date[:4]) if found.date else None
    publication = found.publication
    with_year = labels_carry_year(doc, config, vocab)
    if venue:
        label = vocab.parse(venue)
        if label.base is None:
            notes.append(f"venue '{venue}' is not in the list's vocabulary; written as given")
            written = venue
        else:
            written = venue.replace(label.written, vocab.written(label.base), 1)
        year = label.year or (publication.year if publication and publication.base == label.base else None)
        if not with_year:
            written = " ".join(re.sub(r"(?<![\w])(?:19|20)\d{2}(?![\w])", " ", written).split())
        elif year and not label.year and label.base and not vocab.is_preprint(label.base):
            written = f"{written} {year}"
        preprint = label.base is not None and vocab.is_preprint(label.base)
    elif publication is not None:
        written, year, preprint = publication.label(vocab, with_year), publication.year, False
        notes.append(publication.describe())
    else:
        written, year, preprint = vocab.written(vocab.preprint), None, True
    paper_year = (arxiv_year or date_year) if preprint else (year or arxiv_year or date_year)
    wanted = [y for y in dict.fromkeys([year if not preprint else None, arxiv_year, date_year]) if y]
    if section_name:
        named = find_sections(doc, section_name)
        if len(named) != 1:
            shown = named or _paper_sections(doc)
            names = "\n".join(f"  {s.path_str}" for s in shown[:40])
            more = f"\n  ... and {len(shown) - 40} more" if len(shown) > 40 else ""
            why = f"several sections are '{section_name}'" if named else \
                f"no section '{section_name}' in {doc.path}"
            raise ListkeeperError(f"{why}: pass --section with one of\n{names}{more}")
        section = named[0]
    else:
        section = choose_section(doc, config, found.title, wanted)
    style = style_of(doc, config, section)
    conv = conventions_of(doc, config, section, code_url, paper_year)
    new = NewPaper(found.title, paper.url, written, paper_year, found.date, code_url)
    added = _like_a_neighbour(doc, config, section, style, new, conv, preprint)
    if added is None:
        added = insert(doc, config, section, STYLES[style].format(new, conv))
    return added, notes


LIKE_NEIGHBOURS = ("bold-title",)  # the style whose layouts vary most between lists


def _like_a_neighbour(doc: Document, config: Any, section: Section, style: str, paper: NewPaper,
                      conv: Conventions, preprint: bool) -> Added | None:
    """The entry written as the newest entry of its style in the section is (bot.styles.
    _rewrite), when that reads back as this paper in this style and `check` finds nothing in
    it; else None."""
    from .engine import run
    from .styles._rewrite import like

    if style not in LIKE_NEIGHBOURS:
        return None
    samples = [e for e in section.entries if e.depth == 0 and e.style == style and e.paper_link
               and e.kind in ("item", "block")]
    if paper.code_url:  # one that shows how its code link is written, if any does
        samples.sort(key=lambda e: e.code_link is not None)
    for sample in reversed(samples[-3:]):
        body = like(sample, paper, conv)
        if not body or not preprint and paper.label and paper.label not in body:
            continue  # a venue the entry would not show
        added = insert(doc, config, section, body)
        new_doc = parse_document(added.text, doc.path)
        entry = next((e for e in new_doc.entries if e.line == added.line and e.depth == 0), None)
        if entry is None or entry.style != style or entry.paper_link is None \
                or entry.paper_link.url != paper.url \
                or ids.normalize_title(entry.title) != ids.normalize_title(paper.title) \
                or (paper.code_url or None) != (entry.code_url if paper.code_url else None):
            continue
        lines = {n for e in new_doc.entries if e is entry or e.parent is entry for n in e.lines}
        if not run(new_doc, config, changed=lines):
            return added
    return None


def diff(old: str, new: str, path: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        f"a/{path.lstrip('/')}", f"b/{path.lstrip('/')}"))
