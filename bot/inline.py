"""A raw inline scanner: every link, image, autolink, bare URL and HTML href with its exact span.

mistune normalises URLs (percent-encoding, entity decoding) and keeps no positions, so the
spans a fix needs come from this scanner. It follows CommonMark's link syntax closely enough
that tests/test_conformance.py can compare it with markdown-it-py on real lists.
"""

from __future__ import annotations

import bisect
import re
from functools import partial
from typing import NamedTuple

_BARE = re.compile(r"(?<![\w/\"'=(<\[])(?:https?://|www\.)[^\s<>\"'`\]\[]+", re.I)
_HTML_ATTR = re.compile(r"""<[a-zA-Z][^<>]*?\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]*)>", re.I)
_TRAILING = ".,:;!?*_~'\""
_INTERESTING = re.compile(r"[\[\\`]")
# ``[text](url)`` whose text has no brackets, code or escapes and whose URL needs no parsing
_SIMPLE_LINK = re.compile(r"\[([^\[\]\\`\n]*)\]\(([^\s()<>\\]+)\)")
# fast paths: runs of characters the character loops below would only step over
_MAY_LINK = re.compile(r"[\[<]|https?://|www\.", re.I)
_DEST_PLAIN = re.compile(r"[^ \x00-\x1f()\\]+")


class RawLink(NamedTuple):
    """One link found in raw text. Offsets are into the scanned string."""

    kind: str  # inline | image | reference | autolink | bare | html
    url: str
    text: str
    url_start: int
    url_end: int
    start: int  # whole construct, e.g. ``[text](url)``
    end: int
    text_start: int = -1  # span of the bracketed text, for inline/image/reference
    text_end: int = -1
    target_start: int = -1  # span between the parentheses (inline/image only)
    target_end: int = -1


# a RawLink from a tuple of all its fields, without the Python-level ``__new__`` that a
# NamedTuple call runs (0.8 -> 0.4 us; the plain-link scan makes one for each link of a list)
_raw_link = partial(tuple.__new__, RawLink)

_BACKTICKS = re.compile(r"`+")


def code_span_mask(text: str) -> list[tuple[int, int]]:
    """Spans of inline code (backtick runs matched by an equal run).

    One pass: a run's closer is the next run of the same length, looked up in a table built
    right to left, so many unclosed runs cost no rescans. A run after a backslash opens one
    backtick later (the escaped one is text), so its closer has one backtick less.
    """
    if "`" not in text:
        return []
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    full: list[int] = [-1] * len(runs)
    short: list[int] = [-1] * len(runs)  # the closer when the first backtick is escaped
    next_of_length: dict[int, int] = {}
    for k in range(len(runs) - 1, -1, -1):
        length = runs[k][1] - runs[k][0]
        full[k] = next_of_length.get(length, -1)
        short[k] = next_of_length.get(length - 1, -1)
        next_of_length[length] = k
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(runs):
        start, end = runs[k]
        close = full[k]
        if start > 0 and text[start - 1] == "\\":
            start, close = start + 1, short[k]
        if start < end and close != -1:
            spans.append((start, runs[close][1]))
            k = close + 1
        else:
            k += 1
    return spans


class _Spans:
    """Sorted, disjoint spans: is an offset inside one? (a bisect, not a scan)."""

    __slots__ = ("starts", "ends")

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        if not spans:  # most texts have no code spans (and ``taken`` starts empty)
            self.starts, self.ends = [], []
            return
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


_BRACKET_TOKENS = re.compile(r"\\[\s\S]|[\[\]]|\n\n")


def _bracket_pairs(text: str, code: list[tuple[int, int]]) -> dict[int, int]:
    """``[`` offset -> offset of its ``]`` for the whole text in one pass (nested brackets
    balance; backslash escapes, code spans and blank lines are respected). Matching each
    ``[`` by scanning forward from it was quadratic in the number of unclosed brackets."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    k = 0
    for m in _BRACKET_TOKENS.finditer(text):
        pos = m.start()
        while k < len(code) and code[k][1] <= pos:
            k += 1
        if k < len(code) and code[k][0] <= pos:
            continue  # inside inline code
        token = m.group()
        if token == "[":
            stack.append(pos)
        elif token == "]":
            if stack:
                pairs[stack.pop()] = pos
        elif token == "\n\n":
            stack.clear()  # a blank line ends the paragraph: nothing open is closed
    return pairs


class _Finder:
    """``str.find`` that remembers its last answer per character: scanning for a ``>`` or a
    title's closing quote from each of many link starts costs one pass, not one each."""

    __slots__ = ("text", "last")

    def __init__(self, text: str) -> None:
        self.text = text
        self.last: dict[str, tuple[int, int]] = {}

    def find(self, ch: str, start: int) -> int:
        known = self.last.get(ch)
        if known is not None:
            asked, found = known
            if asked <= start and (found == -1 or start <= found):
                return found
        found = self.text.find(ch, start)
        self.last[ch] = (start, found)
        return found


def _skip_space(text: str, j: int) -> int:
    """Past spaces and tabs with at most one line break among them (CommonMark's link spacing)."""
    n = len(text)
    while j < n and text[j] in " \t":
        j += 1
    if j < n and text[j] == "\n":
        j += 1
        while j < n and text[j] in " \t":
            j += 1
    return j


_MAX_PAREN_DEPTH = 32  # as cmark: deeper nesting is no destination (and no long rescans)


def _parse_destination(text: str, i: int,
                       finder: _Finder | None = None) -> tuple[str, int, int, int] | None:
    """Parse ``(dest "title")`` starting at the ``(`` at ``i``.

    Returns (url, url_start, url_end, close_paren_index) or None. Whitespace (including one
    line break) around the destination is allowed, as in CommonMark.
    """
    finder = finder or _Finder(text)
    n = len(text)
    j = _skip_space(text, i + 1)
    if j < n and text[j] == "<":
        end = finder.find(">", j + 1)
        if end == -1 or finder.find("\n", j) < end and finder.find("\n", j) != -1:
            return None
        url_start, url_end = j + 1, end
        j = end + 1
    else:
        url_start = j
        depth = 0
        while j < n:
            plain = _DEST_PLAIN.match(text, j)
            if plain:
                j = plain.end()
                if j >= n:
                    break
            c = text[j]
            if c == "\\" and j + 1 < n:
                j += 2
                continue
            if c in " \t\n" or ord(c) < 0x20:
                break
            if c == "(":
                depth += 1
                if depth > _MAX_PAREN_DEPTH:
                    return None
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            j += 1
        url_end = j
    # optional whitespace, title, whitespace, then ')'
    k = _skip_space(text, j)
    if k < n and text[k] in "\"'(" and k > j:
        closer = ")" if text[k] == "(" else text[k]
        end = finder.find(closer, k + 1)
        if end == -1:
            return None
        k = end + 1
        while k < n and text[k] in " \t\n":
            k += 1
    if k < n and text[k] == ")":
        return text[url_start:url_end], url_start, url_end, k
    return None


def _trim_bare(url: str) -> str:
    """GFM autolink trimming: trailing punctuation and unbalanced closing parentheses."""
    end = len(url)
    unbalanced = url.count(")") - url.count("(")
    while end:
        if url[end - 1] in _TRAILING:
            end -= 1
        elif url[end - 1] == ")" and unbalanced > 0:
            end -= 1
            unbalanced -= 1
        else:
            break
    return url[:end]


def scan(text: str, refs: dict[str, str] | None = None, *, _nested: bool = False,
         _plain: bool = True) -> list[RawLink]:
    """Every link in ``text`` in order of position. ``refs`` maps lower-cased labels to URLs.

    Links inside a link's text are found one level deep (a badge inside a link): a link
    cannot hold a link, and rescanning every level of ``[[[[...]]]]`` was quadratic.
    """
    nested = _nested
    refs = refs or {}
    if not _MAY_LINK.search(text):
        return []
    if _plain and not refs:
        plain = _plain_links(text)
        if plain is not None:
            return plain
    code = code_span_mask(text)
    in_code = _Spans(code)
    code_end = dict(code)
    pairs: dict[int, int] | None = None
    finder = _Finder(text)
    links: list[RawLink] = []
    taken = _Spans()
    i = 0
    n = len(text)
    while i < n:
        m = _INTERESTING.search(text, i)
        if not m:
            break
        i = m.start()
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "`":
            end = code_end.get(i)
            if end is not None:
                i = end
                continue
        if c == "[" and i not in in_code:
            if not refs and text[i + 1:i + 2] == "[":
                # ``[[ArXiv](url)]``: a plain link in brackets that are only text (a link
                # cannot hold a link, and with no definitions they are no reference either)
                inner_link = _SIMPLE_LINK.match(text, i + 1)
                if inner_link and text[inner_link.end():inner_link.end() + 1] == "]" \
                        and text[inner_link.end() + 1:inner_link.end() + 2] not in ("(", "["):
                    i += 1
                    continue
            is_image = i > 0 and text[i - 1] == "!" and (i < 2 or text[i - 2] != "\\")
            simple = _SIMPLE_LINK.match(text, i)
            if simple:
                # the common case, ``[text](url)`` with plain text and URL: no bracket matching
                start = i - 1 if is_image else i
                inner = simple.group(1)
                links.extend(_shift(_scan_inner(inner, refs, nested), i + 1))
                links.append(RawLink("image" if is_image else "inline", simple.group(2), inner,
                                     simple.start(2), simple.end(2), start, simple.end(),
                                     i + 1, simple.end(1), simple.start(2), simple.end(2)))
                taken.add(start, simple.end())
                i = simple.end()
                continue
            if pairs is None:
                pairs = _bracket_pairs(text, code)
            close = pairs.get(i, -1)
            if close != -1:
                inner = text[i + 1:close]
                start = i - 1 if is_image else i
                kind = "image" if is_image else "inline"
                if close + 1 < n and text[close + 1] == "(":
                    dest = _parse_destination(text, close + 1, finder)
                    if dest:
                        url, us, ue, paren = dest
                        # links inside the text (badges in links) are found by scanning it
                        links.extend(_shift(_scan_inner(inner, refs, nested), i + 1))
                        links.append(RawLink(kind, url, inner, us, ue, start, paren + 1,
                                             i + 1, close, close + 2, paren))
                        taken.add(start, paren + 1)
                        i = paren + 1
                        continue
                if close + 1 < n and text[close + 1] == "[":
                    close2 = finder.find("]", close + 2)
                    if close2 != -1:
                        label = text[close + 2:close2] or inner
                        url = refs.get(_label_key(label))
                        if url is not None:
                            links.extend(_shift(_scan_inner(inner, refs, nested), i + 1))
                            links.append(RawLink("reference" if not is_image else "image", url,
                                                 inner, close + 2, close2, start, close2 + 1,
                                                 i + 1, close))
                            taken.add(start, close2 + 1)
                            i = close2 + 1
                            continue
                url = refs.get(_label_key(inner))
                if url is not None and "[" not in inner:
                    links.append(RawLink("reference", url, inner, i + 1, close, start, close + 1,
                                         i + 1, close))
                    taken.add(start, close + 1)
                    i = close + 1
                    continue
                # not a link: scan inside the brackets normally
        i += 1
    has_tag = "<" in text
    autolinks = []
    for m in _AUTOLINK.finditer(text) if has_tag else ():
        if m.start() not in in_code and m.start() not in taken:
            links.append(RawLink("autolink", m.group(1), m.group(1), m.start(1), m.end(1),
                                 m.start(), m.end()))
            autolinks.append((m.start(), m.end()))
    html = []
    for m in _HTML_ATTR.finditer(text) if has_tag else ():
        g = 1 if m.group(1) is not None else (2 if m.group(2) is not None else 3)
        if m.start() in in_code or not m.group(g).strip():
            continue
        links.append(RawLink("html", m.group(g), "", m.start(g), m.end(g), m.start(), m.end()))
        html.append((m.start(), m.end()))
    # each family of spans is disjoint and in order; html spans may overlap the others
    others = (_Spans(autolinks), _Spans(html))
    for m in _BARE.finditer(text):
        pos = m.start()
        if pos in in_code or pos in taken or pos in others[0] or pos in others[1]:
            continue
        url = _trim_bare(m.group(0))
        if "." not in url.split("//", 1)[-1]:
            continue
        links.append(RawLink("bare", url, url, m.start(), m.start() + len(url), m.start(),
                             m.start() + len(url)))
    links.sort(key=lambda link: (link.url_start, link.start))
    return links


def _plain_links(text: str) -> list[RawLink] | None:
    """The links of a text whose every link is a plain ``[text](url)`` or ``![alt](url)``, read
    with one regex pass; None when the text holds anything else the full scan must read (code,
    escapes, tags, a bracket that is no such link, a URL outside the links, a URL in a link's
    text). Most entries of a paper list are such texts: a third of the full scan's time."""
    if "`" in text or "\\" in text or "<" in text:
        return None
    # a ``://`` outside the links' URLs: the text holds every ``://`` of the URLs (markup cannot
    # split one: ``[](`` and ``)`` are none of its characters), so one count at the end tells
    # whether it holds another; ``www.`` in any case holds ``w.`` or ``W.``, rare outside URLs
    www = "w." in text or "W." in text
    schemes = 0
    links = []
    brackets = text.count("[")
    end = 0
    for m in _SIMPLE_LINK.finditer(text):
        i = m.start()
        inner = m.group(1)
        url = m.group(2)
        if www and ("www." in text[end:i].lower() or "www." in inner.lower()):
            return None
        schemes += url.count("://")
        brackets -= 1
        after = m.end()
        if i and text[i - 1] == "[" and text[after:after + 1] == "]" \
                and text[after + 1:after + 2] not in ("(", "["):
            brackets -= 1  # ``[[ArXiv](url)]``: brackets that are only text
        is_image = i > 0 and text[i - 1] == "!"
        us, ue = m.span(2)
        links.append(_raw_link(("image" if is_image else "inline", url, inner, us, ue,
                                i - 1 if is_image else i, after, i + 1, m.end(1), us, ue)))
        end = after
    if brackets or text.count("://") != schemes or (www and "www." in text[end:].lower()):
        return None
    return links


def _scan_inner(inner: str, refs: dict[str, str], nested: bool) -> list[RawLink]:
    """Links inside a link's text (a badge in a link), one level deep; most have none."""
    if nested or "[" not in inner and "<" not in inner and "://" not in inner \
            and "www." not in inner:
        return []
    return scan(inner, refs, _nested=True)


def _shift(links: list[RawLink], by: int) -> list[RawLink]:
    return [
        RawLink(x.kind, x.url, x.text, x.url_start + by, x.url_end + by, x.start + by, x.end + by,
                x.text_start + by if x.text_start >= 0 else -1,
                x.text_end + by if x.text_end >= 0 else -1,
                x.target_start + by if x.target_start >= 0 else -1,
                x.target_end + by if x.target_end >= 0 else -1)
        for x in links
    ]


def _label_key(label: str) -> str:
    return " ".join(label.split()).casefold()


_DEF = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*<?([^\s>]*)>?")


def definition(line: str) -> tuple[str, str, int, int] | None:
    """A link reference definition line: (label key, url, url_start, url_end) or None."""
    m = _DEF.match(line)
    if not m or not m.group(2):
        return None
    return _label_key(m.group(1)), m.group(2), m.start(2), m.end(2)
