"""The fast paths (prefilters, caches, shortcuts) give what the plain computation gives."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import ids, inline
from bot.parse import parse_document
from bot.slug import heading_text
from bot.styles._common import clean, date_in, date_in_markdown, looks_like_label, strip_links

# a year that only appears once the link markup is gone, or that sits right beside it
DATES = [
    ("16 Oct 2023[[paper](https://example.org/p)]", (2023, 10, 16)),  # year just before markup
    ("[[paper](https://example.org/p)]2023-12-01", (2023, 12, 1)),  # year just after markup
    ("Oct 16, 20[24](https://example.org/a)", (2024, 10, 16)),  # digits joined across "["
    ("[20](https://example.org/a)24-03 notes", (2024, 3, 0)),  # digits joined across "]"
    ("2![0](https://img.example.org/b)24.01", (2024, 1, 0)),  # digits joined across "!["
    ("[2024.05](https://example.org/x) Title", (2024, 5, 0)),  # the year only in link text
    ("Title [paper](https://example.org/2024.05)", None),  # the year only in the URL
    ("Title [paper](https://example.org/2024.05) 2023.11", (2023, 11, 0)),  # URL's is no date
    ("Title [v1](https://example.org/p), 12 Mar 2022", (2022, 3, 12)),
    ("Title [paper](https://example.org/p) 123", None),  # digits, no year
    ("Title 2004.08123 [paper](https://example.org/p)", None),  # an arXiv ID is no date
    ("Étude 2![0](https://img.example.org/b)24.01", (2024, 1, 0)),  # not ASCII: the \\d search
    ("Étude [paper](https://example.org/p)", None),
]


@pytest.mark.parametrize(("raw", "date"), DATES, ids=[d[0][:30] for d in DATES])
def test_date_in_markdown_finds_the_date_the_stripped_text_holds(raw, date):
    assert date_in(strip_links(raw)) == date  # the cases say what the slow path says
    assert date_in_markdown(raw) == date


_PIECES = st.sampled_from(["20", "19", "2", "0", "24", "1", "12", ".", "-", "/", " ", "Oct ",
                           "16, ", "[", "]", "(", ")", "![", "](https://e.org/", "](", "x",
                           "a", ":", "\u0662", "\u0660", "\uff12", "\u00e9"])  # digits of other scripts


@given(st.lists(_PIECES, max_size=24).map("".join))
def test_date_in_markdown_is_date_in_of_the_stripped_text(raw):
    assert date_in_markdown(raw) == date_in(strip_links(raw))


def test_an_entry_dated_across_link_markup_has_its_date():
    doc = parse_document("# L\n\n## 2024\n\n"
                         "- [Some Paper Title Here](https://example.org/paper) 20[24](https://"
                         "example.org/y).05\n"
                         "- [Another Paper Title](https://example.org/2023.11) code\n")
    dated, undated = doc.entries
    assert dated.date == (2024, 5, 0)
    assert undated.date is None  # a year inside a URL dates nothing


@pytest.mark.parametrize("path", [
    "/abs/2402.04291", "/abs/2402.04291v3", "/pdf/2402.04291.pdf", "/pdf/2402.04291v2.pdf",
    "/abs/2402.04291/", "/abs/2402.04291#section", "/abs/2402.04291?context=cs",
    "/abs/2402.04291?x=1#y", "/html/2402.04291v1", "/abs/hep-th/9901001v1", "/abs/2402.0429",
    "/list/cs.LG/recent", "/abs/", "/",
])
@pytest.mark.parametrize("keep_version", [False, True])
def test_plain_arxiv_urls_read_as_any_other_form(path, keep_version):
    # https://arxiv.org/ takes the shortcut; www., browse. and an upper-case host do not
    fast = ids.arxiv_id("https://arxiv.org" + path, keep_version=keep_version)
    for other in ("https://www.arxiv.org", "https://browse.arxiv.org", "https://ARXIV.org",
                  "http://arxiv.org"):
        assert ids.arxiv_id(other + path, keep_version=keep_version) == fast


def test_plain_arxiv_url_with_trailing_space_reads_like_the_stripped_one():
    assert ids.arxiv_id("https://arxiv.org/abs/2402.04291 ") == "2402.04291"
    assert ids.arxiv_id("https://arxiv.org/abs/2402.04291\n") == "2402.04291"


def test_cached_helpers_answer_each_text_for_itself():
    # more distinct texts than the caches keep, then the first ones again
    labels = [f"Venue{n}" for n in range(5000)]
    assert all(looks_like_label(t) for t in labels)
    assert looks_like_label("ICLR") and not looks_like_label("code")
    assert not looks_like_label("a sentence that says much more than any venue label would say "
                                "in its few words")
    assert looks_like_label("Venue0")
    titles = [f"**Part {n}** `x`" for n in range(5000)]
    assert [heading_text(t) for t in titles[:3]] == ["Part 0 x", "Part 1 x", "Part 2 x"]
    assert heading_text(titles[0]) == "Part 0 x"
    assert heading_text("Models :rocket:") == heading_text("Models :rocket:")


def test_each_venue_label_is_read_once_per_spelling():
    doc = parse_document("# L\n\n## 2024\n\n"
                         "- [[ICLR](https://openreview.net/forum?id=a)] First Paper Title\n"
                         "- [[ ICLR ](https://openreview.net/forum?id=b)] Second Paper Title\n"
                         "- [[NeurIPS](https://openreview.net/forum?id=c)] Third Paper Title\n")
    first, second, third = doc.entries
    assert (first.venue, second.venue, third.venue) == ("ICLR", "ICLR", "NeurIPS")
    assert first.venue is second.venue  # one copy of a label the list repeats


def test_scan_without_code_spans_or_taken_spans():
    text = "see [a](https://a.example.org/x) and https://b.example.org/y"
    links = inline.scan(text)
    assert [(link.kind, link.url) for link in links] == [
        ("inline", "https://a.example.org/x"), ("bare", "https://b.example.org/y")]
    # a URL as a link's text is a bare link in the text, its destination one inline link (the
    # taken span): nothing twice; a code span hides its link
    assert [link.kind for link in inline.scan("[https://a.example.org](https://a.example.org)")] \
        == ["bare", "inline"]
    assert inline.scan("`https://c.example.org` [d](https://d.example.org)")[-1].url \
        == "https://d.example.org"
    assert [link.url for link in inline.scan("`https://c.example.org` plain")] == []


@pytest.mark.parametrize("count", [0, 1, 499, 500, 501, 1001])
def test_json_streamed_in_pieces_is_one_object_with_every_finding_in_order(count):
    import io
    import json

    from bot.model import Finding
    from bot.output import write

    findings = [Finding("list.md", n + 1, 2, "whitespace", "warning", f"m{n} \"q\" ☃")
                for n in range(count)]
    out = io.StringIO()
    write("json", out, findings, 1)
    data = json.loads(out.getvalue())
    assert [(f["line"], f["message"]) for f in data["findings"]] == [
        (n + 1, f"m{n} \"q\" ☃") for n in range(count)]
    assert data["summary"]["findings"] == data["summary"]["warning"] == count
    assert out.getvalue().count("\n") == count + 5 - (1 if count == 0 else 0)  # one a line


_ITEM_TEXT = st.text(alphabet=st.sampled_from(list("ab [](): !<>#`~-*+_=|1.)\\\"'\t/h")),
                     min_size=0, max_size=24)


@given(st.lists(st.tuples(st.sampled_from(["-", "*", "+", "1.", "2)"]), _ITEM_TEXT,
                          st.sampled_from(["\n", "\n\n", "\n  x\n", "\nlazy\n"])),
                min_size=1, max_size=5))
def test_one_line_item_shortcut_gives_the_tokens_of_mistunes_loop(items):
    import json

    from bot import parse

    text = "".join(f"{marker} {body}{end}" for marker, body, end in items)
    shortcut = json.dumps(parse._blocks(text), sort_keys=True, default=str)
    fast = parse._PositionedParser.parse
    parse._PositionedParser.parse = lambda self, state, rules=None: parse.BlockParser.parse(
        self, state, rules)
    try:
        loop = json.dumps(parse._blocks(text), sort_keys=True, default=str)
    finally:
        parse._PositionedParser.parse = fast
    assert shortcut == loop


_LINKY = st.lists(st.sampled_from([
    "[[ArXiv](https://arxiv.org/abs/2402.04291)]", "[code](https://github.com/a/b)", "![s](i.svg)",
    "[", "]", "(", ")", "!", " ", "Title", "\n", "https://x.org", "www.X.org", "[x]", "[x][y]",
    "<a>", "`c`", "\\[", "[https://a.b](u)", "[a](b", "[a](<b>)", "](", "[[", "]]", "[](u)",
    # what the fast path counts instead of looking for: ``://`` and ``www.`` in and out of URLs
    "://", ":/", "/", "w.", "W.", "wWw.", "[WWW.](u)", "[a](https://e.org/www.x)",
    "[a](https://w.org/x?to=https://y.org)", "[x://](u)"]),
    max_size=12).map("".join)


@given(_LINKY)
def test_plain_link_fast_path_finds_what_the_full_scan_finds(text):
    assert inline.scan(text) == inline.scan(text, _plain=False)


_COPIES = """# L

## 2024

- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Quantization
- [[ICML](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Quantization
- [[ArXiv](https://arxiv.org/abs/2401.00001)] Another Paper About Sparse Attention
- [[ArXiv](https://arxiv.org/abs/2401.00002)] Another Paper About Sparse Attention
- [[ArXiv](https://arxiv.org/abs/2401.00003)] A Third Paper on Speculative Decoding

## 2023

- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Quantization
"""


@pytest.mark.parametrize("bits", [8, 1 << 23])
def test_duplicate_candidates_by_key_hash_miss_no_copy_even_when_every_bit_collides(
        bits, monkeypatch):
    from bot.config import Config
    from bot.engine import run
    from bot.rules import duplicate

    monkeypatch.setattr(duplicate.SharedKeys, "_BITS", bits)  # 8 bits: every entry a candidate
    found = [(f.line, f.message) for f in run(parse_document(_COPIES), Config.from_text(""),
                                               select=["duplicate"])]
    assert found == [
        (5, "labelled ArXiv here but ICML at line 6: the paper is published"),
        (6, "duplicate of line 5 in the same section (same arXiv ID: 2402.04291)"),
        (8, "same title as line 7 ('Another Paper About Sparse Attention') but another arXiv "
            "ID (2401.00002, there 2401.00001): one of the two titles or links is probably "
            "wrong"),
        (13, "duplicate of line 5 in 2024 (another year) (same arXiv ID: 2402.04291)"),
    ]


def test_only_entries_with_a_key_marked_twice_are_candidates():
    from bot.rules.duplicate import SharedKeys

    marks = SharedKeys()
    for keys in ([("arxiv", "1")], [("arxiv", "2"), ("title", "x")], [("title", "x")], []):
        marks.add(keys)
    assert list(marks.entries(["a", "b", "c", "d"])) == ["b", "c"]


def _document_facts(doc):
    """Everything a parse gives the rules: sections, entries (every field), links, code."""
    from dataclasses import fields

    facts = [(s.title, s.level, s.line, s.end_line, s.path, s.anchor) for s in doc.sections]
    for entry in doc.entries:
        row = {f.name: getattr(entry, f.name) for f in fields(entry) if f.name != "source"}
        row["section"] = entry.section.line if entry.section else None
        row["parent"] = entry.parent.line if entry.parent else None
        facts.append((repr(sorted(row.items())), entry.venue_span))
    return facts, doc.links, sorted(doc.code_lines), doc.code_blocks, doc.html_comment_lines


def _parsed_by_mistune_alone(text):
    from bot import parse

    shortcuts = parse._PositionedParser._plain_items, parse._PositionedParser.parse
    parse._PositionedParser._plain_items = lambda self, m, state: None
    parse._PositionedParser.parse = lambda self, state, rules=None: parse.BlockParser.parse(
        self, state, rules)
    try:
        return parse_document(text)
    finally:
        parse._PositionedParser._plain_items, parse._PositionedParser.parse = shortcuts


_LINES = st.lists(st.one_of(
    st.tuples(st.sampled_from(["- ", "* ", "+ ", "-  ", "  - ", "    - ", "1. ", "-\t", ""]),
              _ITEM_TEXT).map("".join),
    st.sampled_from(["", "## 2024", "```", "<div>", "</div>", "> q", "---", "- - -", "***",
                     "lazy text", "  indented", "[r]: https://r.org", "- [[ArXiv](https://arxiv"
                     ".org/abs/2402.04291)] T [[code](https://github.com/a/b)]"])),
    min_size=1, max_size=14)


@given(_LINES)
def test_plain_item_runs_parse_as_mistune_alone_parses_them(lines):
    text = "\n".join(lines) + "\n"
    assert _document_facts(parse_document(text)) == _document_facts(
        _parsed_by_mistune_alone(text))


# every character Python counts as whitespace (``\s`` and ``str.isspace`` agree on all of them)
_SPACES = [chr(i) for i in range(0x3001) if chr(i).isspace()]


@given(st.text(alphabet=st.sampled_from(_SPACES + list("ab<>*_-.:;\"'`|")), max_size=30))
def test_clean_folds_whitespace_as_the_regular_expression_did(text):
    tagless = re.sub(r"<[^>]+>", "", text).replace("**", "").replace("__", "")
    assert clean(text) == re.sub(r"\s+", " ", tagless).strip(" -–—:|,.*_\t\"“”'`;")


_MARKUP = st.lists(st.sampled_from(["[", "]", "(", ")", "!", "a", " ", "](", "![", "](u)", "((",
                                    "))", "[x]"]), max_size=25).map("".join)


@given(_MARKUP)
def test_possessive_link_markup_matches_what_backtracking_matched(text):
    backtracking = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
    assert strip_links(text) == backtracking.sub(r"\1", text)


@given(st.text(alphabet=st.sampled_from(list("aZ09-_.é٣")), max_size=42))
def test_github_names_are_read_as_their_patterns_say(name):
    assert ids._github_owner(name) == bool(re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,38})",
                                                        name))
    assert ids._github_name(name) == bool(re.fullmatch(r"[A-Za-z0-9_.\-]{1,100}", name))
    assert ids._github_name(name * 30) == bool(re.fullmatch(r"[A-Za-z0-9_.\-]{1,100}",
                                                             name * 30))


_URL_PATH = st.lists(st.sampled_from(["/", "abs", "pdf", "2402", ".", "04291", "0429", "v2",
                                      ".pdf", "?", "#", "x=1", "github", "stars", "o", "r",
                                      ".svg", "-", "٣", "issues", " ", "@", ":"]),
                     max_size=9).map("".join)


@given(_URL_PATH)
def test_plain_url_shortcuts_read_what_the_full_split_reads(path):
    # the lower-case plain host takes the shortcut; the same URL with its host in capitals
    # (or www. for arXiv) goes through _Parts
    path = "/" + path
    for fast, slow in (("https://arxiv.org", "https://ARXIV.org"),
                       ("http://arxiv.org", "https://www.arxiv.org")):
        for keep in (False, True):
            assert ids.arxiv_id(fast + path, keep_version=keep) == \
                ids.arxiv_id(slow + path, keep_version=keep)
    for fast in ("https://github.com", "http://github.com", "https://www.github.com"):
        assert ids.github_repo(fast + path) == ids.github_repo("https://GitHub.com" + path)
    for fast in ("https://img.shields.io", "http://img.shields.io"):
        assert ids.shields_repo(fast + path) == ids.shields_repo("https://IMG.shields.io" + path)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://arxiv.org/abs/2402.04291", "2402.04291"),
    ("https://arxiv.org/abs/2402.0429", None),  # since 2015 the number has five digits
    ("https://arxiv.org/abs/1402.0429", "1402.0429"),
    ("https://github.com/Aaronhuang-778/BiLLM", "Aaronhuang-778/BiLLM"),
    ("https://github.com/-bad/BiLLM", None),
    ("https://github.com/issues/x", None),
    ("https://img.shields.io/github/stars/Aaronhuang-778/BiLLM.svg?style=social",
     "Aaronhuang-778/BiLLM"),
])
def test_plain_url_shortcuts_on_the_common_forms(url, expected):
    read = {"arxiv.org": ids.arxiv_id, "github.com": ids.github_repo,
            "img.shields.io": ids.shields_repo}[url.split("/")[2]]
    assert read(url) == expected


@given(st.text(alphabet=st.sampled_from(list("aZ09 _-:.,'\t\n+é²ß") + ["ǅ", "İ"]), max_size=30))
def test_titles_normalise_as_the_regular_expression_does(title):
    assert ids.normalize_title(title) == re.sub(r"[\W_]+", " ", title.lower()).strip()



def test_a_title_sort_key_strips_what_the_regular_expression_strips():
    """The title key skips its regex when the first character is alphanumeric: that must be
    exactly the characters re's \\w takes, less "_", for every code point."""
    from bot.rules.ordering import _LEADING_NON_WORD

    word = re.compile(r"[^\W_]")
    differ = [hex(c) for c in range(0x110000) if chr(c).isalnum() != bool(word.match(chr(c)))]
    assert differ == []
    assert _LEADING_NON_WORD.sub("", "_[ÉTUDE] x") == "ÉTUDE] x"


@given(st.text(alphabet=st.sampled_from(list("aZ09 _-:.,'[+é²ß") + ["ǅ", "İ", "٣"]), max_size=12))
def test_title_sort_keys_are_the_regular_expressions(title):
    from bot.config import Config
    from bot.rules.ordering import sort_key
    from bot.vocabulary import SortPolicy, Vocabulary

    entry = parse_document(f"# L\n\n- x{title}\n").entries[0]
    entry.title = title
    key = sort_key(entry, SortPolicy(("*",), ("title",), "last"), Vocabulary.from_config(Config.from_text("")))
    expected = re.sub(r"^[\W_]+", "", title).lower()
    assert key == (((1, expected),) if expected else ((2, 0),))


@pytest.mark.parametrize("url", [
    "https://arxiv.org/abs/2402.04291", "https://doi.org/10.1145/3292500", "https://github.com/o/r",
    "https://openreview.net/forum?id=abc", "https://openreview.net/group?id=ICLR",
    "https://example.org/paper.pdf", "https://dl.acm.org/doi/10.1145/3292500.3330701",
])
def test_names_paper_is_paper_key_without_the_key(url):
    assert ids.names_paper(url) == (ids.paper_key(url) is not None)


@given(st.lists(st.sampled_from(["id", "=", "&", ";", "%", "%41", "+", " ", "a", "Zx9", "-_",
                                 "id=", "noteId", "é"]), max_size=10).map("".join))
def test_an_openreview_query_id_is_what_parse_qs_reads(query):
    from urllib.parse import parse_qs

    expected = parse_qs(query).get("id")
    assert ids._query_id(query) == (expected[0] if expected else None)


@pytest.mark.parametrize(("query", "expected"), [
    ("id=iRzf9Qy4gf", "iRzf9Qy4gf"), ("id=", None), ("id=a%41", "aA"), ("noteId=x&id=y", "y"),
    ("id=a+b", "a b"), ("id=a=b", "a=b"), ("", None)])
def test_openreview_query_ids(query, expected):
    assert ids._query_id(query) == expected
