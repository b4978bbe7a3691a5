"""A raw inline scanner: every link, image, autolink, bare URL and HTML href with its exact span.

mistune normalises URLs (percent-encoding, entity decoding) and keeps no positions, so the
spans a fix needs come from this scanner. It follows CommonMark's link syntax closely enough
that tests/test_conformance.py can compare it with markdown-it-py on real lists.
"""

from __future__ import annotations

import re
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
_BRACKET_PLAIN = re.compile(r"[^\\`\[\]\n]+")
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


def code_span_mask(text: str) -> list[tuple[int, int]]:
    """Spans of inline code (backtick runs matched by an equal run)."""
    spans: list[tuple[int, int]] = []
    i = text.find("`")
    if i == -1:
        return spans
    n = len(text)
    while i < n:
        if text[i] != "`":
            i = text.find("`", i)
            if i == -1:
                break
        if text[i] == "`" and (i == 0 or text[i - 1] != "\\"):
            j = i
            while j < n and text[j] == "`":
                j += 1
            run = text[i:j]
            close = re.compile(r"(?<!`)" + re.escape(run) + r"(?!`)")
            m = close.search(text, j)
            if m:
                spans.append((i, m.end()))
                i = m.end()
                continue
            i = j
            continue
        i += 1
    return spans


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _match_bracket(text: str, i: int) -> int:
    """Index of the ``]`` closing the ``[`` at ``i``, or -1 (nested brackets allowed)."""
    depth = 0
    n = len(text)
    j = i
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c not in "`[]\n":
            plain = _BRACKET_PLAIN.match(text, j)
            j = plain.end() if plain else j + 1
            continue
        if c == "`":
            k = j
            while k < n and text[k] == "`":
                k += 1
            run = text[j:k]
            end = text.find(run, k)
            if end != -1:
                j = end + len(run)
                continue
            j = k
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return j
        elif c == "\n" and j + 1 < n and text[j + 1] == "\n":
            return -1
        j += 1
    return -1


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


def _parse_destination(text: str, i: int) -> tuple[str, int, int, int] | None:
    """Parse ``(dest "title")`` starting at the ``(`` at ``i``.

    Returns (url, url_start, url_end, close_paren_index) or None. Whitespace (including one
    line break) around the destination is allowed, as in CommonMark.
    """
    n = len(text)
    j = _skip_space(text, i + 1)
    if j < n and text[j] == "<":
        end = text.find(">", j + 1)
        if end == -1 or "\n" in text[j:end]:
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
        end = text.find(closer, k + 1)
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
    while url:
        if url[-1] in _TRAILING:
            url = url[:-1]
        elif url[-1] == ")" and url.count(")") > url.count("("):
            url = url[:-1]
        else:
            break
    return url


def scan(text: str, refs: dict[str, str] | None = None) -> list[RawLink]:
    """Every link in ``text`` in order of position. ``refs`` maps lower-cased labels to URLs."""
    refs = refs or {}
    if not _MAY_LINK.search(text):
        return []
    code = code_span_mask(text)
    links: list[RawLink] = []
    taken: list[tuple[int, int]] = []
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
            span = next((s for s in code if s[0] == i), None)
            if span:
                i = span[1]
                continue
        if c == "[" and not _in_spans(i, code):
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
                links.extend(_shift(_scan_inner(inner, refs), i + 1))
                links.append(RawLink("image" if is_image else "inline", simple.group(2), inner,
                                     simple.start(2), simple.end(2), start, simple.end(),
                                     i + 1, simple.end(1), simple.start(2), simple.end(2)))
                taken.append((start, simple.end()))
                i = simple.end()
                continue
            close = _match_bracket(text, i)
            if close != -1:
                inner = text[i + 1:close]
                start = i - 1 if is_image else i
                kind = "image" if is_image else "inline"
                if close + 1 < n and text[close + 1] == "(":
                    dest = _parse_destination(text, close + 1)
                    if dest:
                        url, us, ue, paren = dest
                        # links inside the text (badges in links) are found by scanning it
                        links.extend(
                            _shift(_scan_inner(inner, refs), i + 1)
                        )
                        links.append(RawLink(kind, url, inner, us, ue, start, paren + 1,
                                             i + 1, close, close + 2, paren))
                        taken.append((start, paren + 1))
                        i = paren + 1
                        continue
                if close + 1 < n and text[close + 1] == "[":
                    close2 = text.find("]", close + 2)
                    if close2 != -1:
                        label = text[close + 2:close2] or inner
                        url = refs.get(_label_key(label))
                        if url is not None:
                            links.extend(_shift(_scan_inner(inner, refs), i + 1))
                            links.append(RawLink("reference" if not is_image else "image", url,
                                                 inner, close + 2, close2, start, close2 + 1,
                                                 i + 1, close))
                            taken.append((start, close2 + 1))
                            i = close2 + 1
                            continue
                url = refs.get(_label_key(inner))
                if url is not None and "[" not in inner:
                    links.append(RawLink("reference", url, inner, i + 1, close, start, close + 1,
                                         i + 1, close))
                    taken.append((start, close + 1))
                    i = close + 1
                    continue
                # not a link: scan inside the brackets normally
        i += 1
    has_tag = "<" in text
    for m in _AUTOLINK.finditer(text) if has_tag else ():
        if not _in_spans(m.start(), code) and not _in_spans(m.start(), taken):
            links.append(RawLink("autolink", m.group(1), m.group(1), m.start(1), m.end(1),
                                 m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in _HTML_ATTR.finditer(text) if has_tag else ():
        g = 1 if m.group(1) is not None else (2 if m.group(2) is not None else 3)
        if _in_spans(m.start(), code) or not m.group(g).strip():
            continue
        links.append(RawLink("html", m.group(g), "", m.start(g), m.end(g), m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in _BARE.finditer(text):
        if _in_spans(m.start(), code) or _in_spans(m.start(), taken):
            continue
        url = _trim_bare(m.group(0))
        if "." not in url.split("//", 1)[-1]:
            continue
        links.append(RawLink("bare", url, url, m.start(), m.start() + len(url), m.start(),
                             m.start() + len(url)))
    links.sort(key=lambda link: (link.url_start, link.start))
    return links


def _scan_inner(inner: str, refs: dict[str, str]) -> list[RawLink]:
    """Links inside a link's text (a badge in a link); most link texts have none."""
    if "[" not in inner and "<" not in inner and "://" not in inner and "www." not in inner:
        return []
    return scan(inner, refs)


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
