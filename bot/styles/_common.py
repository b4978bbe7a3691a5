"""What every entry style needs: what a link's text says it is, titles, years, venue words."""

from __future__ import annotations

import re
from functools import lru_cache

from .. import ids
from ..model import Entry, Link

# what a link's text says about its target
PAPER_TEXT = re.compile(r"^\W*(paper|pdf|arxiv|abs|abstract|openreview|html|doi|link|"
                        r"proceedings|article|preprint|ieee|acm|springer|dblp|semantic ?scholar|"
                        r"pub|publication)\W*$", re.I)
CODE_TEXT = re.compile(r"^\W*(code|codes|github|repo|repository|official|pytorch|tensorflow|"
                       r"jax|implementation|source|gitlab)\W*$", re.I)
OTHER_TEXT = re.compile(r"^\W*(project|project page|page|website|web|homepage|home|site|blog|"
                        r"video|videos|youtube|demo|slides|slide|poster|talk|notebook|colab|"
                        r"dataset|data|model|models|weights|checkpoint|huggingface|hf|"
                        r"zhihu|twitter|x|news|bibtex|bib|citation|supp|supplementary|"
                        r"benchmark|leaderboard|docs?|documentation|tutorial|note|notes|"
                        r"review|reviews|media|press|\d+)\W*$", re.I)
_TAG = re.compile(r"<[^>]+>")
# ``[text](url)`` markup. The text has no brackets and the URL at most one level of balanced
# parentheses, so a search stops at the next ``[`` or ``(``: with ``[^\]]*`` and ``[^)]*`` a line
# of many unclosed ``![`` or ``[a](`` was searched to its end from each of them (quadratic).
# Possessive (``*+``, ``++``): what they match can only be followed by the closing ``]`` or
# ``)``, so giving characters back never finds another match; not trying is 40% faster.
LINK_TEXT = r"[^\[\]]*+"
LINK_DEST = r"(?:[^()]++|\([^()]*+\))*+"
LINK_MARKUP = rf"\[({LINK_TEXT})\]\({LINK_DEST}\)"
_LINK_MARKUP = re.compile(r"!?" + LINK_MARKUP)
ANY_LINK_MARKUP = re.compile(r"!?" + LINK_MARKUP.replace("(" + LINK_TEXT + ")", LINK_TEXT))
PLAIN_LINK_MARKUP = re.compile(LINK_MARKUP.replace("(" + LINK_TEXT + ")", LINK_TEXT))
_LABEL_EXTRA = frozenset("&.-+'")
_LABEL_SEPARATORS = frozenset(" -/")
_LABEL_GROUPS = 11


def _label_shape(text: str) -> bool:
    r"""A label: a short name, maybe with a year or a track ("CVPR 2025", "NeurIPS'23", "ACL
    Findings"): an ASCII letter, name characters (``\w&.-+'``), then at most 11 groups of a
    separator (space, ``-`` or ``/``) and name characters or parentheses.

    The regular expression ``^[A-Za-z][\w&.\-+']*(?:[ \-/][\w&.\-+'()]+){0,11}$`` says the
    same, but ``-`` is both a name character and a separator, so it backtracks through every
    way of splitting a run of dashes (40 dashes: 11 s). This scan keeps, for each state, the
    fewest groups used so far: one pass.
    """
    if text.endswith("\n"):
        text = text[:-1]  # as ``$`` allows
    if not text or not ("a" <= text[0] <= "z" or "A" <= text[0] <= "Z"):
        return False
    none = _LABEL_GROUPS + 1
    in_name, after_separator, in_group = True, none, none  # fewest groups in each state
    for ch in text[1:]:
        name_char = ch.isalnum() or ch == "_" or ch in _LABEL_EXTRA
        group_char = name_char or ch in "()"
        separator = ch in _LABEL_SEPARATORS
        nxt_name = in_name and name_char
        nxt_sep = none
        if separator:
            if in_name:
                nxt_sep = 1
            if in_group < _LABEL_GROUPS:
                nxt_sep = min(nxt_sep, in_group + 1)
        nxt_group = min(after_separator, in_group) if group_char else none
        in_name, after_separator, in_group = nxt_name, nxt_sep, nxt_group
        if not in_name and after_separator == none and in_group == none:
            return False
    return in_name or in_group <= _LABEL_GROUPS
_DATE_LINE = re.compile(r"^\W*(?:(?:19|20)\d{2}[/.\-]\d{1,2}|\d{1,2}[/.\-](?:19|20)\d{2})\b")
_YEAR = re.compile(r"(?<![\w.])((?:19|20)\d{2})(?:[./-](?:0?[1-9]|1[0-2]))?(?![\w])")


def clean(text: str) -> str:
    """Plain text: no HTML tags, emphasis markers or runs of spaces; no framing punctuation."""
    if "<" in text:
        text = _TAG.sub("", text)
    text = text.replace("**", "").replace("__", "")
    # runs of whitespace to one space: split and join, 4x faster than ``re.sub(r"\s+", " ")``;
    # ``str.split`` and ``\s`` know the same whitespace, and the space that the substitution
    # would leave at either end is stripped below anyway
    text = " ".join(text.split())
    return text.strip(" -–—:|,.*_\t\"“”'`;")


def strip_links(text: str) -> str:
    """``[text](url)`` and ``![alt](img)`` replaced by their text."""
    return _LINK_MARKUP.sub(r"\1", text)


def link_role(link: Link) -> str:
    """``paper``, ``code``, ``other`` or ``unknown``, from the link's text and target."""
    return text_role(link.text) or ("paper" if ids.names_paper(link.url) else "unknown")


@lru_cache(maxsize=8192)
def text_role(text: str) -> str | None:
    """What a link's text says its target is: ``code``, ``paper``, ``other``, or None when it
    says nothing (cached: a list repeats a few link texts, ``ArXiv`` and ``code``, thousands of
    times, and each is asked about several times)."""
    text = text.strip()
    if CODE_TEXT.match(text):
        return "code"
    if PAPER_TEXT.match(text):
        return "paper"
    if OTHER_TEXT.match(text):
        return "other"
    return None


@lru_cache(maxsize=4096)
def looks_like_label(text: str) -> bool:
    """True for a short bracketed name that can be a venue label, not a sentence (cached: a
    list repeats a few dozen labels, and a style's ``claims`` and ``read`` both ask)."""
    text = text.strip()
    if not 2 <= len(text) <= 80 or text.startswith(("*", "`", "!", "_")):
        return False
    if PAPER_TEXT.match(text) or CODE_TEXT.match(text) or OTHER_TEXT.match(text):
        return text.lower().strip() == "arxiv"
    head = re.split(r"[\s\-_/:]+", text, maxsplit=1)[0]
    if head.lower() != "arxiv" and (PAPER_TEXT.match(head) or CODE_TEXT.match(head)
                                    or OTHER_TEXT.match(head)):
        return False  # "Website-Part 1", "Code (PyTorch)": what a link is, not a venue
    words = text.split()
    return _label_shape(text) and len(words) <= 12 and (
        any(c.isupper() for c in words[0]) or text[0].isdigit())


def is_date_line(text: str) -> bool:
    """A line that starts with a date (``2023/05 | Arxiv2305 | [[Paper](...)]``): facts, no title."""
    return bool(_DATE_LINE.match(text))


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                        "sep", "oct", "nov", "dec"), 1)}
_DAY_MONTH_YEAR = re.compile(r"(?<!\w)(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+((?:19|20)\d{2})(?!\w)")
_MONTH_DAY_YEAR = re.compile(r"(?<!\w)([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+((?:19|20)\d{2})(?!\w)")
_YEARISH = re.compile(r"(?:19|20)\d{2}")
_NUMERIC_DATE = re.compile(r"(?<![\w.])((?:19|20)\d{2})[./-](0?[1-9]|1[0-2])(?:[./-](\d{1,2}))?(?![\w.])")


def date_in(text: str) -> tuple[int, int, int] | None:
    """A date written in plain text: ``16 Oct 2023``, ``Oct 16, 2023``, ``2024.08``, ``2023-12-01``
    (arXiv IDs such as ``2004.08123`` are no dates)."""
    if not _YEARISH.search(text):
        return None  # every form holds a year: one cheap search rules most entries out
    for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        m = pattern.search(text)
        if m:
            parts = dict(zip(order, m.groups(), strict=True))
            month = _MONTHS.get(parts["m"][:3].lower())
            if month:
                return int(parts["y"]), month, int(parts["d"])
    m = _NUMERIC_DATE.search(text)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    return None


# a digit just before the markup that ``strip_links`` removes (``![``, ``[``, ``](url)``): only
# there can removing the markup join digits into a year that the raw text does not hold
_DIGIT_BEFORE_MARKUP = re.compile(r"\d[!\[\]]")
_ASCII_DIGIT_BEFORE_MARKUP = re.compile(r"[0-9][!\[\]]")  # the same in ASCII text, 2.5x faster


def date_in_markdown(raw: str) -> tuple[int, int, int] | None:
    """``date_in(strip_links(raw))``, without stripping the links of a text that cannot hold a
    year once they are gone (a year in the stripped text is in the raw text, or spans markup).

    Every year of ``_YEARISH`` starts with the characters ``19`` or ``20``, which ``in`` finds
    faster than the regular expression looks; in ASCII text ``\\d`` is ``[0-9]``, which the
    regular expression engine tests faster than the Unicode digit category (6.5 -> 2.5 us an
    entry)."""
    if not (("19" in raw or "20" in raw) and _YEARISH.search(raw)) and not (
            _ASCII_DIGIT_BEFORE_MARKUP if raw.isascii() else _DIGIT_BEFORE_MARKUP).search(raw):
        return None
    return date_in(strip_links(raw))


def year_in(text: str) -> int | None:
    """The last plausible publication year written in plain text (``..., 2018``, ``2024.08``)."""
    found = None
    for m in _YEAR.finditer(text):
        year = int(m.group(1))
        if 1950 <= year <= 2100:
            found = year
    return found


def plain_candidates(entry: Entry, exclude: tuple[Link | None, ...] = ()) -> list[Link]:
    """The entry's non-image, non-definition links, minus ``exclude``."""
    links = [lk for lk in entry.links if lk.kind != "image" and lk.kind != "definition"]
    drop = {id(x) for x in exclude if x is not None}
    if drop:
        links = [lk for lk in links if id(lk) not in drop]
    return links


def paper_links(entry: Entry, primary: Link | None, *, others: bool = True,
                candidates: list[Link] | None = None) -> list[Link]:
    """The links that name the paper: the primary one, and (``others``) links whose text or
    target says paper (``[pdf]``, ``[arXiv]``, an arXiv or DOI URL that is no code link).
    ``candidates``: the entry's ``plain_candidates``, when the caller has them."""
    out = [primary] if primary is not None else []
    if not others:
        return out
    code = entry.code_link
    for link in plain_candidates(entry) if candidates is None else candidates:
        if link is primary or link is code or link.text.startswith(("!", "[!")):
            continue
        role = link_role(link)
        if role == "paper" or (role == "unknown" and link.kind in ("inline", "reference")
                               and _is_label_link(entry, link)):
            out.append(link)
    return out


def _is_label_link(entry: Entry, link: Link) -> bool:
    """A ``[[CVPR 2025](url)]``-like link: its text is a label and it sits in double brackets."""
    before = entry.source[max(0, link.construct_start - 1):link.construct_start]
    return before == "[" and looks_like_label(link.text) and ids.github_repo(link.url) is None


def first_paper_link(entry: Entry, candidates: list[Link]) -> Link | None:
    """The first link that says it is the paper, else the first that is no code or other link."""
    for link in candidates:
        if link_role(link) == "paper":
            return link
    for link in candidates:
        if link_role(link) == "unknown" and not ids.github_repo(link.url) \
                and "://" in link.url and not link.text.startswith("!"):
            return link
    return None


def last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text`` (a venue and year come at the end)."""
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    return found
