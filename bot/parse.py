"""Parse a list file into a ``Document``: mistune 3 for block structure, our own positions.

mistune's tokens carry no source positions (lepture/mistune#218). We record them ourselves:
``_PositionedParser`` stamps every block token with the offset where its rule matched in the
state's source, and ``_State.child_state`` remembers each child source (list items, block
quotes) so that nested offsets map back to lines of the original text. List item sources keep
one line per original line, so a child's base line plus its relative line is exact; the
conformance test compares the result with markdown-it-py's ``token.map``.
"""

from __future__ import annotations

import bisect
import gc
import re
import string
import sys
from typing import Any

import mistune
from mistune import list_parser
from mistune.block_parser import BlockParser
from mistune.core import BlockState

from . import inline
from .entries import interpret_entry
from .model import Document, Entry, Link, Section
from .slug import Slugger, atx_heading, heading_text

_BOLD_HEADING = re.compile(r"^\s*(?:\*\*|__)([^*_].*?)(?:\*\*|__)\s*:?\s*$")
_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])[ \t]*")  # used with match(text, pos): no "^"
_CRLF = re.compile(r"\r(?=\n)")
_DELIMITER_ROW = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# a paragraph that is a paper entry: a bold title alone on its first line, details below
_BLOCK_ENTRY = re.compile(r"^ {0,3}(?:\*\*|__)(?!\s)[^*_]{8,}?(?:\*\*|__)[ \t]*(?:\\|<br\s*/?>)?[ \t]*$")


class _State(BlockState):
    """A block state that records its children, so nested tokens can be placed."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.children_by_tokens: dict[int, _State] = parent.children_by_tokens if parent else {}

    def child_state(self, src: str, *rest: Any, **named: Any) -> _State:
        child = super().child_state(src, *rest, **named)  # newer mistune: lazy_line_starts
        self.children_by_tokens[id(child.tokens)] = child
        return child  # type: ignore[return-value]

    def append_token(self, token: dict[str, Any]) -> None:
        # where the parser stood: the position of tokens that no matched rule placed (mistune
        # 3.1+ appends indented code from a fast path, outside ``parse_method``)
        token.setdefault("_c", self.cursor)
        super().append_token(token)

    def add_paragraph(self, text: str) -> None:
        last = self.last_token()
        if last and last["type"] == "paragraph":
            last["text"] += text
        else:
            self.tokens.append({"type": "paragraph", "text": text, "_s": self.cursor})


# characters a one-line list item's text can start a block with (a heading, code, a quote, a
# list, a break, HTML, a definition, space for indented code): such items take mistune's loop
_MAY_START_BLOCK = frozenset(" \t#>`~-*+_=<|0123456789\n\r\f\v")
# a list item line ``- text`` (marker at the margin, one space, then text)
_PLAIN_ITEM = re.compile(r"([-*+]) (\S[^\n]*)\n")


class _LineStartSearch:
    """A block scanner whose ``search`` tries only the starts of lines.

    Every block rule is anchored with ``^`` (MULTILINE), so a match can only begin where a line
    begins, but ``re`` still tries every offset: about 30 µs per list item of a paper list,
    half of mistune's time on a large list. Everything else is the compiled pattern's.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self._pattern = pattern
        self.match = pattern.match

    def search(self, src: str, pos: int = 0) -> re.Match[str] | None:
        match = self.match
        if pos == 0 or src[pos - 1:pos] == "\n":
            m = match(src, pos)
            if m:
                return m
        newline = src.find("\n", pos)
        while newline != -1:
            m = match(src, newline + 1)
            if m:
                return m
            newline = src.find("\n", newline + 1)
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern, name)


class _PositionedParser(BlockParser):
    def parse_atx_heading(self, m: Any, state: BlockState) -> int:
        """mistune's, with the closing ``#``s trimmed in linear time: its ``(\\s+|^)#+\\s*$``
        rescans a long run of spaces from every position (80,000 spaces took 90 s)."""
        text = m.group("atx_2").strip(string.whitespace)
        token = {"type": "heading", "text": _trim_closing_hashes(text),
                 "attrs": {"level": len(m.group("atx_1"))}, "style": "atx"}
        state.append_token(token)
        return m.end() + 1

    def parse(self, state: BlockState, rules: list[str] | None = None) -> None:
        """mistune's, with a shortcut for the commonest child source, a list item of one line
        that starts no block: it is one paragraph (mistune's own scanner says no block rule
        matches), so it gets its paragraph without the parse loop (a third of the block
        parse of a paper list)."""
        src = state.src
        if state.parent is not None and src.find("\n") == len(src) - 1 and state.cursor == 0 \
                and src.strip() and _starts_no_block(src, self.compile_sc(
                    self.rules if rules is None else rules)):
            state.add_paragraph(src)
            state.cursor = state.cursor_max
            return
        super().parse(state, rules)

    def parse_list(self, m: Any, state: BlockState) -> int:
        """mistune's, with a shortcut for a run of plain one-line items at the top level."""
        if state.parent is None:
            end = self._plain_items(m, state)
            if end is not None:
                return end
        return super().parse_list(m, state)

    def _plain_items(self, m: Any, state: BlockState) -> int | None:
        """Read ``- text`` lines that each start no block and are followed by another such
        line of the same bullet: each is one item of one paragraph, as mistune reads it (the
        next line starts the next item), without mistune's item machinery (half of the block
        parse of a paper list). The run's last line is left to mistune, which decides what
        follows it (a lazy continuation, a nested block, the list's end): the list goes on as
        a second list token, which changes no entry."""
        bullet = m.group("list_2")
        if m.group("list_1") or bullet not in "-*+":
            return None
        src, pos = state.src, m.start()
        sc = self.compile_sc(self.list_rules)
        items = []
        line = _PLAIN_ITEM.match(src, pos)
        while line is not None and line.group(1) == bullet:
            text = line.group(2) + "\n"
            if not _starts_no_block(text, sc):
                break
            after = _PLAIN_ITEM.match(src, line.end())
            if after is None or after.group(1) != bullet:
                break
            items.append({"type": "list_item",
                          "children": [{"type": "block_text", "text": text, "_s": 0}]})
            pos, line = line.end(), after
        if not items:
            return None
        state.append_token({"type": "list", "children": items, "tight": True, "bullet": bullet,
                            "attrs": {"depth": state.depth(), "ordered": False}})
        return pos

    def parse_method(self, m: Any, state: BlockState) -> Any:
        before = len(state.tokens)
        result = super().parse_method(m, state)
        for token in state.tokens[before:]:
            token.setdefault("_s", m.start())
        return result

    def compile_sc(self, rules: list[str] | None = None) -> Any:
        sc = super().compile_sc(rules)
        cache = self.__dict__.setdefault("_line_start_search", {})
        fast = cache.get(id(sc))
        if fast is None:
            names = self.rules if rules is None else rules
            anchored = all(self.specification[name].startswith(("^", "(^")) for name in names)
            fast = cache[id(sc)] = (_LineStartSearch(sc) if anchored and self.sc_flag & re.M
                                    else sc)
        return fast


def _starts_no_block(line: str, sc: Any) -> bool:
    """A line (with its newline) that no block rule of the scanner ``sc`` matches at its
    start: as a list item's whole text it is one paragraph."""
    return line[0] not in _MAY_START_BLOCK and sc.match(line, 0) is None


def _trim_closing_hashes(text: str) -> str:
    """What ``re.sub(r"(\\s+|^)#+\\s*$", "", text)`` gives: an ATX heading's closing sequence
    (``#``s alone or after whitespace, then only whitespace) removed."""
    body = text.rstrip()
    bare = body.rstrip("#")
    if len(bare) == len(body):
        return text
    if not bare:
        return ""
    return bare.rstrip() if bare[-1].isspace() else text


def _cache_list_break_patterns() -> None:
    """mistune compiles the same list-break pattern again for every list item (about 10 µs an
    item); the pattern depends only on the parser and the item's indent, so keep each one."""
    original = getattr(list_parser, "_compile_list_break_sc", None)
    if original is None or getattr(original, "listkeeper_cached", False):
        return
    cache: dict[tuple[int, int], Any] = {}

    def cached(block: Any, leading_width: int) -> Any:
        key = (id(block), leading_width)
        pattern = cache.get(key)
        if pattern is None:
            pattern = cache[key] = original(block, leading_width)
        return pattern

    cached.listkeeper_cached = True  # type: ignore[attr-defined]
    list_parser._compile_list_break_sc = cached


_cache_list_break_patterns()
_MD = mistune.Markdown(block=_PositionedParser(), inline=None)
_MD.block.state_cls = _State
mistune.plugins.table.table(_MD)  # type: ignore[attr-defined]


def _blocks(src: str) -> list[dict[str, Any]]:
    state = _State()
    normalized = src.replace("\r\n", "\n").replace("\r", "\n")
    if not normalized.endswith("\n"):
        normalized += "\n"
    state.process(normalized)
    _MD.block.parse(state)
    blank = [not line.strip() for line in normalized.split("\n")]
    _place(state.tokens, state, 1, state.children_by_tokens, blank)
    # child states point at their parent: without this the cycle keeps every item's state
    # (its source text and environment) alive until the cycle collector runs
    state.children_by_tokens.clear()
    return state.tokens


def _place(tokens: list[dict[str, Any]], state: BlockState, base: int,
           children: dict[int, _State], blank: list[bool]) -> None:
    """Give every token ``_line`` (absolute, 1-based) from its offset in its state's source.

    A list item's source holds one line per original line, from the item's first line; blank
    lines between items may belong to no item, so the next item starts at the first non-blank
    line after the previous item's lines.
    """
    src = state.src
    counted_to, newlines = 0, 0  # count incrementally: tokens mostly come in source order
    for token in tokens:
        start = token.get("_s", token.get("_c", 0))
        if start < counted_to:
            counted_to, newlines = 0, 0
        newlines += src.count("\n", counted_to, start)
        counted_to = start
        token["_line"] = base + newlines
        if token["type"] == "list":
            line = token["_line"]
            for item in token.get("children", []):
                while line - 1 < len(blank) and blank[line - 1]:
                    line += 1
                child = children.get(id(item.get("children")))
                item["_line"] = line
                if child is not None:
                    _place(item["children"], child, line, children, blank)
                    line += child.src.count("\n") or 1
                else:  # an item read by _plain_items: one line, one paragraph
                    for part in item.get("children", ()):
                        part["_line"] = line
                    line += 1
        elif token["type"] == "block_quote":
            child = children.get(id(token.get("children")))
            if child is not None:
                _place(token["children"], child, token["_line"], children, blank)
    # mistune may append a token after ones that follow it in the text (a block quote after
    # the list it interrupted); the builder needs document order
    tokens.sort(key=lambda t: t["_line"])


def parse_document(text: str, path: str = "README.md") -> Document:
    """Parse ``text`` (any line endings) into a Document with sections, entries and links.

    The parse makes a few objects per line and frees none of them early, so the cyclic garbage
    collector would only rescan them again and again (a tenth of the time on a large list): it
    is paused for the parse.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse_document(text, path)
    finally:
        if enabled:
            gc.enable()


def _parse_document(text: str, path: str) -> Document:
    line_starts = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        line_starts.append(m.end())
    newline = "\r\n" if "\r\n" in text else "\n"
    doc = Document(path=path, text=text, newline=newline, line_starts=line_starts)
    raw_lines = [doc.line_text(i) for i in range(1, len(line_starts) + 1)]
    if text.endswith(("\n", "\r")):
        raw_lines = raw_lines[:-1]
    tokens = _blocks(text)

    code_lines: set[int] = set()
    refs: dict[str, str] = {}
    definitions: list[Link] = []
    code_blocks: list[tuple[int, int]] = []
    _collect_code(tokens, raw_lines, code_lines, code_blocks)
    doc.code_blocks = sorted(code_blocks)
    for number, line in enumerate(raw_lines, 1):
        if number in code_lines:
            continue
        d = inline.definition(line)
        if d:
            key, url, us, ue = d
            refs.setdefault(key, url)
            off = line_starts[number - 1]
            definitions.append(Link(url, key, number, us + 1, off + us, off + ue, "definition"))
    doc.code_lines = frozenset(code_lines)
    comments: dict[int, str] = {}
    comment_spans: list[tuple[int, int]] = []
    for start, end, inner in html_comments(text):
        line = doc.line_of(start)
        if line not in code_lines:
            comments[line] = inner.strip()
            comment_spans.append((start, end))
    doc.html_comment_lines = comments

    builder = _Builder(doc, raw_lines, refs, comment_spans)
    builder.walk(tokens, depth=0)
    builder.finish()
    doc.links = sorted(builder.links + definitions, key=lambda link: (link.start, link.end))
    return doc


_VERBATIM_HTML = re.compile(r" {0,3}<(?:pre|script|style|textarea)(?:[\s>]|$)", re.I)


def _collect_code(tokens: list[dict[str, Any]], raw_lines: list[str], out: set[int],
                  blocks: list[tuple[int, int]]) -> None:
    """The lines of code blocks (fenced or indented, at any depth) and of ``<pre>``-like HTML
    blocks, whose text no rule may touch; ``blocks`` gets each block's first and last line."""
    for token in tokens:
        kind = token["type"]
        first = token.get("_line")
        last = None
        if kind == "block_code" and first is not None:
            raw = token.get("raw", "")
            if token.get("style") == "fenced":
                last = first + raw.count("\n") + 1  # the opening fence, the code, the closing one
            else:  # indented: from its first code line to its last, blank lines between kept
                last = first + raw.strip("\n").count("\n")
        elif kind == "block_html" and first is not None and _VERBATIM_HTML.match(
                token.get("raw", "")):
            last = first + token.get("raw", "").rstrip("\n").count("\n")
        if last is not None:
            last = min(last, len(raw_lines))
            out.update(range(first, last + 1))
            blocks.append((first, last))
        children = token.get("children")
        if isinstance(children, list):
            _collect_code(children, raw_lines, out, blocks)


class _Builder:
    """Walks the positioned tokens and builds sections, entries and links."""

    def __init__(self, doc: Document, raw_lines: list[str], refs: dict[str, str],
                 comment_spans: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.raw_lines = raw_lines
        self.refs = refs
        self.links: list[Link] = []
        self.stack: list[Section] = []
        self.slugger = Slugger()
        self.scanned_until = 0  # last line whose links were collected
        self.parents: list[Entry] = []  # the list items whose children are being walked
        self.comment_spans = comment_spans

    # sections -----------------------------------------------------------------
    def open_section(self, title: str, level: int, line: int) -> Section:
        while self.stack and self.stack[-1].level >= level:
            self.close(self.stack.pop(), line - 1)
        parent = self.stack[-1] if self.stack else None
        # the H1 is the list's own title, not part of any entry's place
        path = (parent.path if parent else ()) + (() if level == 1 else (heading_text(title),))
        anchor = self.slugger.slug(title) if level <= 6 else None
        section = Section(title=title, level=level, line=line, path=path, anchor=anchor,
                          parent=parent)
        if parent:
            parent.children.append(section)
        self.doc.sections.append(section)
        self.stack.append(section)
        return section

    def close(self, section: Section, last_line: int) -> None:
        section.end_line = max(section.line, last_line)

    def finish(self) -> None:
        last = len(self.raw_lines)
        while self.stack:
            self.close(self.stack.pop(), last)

    # blocks -------------------------------------------------------------------
    def walk(self, tokens: list[dict[str, Any]], depth: int) -> None:
        for token in tokens:
            kind = token["type"]
            line = token["_line"]
            if kind == "heading":
                level = token.get("attrs", {}).get("level", 1)
                last = line + (1 if token.get("style") == "setext" else 0)
                self.open_section(_heading_title(self.raw_lines, line, token), level, line)
                self.collect_links(line, last)
            elif kind == "paragraph" and depth == 0 and self._table_start(line):
                # GFM: body rows may have more or fewer cells than the header (mistune 3.4
                # then reads no table at all, 3.3 a second table)
                self.table(line, self._table_last_line(line), depth)
            elif kind in ("paragraph", "block_text"):
                last = line + _count_lines(token.get("text", "")) - 1
                text = self.raw_lines[line - 1] if line <= len(self.raw_lines) else ""
                m = _BOLD_HEADING.match(text)
                if depth == 0 and m and last == line and "](" not in text:
                    self.open_section(m.group(1).strip(), 7, line)
                links = self.collect_links(line, last)
                if depth == 0 and last > line and _BLOCK_ENTRY.match(text) \
                        and any("://" in link.url for link in links):
                    start, end = self.doc.line_span(line, last, with_newline=False)
                    self.add_entry(line, last, start, end, 0, links, "block")
            elif kind == "list":
                for item in token.get("children", []):
                    self.list_item(item, depth)
                    item.clear()  # done with its tokens: free them before the next item's entry
            elif kind == "block_quote":
                self.walk(token.get("children", []), depth)
            elif kind == "table":
                self.table(line, self._table_last_line(line), depth)
            elif kind == "block_html":
                last = line + _count_lines(token.get("raw", "")) - 1
                self.collect_links(line, last)

    def _table_start(self, line: int) -> bool:
        """A header row with a pipe over a delimiter row (``|:--|:-:|``) starts a GFM table."""
        if line + 1 > len(self.raw_lines):
            return False
        header, delimiter = self.raw_lines[line - 1], self.raw_lines[line]
        return "|" in header and "|" in delimiter and bool(_DELIMITER_ROW.match(delimiter))

    def _table_last_line(self, line: int) -> int:
        last = line
        while last < len(self.raw_lines) and self.raw_lines[last].strip():
            last += 1
        return last

    def table(self, line: int, last: int, depth: int) -> None:
        """Links of a table; at the top level each body row is an entry (a ``table-row``)."""
        if line <= self.scanned_until:
            return  # the rest of a table already read (mistune 3.3 splits a table at a row
            # with another number of cells; GFM ends a table only at a blank line or a block)
        if depth or last < line + 2:
            self.collect_links(line, last)
            return
        self.collect_links(line, line + 1)  # the header and the delimiter row
        for number in range(line + 2, last + 1):
            links = self.collect_links(number, number)
            start, end = self.doc.line_span(number, number, with_newline=False)
            if self.doc.text[start:end].strip():
                self.add_entry(number, number, start, end, 0, links, "row")

    def add_entry(self, line: int, last: int, start: int, end: int, depth: int,
                  links: list[Link], kind: str = "item") -> Entry:
        section = self.stack[-1] if self.stack else None
        entry = Entry(line=line, end_line=last, start=start, end=end, source=self.doc.text,
                      section=section, depth=depth, links=links, kind=kind,
                      parent=self.parents[-1] if self.parents and depth else None)
        interpret_entry(entry)
        self.doc.entries.append(entry)
        if section is not None:
            section.entries.append(entry)
        return entry

    def list_item(self, item: dict[str, Any], depth: int) -> None:
        children = item.get("children", [])
        line = item.get("_line")
        if line is None:
            return
        first = children[0] if children else None
        if first is None or first["type"] not in ("block_text", "paragraph"):
            # an empty item, or one that opens with a nested list or code: no entry of its own
            self.walk_item_children(children, depth + 1)
            return
        last = first["_line"] + _count_lines(first.get("text", "")) - 1
        entry_line = line
        if last == line:
            last = line  # one int object for both ends of a one-line entry
        start, end = self.doc.line_span(entry_line, last, with_newline=False)
        marker = _MARKER.match(self.doc.text, start, end)
        offset = marker.end() - start if marker else 0
        item_links = self.collect_links(entry_line, last)
        entry = self.add_entry(entry_line, last, start + offset, end, depth, item_links)
        self.parents.append(entry)
        try:
            self.walk_item_children(children[1:], depth + 1)
        finally:
            self.parents.pop()

    def walk_item_children(self, tokens: list[dict[str, Any]], depth: int) -> None:
        for token in tokens:
            if token["type"] == "list":
                for item in token.get("children", []):
                    self.list_item(item, depth)
            elif token["type"] in ("paragraph", "block_text", "block_html", "table"):
                text = token.get("text", token.get("raw", ""))
                line = token["_line"]
                self.collect_links(line, line + _count_lines(text) - 1)
            elif token["type"] == "block_quote":
                self.walk_item_children(token.get("children", []), depth)

    # links --------------------------------------------------------------------
    def collect_links(self, first: int, last: int) -> list[Link]:
        """Links on lines ``first..last``; each line is scanned once per document."""
        last = min(last, len(self.raw_lines))
        if first > last:
            return []
        earlier: list[Link] = []
        if first <= self.scanned_until:
            for link in reversed(self.links):
                if link.line < first:
                    break
                if link.line <= last:
                    earlier.append(link)
            earlier.reverse()
        scan_from = max(first, self.scanned_until + 1)
        if scan_from > last:
            return earlier
        start, end = self.doc.line_span(scan_from, last, with_newline=False)
        found = []
        line_starts = self.doc.line_starts
        one_line = scan_from == last  # every link on it: no bisect for the line
        line_start = line_starts[last - 1]
        shared_line = first  # one int object for a line's links and their entry
        line = first if first == last else last
        comments = self.comment_spans
        for kind, url, text, url_start, url_end, raw_start, raw_end, _, _, target_start, \
                target_end in self._raw_links(start, end):
            us = start + url_start
            if comments and self.in_comment(us):
                continue
            ue = start + url_end
            # the same int objects where the target is the URL (most inline links): two
            # fewer ints per link, 10 MB on 100k entries
            ts = us if target_start == url_start else (
                start + target_start if target_start >= 0 else -1)
            te = ue if target_end == url_end else (
                start + target_end if target_end >= 0 else -1)
            if not one_line:
                line = bisect.bisect_right(line_starts, us)
                if line == shared_line:
                    line = shared_line
                else:
                    shared_line = line
                line_start = line_starts[line - 1]
            if len(text) <= 40:  # texts repeat across a list (``ArXiv``, ``code``): one copy each
                text = sys.intern(text)
            found.append(Link(url, text, line, us - line_start + 1, us, ue, kind, ts, te,
                              start + raw_end, start + raw_start))
        self.scanned_until = last
        self.links.extend(found)
        return earlier + found

    def _raw_links(self, start: int, end: int) -> list[inline.RawLink]:
        """The links of ``text[start:end]``, offsets relative to ``start``. A slice with CRLF
        endings is scanned with LF endings and its offsets mapped back; any other is scanned
        as it is (no mapping call per offset)."""
        source = self.doc.text
        if source.find("\r\n", start, end) == -1:
            return inline.scan(source[start:end], self.refs)
        shift = _crlf_offsets(source, start, end)

        def mapped(i: int) -> int:
            return shift(i) if i >= 0 else -1

        return [raw._replace(url_start=shift(raw.url_start), url_end=shift(raw.url_end),
                             start=shift(raw.start), end=shift(raw.end),
                             text_start=mapped(raw.text_start), text_end=mapped(raw.text_end),
                             target_start=mapped(raw.target_start),
                             target_end=mapped(raw.target_end))
                for raw in inline.scan(source[start:end].replace("\r\n", "\n"), self.refs)]

    def in_comment(self, offset: int) -> bool:
        spans = self.comment_spans
        i = bisect.bisect_right(spans, (offset, len(self.doc.text) + 1)) - 1
        return i >= 0 and spans[i][0] <= offset < spans[i][1]


def html_comments(text: str) -> list[tuple[int, int, str]]:
    """``<!-- ... -->`` comments: (start, end, inner text), in one pass.

    ``<!--(.*?)-->`` searched to the end of the text from every ``<!--`` that has no closer:
    quadratic in a text of many unclosed comments. With ``find`` the first comment without a
    closer ends the search: none after it has one either.
    """
    out = []
    pos = text.find("<!--")
    while pos != -1:
        close = text.find("-->", pos + 4)
        if close == -1:
            break
        out.append((pos, close + 3, text[pos + 4:close]))
        pos = text.find("<!--", close + 3)
    return out


def _crlf_offsets(text: str, start: int, end: int):
    """Map offsets in the LF-normalised slice back to offsets in the original slice."""
    if text.find("\r\n", start, end) == -1:
        return lambda i: i
    # the k-th removed CR sits at normalised offset ``crs[k] - k``: an offset ``i`` moves by
    # the number of CRs before it, one bisect (scanning them for every link was quadratic)
    moved = [i - start - k for k, i in enumerate(
        m.start() for m in _CRLF.finditer(text, start, end))]

    def shift(i: int) -> int:
        return i + bisect.bisect_left(moved, i)

    return shift


def _count_lines(text: str) -> int:
    return max(1, text.rstrip("\n").count("\n") + 1)


def _heading_title(raw_lines: list[str], line: int, token: dict[str, Any]) -> str:
    text = raw_lines[line - 1] if line <= len(raw_lines) else ""
    heading = atx_heading(text)
    if heading:
        return heading[1]
    return text.strip()
