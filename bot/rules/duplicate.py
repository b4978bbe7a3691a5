"""The same paper listed twice.

A paper's identity is its paper links (the primary one the entry style names: the venue tag's
link, the title link, ``[pdf]``/``[paper]`` links) and its title. Two entries are the same paper
when they share a normalised arXiv ID (``abs``/``pdf``/``html``, versions and
``www.``/``browse.``/``export.`` hosts do not matter), a DOI, an OpenReview id, a primary paper
URL (scheme, ``www.``, trailing slash and ``index.html`` do not matter) or a near-identical title
(case, punctuation and spacing do not matter). Not identities: code links (one toolkit serves
many papers), links in an entry's description, a site's front page, an organisation's page, and
a page that several differently titled entries share (a venue's list of accepted papers).

- In the same section a duplicate is an error; an exact duplicate line is removed by the fix.
- Under two different year headings it is a finding at the rule's level too (a paper has one
  year). In two categories it has the level ``cross_section_level`` (``info`` by default:
  lists file a paper under every topic it fits, so an ``info`` cross-listing is asked about
  only when a change adds one of the copies, in a PR or with ``--base``/``--lines``, and a
  whole-list check leaves them alone; ``warning`` or ``error`` reports every one). A section
  that repeats the rest of the list on purpose is not a category and its copies are not
  reported: one named like a showcase ("Trending", "Highlights", "News", "Featured", "Our
  team", "Our papers") or one that mostly repeats: a section of at least 3 papers, 60% of them
  listed elsewhere too, or a part of the list with its subsections (an "Ideas" view over the
  "Methods") of which half are. In a ``[Name](url) - description`` list a project under two
  categories (a library for several languages) is not reported either.
- The same title in a section of blogs, tutorials or talks, linking a post rather than the
  paper, is the paper's blog version, not a second copy.
- A model listed with its sizes in a catalogue of models (``[OPT-1.3|6.7|13|30|66B](arXiv
  link)``) is not its paper listed again.
- The same arXiv ID, DOI or OpenReview id under clearly different titles is its own finding:
  one of the two links was probably copied from the wrong entry, or the paper was renamed
  (arXiv keeps the ID) and is listed twice (not for a model's name beside its paper's title). The same
  title over two different arXiv IDs is one too: one of the two titles is probably wrong.
- The same paper labelled as a preprint in one place and with a venue in another: the
  preprint label is out of date (no fix: the maintainer chooses between relabelling and
  removing one of the two).
- A code link to the repository named after another entry's paper (``github.com/IST-DASLab/gptq``
  on a paper that is not GPTQ, while GPTQ is listed) is ``info``: one repository sometimes
  holds two papers' code, so it is a question, not a verdict (and none for a paper named like
  the repository's family: SecurityLingua in ``microsoft/LLMLingua``, nor for a follow-up in its
  predecessor's repository, as Mamba-2 in ``state-spaces/mamba``: a paper that came out later
  than the repository's paper, by arXiv ID or year, or that shares an author with it).

The message names the other entry's line. In diff-aware mode the finding is put on the entry the
change touched, and a change that writes both copies of a paper in two categories is not
asked about it (it listed the paper twice on purpose).

Options:

- ``cross_section_level`` (default ``info``): level for duplicates in different categories,
  or ``off``; ``info`` ones are reported only on the lines a change touched.
- ``match_titles`` (default ``true``): also match near-identical titles.
- ``min_title_length`` (default ``12``): shorter titles are too generic to compare.

BAD::

    ## 2024
    - [[ArXiv](https://arxiv.org/abs/2402.10517)] Any-Precision LLM
    - [[ArXiv](https://arxiv.org/pdf/2402.10517v2.pdf)] Any-Precision LLM

GOOD::

    ## 2024
    - [[ArXiv](https://arxiv.org/abs/2402.10517)] Any-Precision LLM
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from collections.abc import Iterator
from difflib import SequenceMatcher

from .. import ids
from ..model import Document, Edit, Entry, Fix, Problem
from ..slug import heading_text
from ..vocabulary import Vocabulary
from ._common import is_paper, removal_span

ID = "duplicate"
LEVEL = "error"
ENABLED = True
FIXABLE = True
ONLINE = False
OPTIONS = {
    "cross_section_level": (("error", "warning", "info", "off"), "info"),
    "match_titles": (bool, True),
    "min_title_length": (int, 12),
}

_SHOWCASE = re.compile(r"(?i)(?<![a-z])(trending|highlights?|news|featured|spotlights?|what'?s new|"
                       r"our[ _-]?(team|group|lab|works?|papers|publications))(?![a-z])")
_KEY_NAMES = {"arxiv": "arXiv ID", "doi": "DOI", "openreview": "OpenReview id",
              "url": "paper URL", "title": "title"}
_YEAR_TITLE = re.compile(r"^\D{0,12}(?:19|20)\d{2}\D{0,16}$")
_LISTING = re.compile(r"(accepted|papers|schedule|proceedings|program|events?|group|"
                      r"conferences?|virtual/\d{4}/(?:papers|events))(?:[./]|\.html?|$)", re.I)
_OVERVIEW = re.compile(r"\b(survey|review|benchmark|tutorial|overview)\b", re.I)


def _url_key(url: str | None) -> str | None:
    """A paper page, or None for pages that name no single paper."""
    if not url or "://" not in url or ids.names_paper(url) or ids.github_repo(url):
        return None
    key = ids.normalize_url(url)
    host, _, path = key.partition("/")
    if not path.strip("/") or host in ("github.com", "huggingface.co", "twitter.com", "x.com"):
        return None  # a site's front page, an organisation or a profile
    if _LISTING.search(path.rsplit("/", 1)[-1] or path):
        return None  # a venue's list of papers
    return key


def _keys(entry: Entry, opts: dict) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    if entry.arxiv_id:
        keys.append(("arxiv", entry.arxiv_id))
    if entry.doi:
        keys.append(("doi", entry.doi))
    if entry.openreview_id:
        keys.append(("openreview", entry.openreview_id))
    url = _url_key(entry.paper_url)
    if url is None and entry.style == "link-title" and entry.paper_url and \
            ids.github_repo(entry.paper_url):
        # a tool's repository, with its path: gommon/bytes and gommon/color are two packages
        url = ids.normalize_url(entry.paper_url).lower()
    if url:
        keys.append(("url", url))
    # a year title is at most 33 characters (12 + 4 + 16, and the newline ``$`` allows)
    if opts["match_titles"] and not (len(entry.title) <= 33 and _YEAR_TITLE.match(entry.title)):
        title = ids.normalize_title(entry.title)
        if len(title) >= opts["min_title_length"] and " " in title:  # a name is no title
            # "ISS++" is the journal extension of "ISS", another paper
            keys.append(("title", title.replace(" ", "") + "+" * entry.title.count("++")))
    return keys


def paper_keys(entry: Entry, opts: dict) -> list[tuple[str, str]]:
    """The identities of an entry's paper (what two entries share when they are one paper)."""
    return _keys(entry, opts)


def _year_section(entry: Entry):
    section = entry.section
    while section is not None:
        title = section.title.strip()
        if len(title) == 4 and title.isdigit():
            return section
        section = section.parent
    return None


def _named_alike(entry: Entry, other: Entry, key: tuple[str, str]) -> bool:
    """Two link-title entries that share only a name (the "Must-Watch Talks" of CSS and of
    JavaScript) or only a link under two names (hatch and hatchling in one repository; one
    repository that is the code of two papers) are two things, not one listed twice."""
    if entry.style != "link-title" or other.style != "link-title":
        return False
    if key[0] == "title":
        return entry.paper_url != other.paper_url
    return key[0] == "url" and ids.normalize_title(entry.title) != ids.normalize_title(other.title)


_MODEL_SIZE = re.compile(r"(?<![A-Za-z])\d+(?:\.\d+)?\s?[BMKT](?![A-Za-z])|\d\|\d")


def _is_model(entry: Entry) -> bool:
    """An entry that names a model with its sizes (``OPT-1.3|6.7|13|30|66B``,
    ``DeepSeek-v2-236B-MoE``) in a catalogue of models: it links the model's paper, but it is the
    model that is listed, not the paper a second time."""
    title = entry.title.strip()
    return entry.style == "link-title" and len(title.split()) <= 3 and \
        bool(_MODEL_SIZE.search(title))


# not "video" or "news": research topics too (video generation, news summarisation)
_MEDIA = re.compile(r"(?i)(?<![a-z])(blogs?|tutorials?|talks?|courses?|lectures?|podcasts?|"
                    r"posts?|articles?|slides|interviews?)(?![a-z])")


def _another_medium(entry: Entry, other: Entry, key: tuple[str, str]) -> bool:
    """The same title in a "Blogs & Tutorials" section, linking a post about the paper (not
    the paper: no arXiv ID, DOI or OpenReview id there): the blog version, listed on purpose."""
    if key[0] != "title":
        return False
    for a, b in ((entry, other), (other, entry)):
        if not any(ids.paper_key(link.url) for link in a.links) and a.paper_url != b.paper_url \
                and _in_media(a.section):
            return True
    return False


def _in_media(section) -> bool:
    return _under_heading(section, _MEDIA, top=0)


def _section_name(entry: Entry) -> str:
    section = entry.section
    if section is None:
        return "the list"
    return section.path_str or section.title or "the list"


def _titled(entry: Entry) -> bool:
    """An entry whose title the style reads for certain: a top-level entry, or a nested one
    that is a titled link under a group bullet (``* Binary`` / ``  * [1603-XNORNet](url)``);
    not a note that cites a paper ("uses the scaling factor of [this paper](...)")."""
    if entry.style == "title-first":
        return False
    return entry.depth == 0 or (entry.style == "link-title" and entry.parent is not None
                                and not is_paper(entry.parent))


def _head(title: str) -> str:
    """A paper's short name: the title before ``:`` or ``(`` (``LQER`` of ``LQER: Low-Rank...``)."""
    return ids.normalize_title(re.split(r"[:(（]", title, maxsplit=1)[0])


def _titles_differ(a: Entry, b: Entry, minimum: int) -> bool:
    ta, tb = ids.normalize_title(a.title), ids.normalize_title(b.title)
    if ta in tb or tb in ta:
        return False
    if len(ta) < minimum or len(tb) < minimum:
        # two short names in one section ("1709-WRPN-Intel-ICLR2018", then "1606-DoReFa" with
        # the same link) that share no word but numbers: a link copied from the line above, or
        # one paper under two names; either way the question is the link. In two sections a
        # short name is the abbreviation the other spells out (TWN, BNN, ABCNet): no question
        if a.section is not b.section:
            return False
        wa = {w for w in ta.split() if not w.isdigit()}
        wb = {w for w in tb.split() if not w.isdigit()}
        return bool(wa) and bool(wb) and not wa & wb
    if _head(a.title) and _head(a.title) == _head(b.title):
        return False
    # a model's name and its paper's title: DeepSeek-v2-236B-MoE and "DeepSeek-V2: A Strong..."
    for x, y in ((ta, _head(b.title)), (tb, _head(a.title))):
        if len(y) >= 3 and (x + " ").startswith(y + " "):
            return False
    wa, wb = set(ta.split()), set(tb.split())
    return len(wa & wb) / len(wa | wb) < 0.3


def check(doc: Document, ctx) -> Iterator[Problem]:
    opts = ctx.options
    papers = [e for e in doc.entries if not e.details and is_paper(e)]
    # a page shared by several differently titled entries is a listing, not a paper
    titles_by_url: dict[str, set[str]] = defaultdict(set)
    maybe_shared = SharedKeys()
    for entry in papers:
        keys = _keys(entry, opts)
        maybe_shared.add(keys)
        for kind, value in keys:
            if kind == "url":
                titles_by_url[value].add(ids.normalize_title(entry.title))
    listings = {url for url, titles in titles_by_url.items() if len(titles) > 2}
    del titles_by_url
    # only an entry with a key another entry may share can be a copy: its keys are read again
    # (a few in a hundred); no list holds every key of a long list
    keyed = [(entry, _keys(entry, opts)) for entry in maybe_shared.entries(papers)]
    if listings:
        keyed = [(entry, [k for k in keys if not (k[0] == "url" and k[1] in listings)])
                 for entry, keys in keyed]
    count: dict[tuple[str, str], int] = defaultdict(int)  # key -> entries that have it
    for _, keys in keyed:
        for key in set(keys):
            count[key] += 1
    mirrors = _mirror_sections(papers, keyed, count)
    # only a key of two or more entries can match: the first-seen dicts hold only those (on a
    # long list with few copies, a few hundred keys instead of every key of every entry)
    shared = {key for key, n in count.items() if n > 1}
    del count
    first_seen: dict[tuple[str, str], Entry] = {}
    # the first in each section, one dict per section: no (section, key) tuple for every key
    first_here: dict[int, dict[tuple[str, str], Entry]] = {}
    for entry, keys in keyed:
        match = None
        here = first_here.get(id(entry.section))
        if here is None:
            here = first_here[id(entry.section)] = {}
        for seen in (here, first_seen):
            for key in keys:  # a copy in the same section first: it is the finding that counts
                other = seen.get(key)
                if other is not None and other is not entry:
                    match = (other, key)
                    break
            if match is not None:
                break
        for key in keys:
            if key in shared:
                first_seen.setdefault(key, entry)
                here.setdefault(key, entry)
        if match is not None and not _named_alike(entry, *match) \
                and _is_model(entry) == _is_model(match[0]) \
                and not _another_medium(entry, *match):
            yield from _report(doc, ctx, entry, *match, mirrors)
    yield from _copied_code_links(papers)


class SharedKeys:
    """Which entries may share a key with another: the keys' hashes marked in two bitmaps, seen
    once and seen again. A bit can be shared by two different keys, so an entry it names is
    only a candidate (the rule compares real keys); an entry it does not name has no key in
    common with any other. Two bitmaps of 1 MB instead of a dict of every key (10 MB and more
    on 100k entries)."""

    _BITS = 1 << 23

    def __init__(self) -> None:
        self.once = bytearray(self._BITS >> 3)
        self.twice = bytearray(self._BITS >> 3)
        self.hashes = array("q")  # each entry's key hashes, in order
        self.ends = array("q")  # where each entry's hashes end

    def add(self, keys: list[tuple[str, str]]) -> None:
        once, twice = self.once, self.twice
        for key in set(keys):
            h = hash(key) & (self._BITS - 1)
            byte, bit = h >> 3, 1 << (h & 7)
            if once[byte] & bit:
                twice[byte] |= bit
            else:
                once[byte] |= bit
            self.hashes.append(h)
        self.ends.append(len(self.hashes))

    def entries(self, papers: list[Entry]) -> Iterator[Entry]:
        """The entries (given in the order they were added) with a key marked twice."""
        twice, hashes, start = self.twice, self.hashes, 0
        for entry, end in zip(papers, self.ends, strict=True):
            if any(twice[h >> 3] & (1 << (h & 7)) for h in hashes[start:end]):
                yield entry
            start = end


def _mirror_sections(papers: list[Entry], keyed: list[tuple[Entry, list[tuple[str, str]]]],
                     count: dict[tuple[str, str], int]) -> set[int]:
    """The sections (by ``id``) that mostly repeat papers listed elsewhere: a section of at
    least 3 papers, 60% of them listed outside it too, or a part of the list with its
    subsections (an "Ideas" or "Genre" view over the "Methods") of which half are. ``count``
    holds the number of entries that have each key; ``keyed`` holds the entries that may
    share one, with their keys (an entry of ``papers`` not in it shares none)."""
    chains: dict[int, list] = {}  # id of a section -> it and the sections above it

    def chain_of(section) -> list:
        found = chains.get(id(section))
        if found is None:
            found, up = [], section
            while up is not None:
                found.append(up)
                up = up.parent
            chains[id(section)] = found
        return found

    # per part, how many entries under it have the key: only for keys of two or more entries
    # (a key of one entry is never listed elsewhere); most entries have none such, and are only
    # counted in their own section, which passes its count up once
    under: dict[tuple[str, str], dict[int, int]] = {}
    shared_of = []
    own: dict[int, int] = defaultdict(int)  # id of a section -> entries directly in it
    sections: dict[int, object] = {}
    for entry in papers:
        own[id(entry.section)] += 1
        sections.setdefault(id(entry.section), entry.section)
    for entry, keys in keyed:
        shared = [key for key in set(keys) if count[key] > 1] or ()
        shared_of.append(shared)
        for key in shared:
            parts = under.setdefault(key, defaultdict(int))
            for section in chain_of(entry.section):
                parts[id(section)] += 1
    total: dict[int, int] = defaultdict(int)
    for part, n in own.items():
        for section in chain_of(sections[part]):
            sections[id(section)] = section
            total[id(section)] += n
    repeated: dict[int, int] = defaultdict(int)
    for (entry, _), shared in zip(keyed, shared_of, strict=True):
        if shared:
            for section in chain_of(entry.section):
                if any(count[key] > under[key][id(section)] for key in shared):
                    repeated[id(section)] += 1  # listed outside this part too
    mirrors: set[int] = set()
    for part, n in total.items():
        section = sections[part]
        share = 0.5 if section.children else 0.6
        if n >= 3 and repeated[part] >= share * n:
            mirrors.add(part)
            stack = list(section.children)
            while stack:
                child = stack.pop()
                mirrors.add(id(child))
                stack.extend(child.children)
    showcases = {part for part in own if _in_showcase(sections[part])}
    return showcases | mirrors


def _in_showcase(section) -> bool:
    """The section or one above it (below the list's title) is named like a showcase."""
    return _under_heading(section, _SHOWCASE, top=1)


def _under_heading(section, pattern: re.Pattern[str], top: int) -> bool:
    """The section or one above it, below heading level ``top``, has a heading ``pattern``
    finds."""
    while section is not None and section.level > top:
        if pattern.search(heading_text(section.title)):
            return True
        section = section.parent
    return False


def _report(doc: Document, ctx, entry: Entry, other: Entry, key: tuple[str, str],
            mirrors: set[int]) -> Iterator[Problem]:
    opts = ctx.options
    here, there = entry, other
    if ctx.changed is not None and not ctx.touched(entry.line, entry.end_line) \
            and ctx.touched(other.line, other.end_line):
        here, there = other, entry
    if key[0] != "title" and _titled(here) and _titled(there) \
            and _titles_differ(here, there, opts["min_title_length"]):
        yield Problem(here.line, 1, f"same {_KEY_NAMES[key[0]]} {key[1]} as line {there.line} "
                                    f"('{there.title[:60]}') under another title: one of the two "
                                    f"links is probably wrong, or the paper was renamed and is "
                                    f"listed twice", end_line=here.end_line,
                      related=(there.line,), level="warning")
        return
    if key[0] == "title" and here.arxiv_id and there.arxiv_id and here.arxiv_id != there.arxiv_id:
        yield Problem(here.line, 1, f"same title as line {there.line} ('{there.title[:60]}') "
                                    f"but another arXiv ID ({here.arxiv_id}, there "
                                    f"{there.arxiv_id}): one of the two titles or links is "
                                    f"probably wrong", end_line=here.end_line,
                      related=(there.line,), level="warning")
        return
    same_section = here.section is there.section
    years_apart = not same_section and _year_section(here) is not _year_section(there) \
        and _year_section(here) is not None and _year_section(there) is not None
    level = None if same_section or years_apart else opts["cross_section_level"]
    mirrored = not same_section and not years_apart \
        and (id(here.section) in mirrors or id(there.section) in mirrors
             # a tool listed under each language or platform it serves (a software list)
             or (key[0] == "url" and here.style == there.style == "link-title"))
    if not same_section and not years_apart and ctx.changed is not None \
            and ctx.touched(here.line, here.end_line) and ctx.touched(there.line, there.end_line):
        mirrored = True  # a change that writes both copies of a cross-listing knows of both
    # a paper filed under two topics it fits is the list's business: asked when a change adds
    # one of the copies, not listed for every cross-listing of the whole list (291 lines of a
    # 3,000-paper list that files papers under each topic on purpose)
    whole_list_info = level == "info" and ctx.changed is None
    if level != "off" and not mirrored and not whole_list_info:
        where = ("in the same section" if same_section else
                 f"in {_section_name(there)}"
                 + (" (another year)" if years_apart else ""))
        shown = key[1] if key[0] != "title" else there.title
        fix = None
        if same_section and here.raw.strip() == there.raw.strip():
            start, end = removal_span(doc, here)
            fix = Fix((Edit(start, end, ""),), "remove the exact duplicate line",
                      removes_links=tuple(link.url for link in here.links), removes_entries=1)
        yield Problem(here.line, 1, f"duplicate of line {there.line} {where} "
                                    f"(same {_KEY_NAMES[key[0]]}: {shown})", fix,
                      end_line=here.end_line, related=(there.line,), level=level)
    yield from _stale_preprint(ctx, here, there)


def _stale_preprint(ctx, here: Entry, there: Entry) -> Iterator[Problem]:
    """One of the two is labelled a preprint, the other with a venue: the paper is published."""
    if not (here.venue and there.venue and here.venue_is_tag and there.venue_is_tag):
        return
    vocab = Vocabulary.from_config(ctx.config)
    mine, theirs = vocab.parse(here.venue), vocab.parse(there.venue)
    for old, new in ((here, there), (there, here)):
        a, b = (mine, theirs) if old is here else (theirs, mine)
        if vocab.is_preprint(a.base) and b.base and not vocab.is_preprint(b.base) \
                and not b.is_track:
            # no fix: relabelling could move a venue paper into its preprint year, or make a
            # second copy where the right repair is to drop one; the maintainer decides
            yield Problem(old.line, 1, f"labelled {old.venue} here but {new.venue} at line "
                                       f"{new.line}: the paper is published",
                          end_line=old.end_line, related=(new.line,), level="warning")
            return


_SQUASHED = re.compile(r"[\W_]+")


def _squash(text: str) -> str:
    return _SQUASHED.sub("", text.lower())


def _same_family(name: str, head: str) -> bool:
    """A paper named like the repository's family (SecurityLingua in microsoft/LLMLingua): one
    repository holds the family's code."""
    match = SequenceMatcher(None, name, head[:200], autojunk=False).find_longest_match(
        0, len(name), 0, min(len(head), 200))
    return match.size >= 5 and match.size >= 0.6 * len(name)


_LINK_CONSTRUCT = re.compile(r"!?\[[^\]\n]*\]\([^)\s]*\)|\*\*[^*\n]*\*\*|<[^>\n]*>")
_PERSON = re.compile(r"(?<![^\W_]|[.-])([A-Z][a-z]+(?:-[A-Z]?[a-z]+)?)\s+(?:[A-Z]\.\s*)*"
                     r"([A-Z][a-z]+(?:-[A-Z]?[a-z]+)*)(?![\w-])")


def _people(entry: Entry) -> set[str]:
    """The names written in an entry's author line (``_Albert Gu, Tri Dao._``): its text
    without links, bold text and its title."""
    text = _LINK_CONSTRUCT.sub(" ", entry.raw)
    if entry.title:
        text = text.replace(entry.title, " ")
    return {f"{m.group(1)} {m.group(2)}" for m in _PERSON.finditer(text)}


def _later(entry: Entry, owner: Entry) -> bool:
    """``entry`` came out after ``owner`` (by arXiv ID, else by year): a follow-up may live in
    its predecessor's repository; an older paper cannot have its code there first."""
    a, b = ids.arxiv_order(_any_arxiv_id(entry)), ids.arxiv_order(_any_arxiv_id(owner))
    if a is not None and b is not None:
        return a > b
    return bool(entry.year and owner.year and entry.year > owner.year)


def _any_arxiv_id(entry: Entry) -> str | None:
    """The entry's arXiv ID, else that of any arXiv link in it (``[[Website](arxiv.org/abs/..)]``
    in a list that names its paper links so)."""
    if entry.arxiv_id:
        return entry.arxiv_id
    return next((found for link in entry.links if (found := ids.arxiv_id(link.url))), None)


def _copied_code_links(papers: list[Entry]) -> Iterator[Problem]:
    """An entry whose code link is the repository named after another listed paper."""
    owners: dict[str, Entry] = {}
    for entry in papers:
        if not entry.code_repo:
            continue
        head = _squash(entry.title.split(":")[0])
        if len(head) >= 4 and _squash(entry.code_repo.split("/")[1]) == head:
            owners.setdefault(entry.code_repo.lower(), entry)
    for entry in papers:
        if not entry.code_repo or entry.style == "link-title":
            continue
        owner = owners.get(entry.code_repo.lower())
        if owner is None or owner is entry or _OVERVIEW.search(entry.title):
            continue
        if entry.code_url and ids.normalize_url(entry.code_url).count("/") > 2:
            continue  # a folder of a repository that holds several papers' code
        name = _squash(entry.code_repo.split("/")[1])
        if name in _squash(entry.title) or _same_family(name, _squash(entry.title.split(":")[0])) \
                or ids.normalize_title(owner.title) == \
                ids.normalize_title(entry.title) or (owner.arxiv_id and owner.arxiv_id == entry.arxiv_id):
            continue
        if _people(entry) & _people(owner) or _later(entry, owner):
            continue  # a follow-up paper, in its predecessor's repository
        link = entry.code_link
        yield Problem(link.line if link else entry.line, link.column if link else 1,
                      f"code link {entry.code_repo} is the repository of line {owner.line} "
                      f"('{owner.title[:60]}'): check that it is this paper's",
                      related=(owner.line,), level="info")
