"""A venue label that is not in the list's vocabulary, is misspelt, carries a year or contradicts its link.

Venue labels (``[[ICLR](url)]`` or ``[ICLR]``) come from the controlled vocabulary of
``rules.yaml`` (top-level ``venues:``: ``canonical`` labels in rank order with ArXiv last,
``aliases`` and workshop/track ``suffixes``; a built-in vocabulary applies when it is absent).

- A label is written the way this list writes that venue: ``venues: spelling`` (what
  ``listkeeper init`` found the list uses, e.g. ``ArXiv: arXiv``), else the canonical
  spelling. An alias (``Arxiv``, ``NIPS``, ``Neurips``) is fixed to it; venues listed in
  ``venues: any_spelling`` are written several ways on purpose and are left alone.
- An unknown label is ``info`` (the list may use venues we do not know), or at the ``unknown``
  level when the vocabulary is closed (``venues: closed: true``). A guess is offered only when
  it is certain: the same letters in another case or punctuation, or one typo in a long name;
  never for short acronyms (``CoRR`` is not CoRL, ``PR`` is not CVPR).
- With ``allow_year: false`` the year is removed (``[[DAC 2024]`` -> ``[[DAC]``): the year
  heading says it.
- With ``require_link: true`` the label must link to the paper.
- A label whose link points to another venue's proceedings (``[[ICLR](...)]`` linking to
  ``openaccess.thecvf.com/content/CVPR2023/...``) is reported. arXiv links never contradict,
  and workshop or track labels are not compared.

Options:

- ``allow_year`` (default ``true``; the seed's ``rules.yaml`` sets ``false``).
- ``require_link`` (default ``false``).
- ``check_links`` (default ``true``): compare the label with the proceedings host it links to.
- ``unknown`` (default ``warning``): level for unknown labels in a closed vocabulary, or
  ``off``.

BAD::

    - [[Arxiv](https://arxiv.org/abs/2402.10193)] BitDelta
    - [[DAC 2024](https://arxiv.org/abs/2402.14866)] APTQ
    - [[ICLR](https://openaccess.thecvf.com/content/CVPR2023/papers/x.pdf)] Post-training Quantization

GOOD::

    - [[ArXiv](https://arxiv.org/abs/2402.10193)] BitDelta
    - [[DAC](https://arxiv.org/abs/2402.14866)] APTQ
    - [[CVPR](https://openaccess.thecvf.com/content/CVPR2023/papers/x.pdf)] Post-training Quantization
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from .. import ids
from ..model import Document, Edit, Entry, Fix, Problem
from ..vocabulary import DEFAULT_VOCABULARY, Label, Vocabulary

ID = "venue"
LEVEL = "warning"
ENABLED = True
FIXABLE = True
ONLINE = False
OPTIONS = {
    "allow_year": (bool, True),
    "require_link": (bool, False),
    "check_links": (bool, True),
    "unknown": (("error", "warning", "info", "off"), "warning"),
}

ACL_FAMILY = {"ACL", "EMNLP", "NAACL", "EACL", "COLING", "TACL", "AACL", "CoNLL", "LREC",
              "IJCNLP", "SemEval", "CL"}
_ACL_SLUGS = {"acl": "ACL", "emnlp": "EMNLP", "naacl": "NAACL", "eacl": "EACL",
              "coling": "COLING", "tacl": "TACL"}
_ACL_LETTERS = {"P": "ACL", "D": "EMNLP", "N": "NAACL", "E": "EACL", "C": "COLING", "Q": "TACL"}
# hosts that publish one venue (or a known few)
_HOSTS = (
    (re.compile(r"(^|\.)(nips|neurips)\.cc$"), {"NeurIPS"}),
    (re.compile(r"^(papers\.nips\.cc|proceedings\.neurips\.cc)$"), {"NeurIPS"}),
    (re.compile(r"(^|\.)icml\.cc$"), {"ICML"}),
    (re.compile(r"(^|\.)iclr\.cc$"), {"ICLR"}),
    (re.compile(r"(^|\.)ecva\.net$"), {"ECCV"}),
    (re.compile(r"(^|\.)ijcai\.org$"), {"IJCAI"}),
    (re.compile(r"^(ojs\.)?aaai\.org$"), {"AAAI", "ICWSM", "AIIDE", "HCOMP"}),
    (re.compile(r"^proceedings\.mlr\.press$"),
     {"ICML", "AISTATS", "CoRL", "COLT", "UAI", "ACML", "ALT", "L4DC", "MIDL", "CLeaR", "LoG",
      "CoLLAs", "AutoML", "MLSys", "JMLR"}),
)
# venues that never publish on OpenReview (others may: ICLR, NeurIPS, ICML, TMLR, ARR, ...)
_NOT_OPENREVIEW = {"CVPR", "ICCV", "ECCV", "WACV", "AAAI", "IJCAI"}


def link_venues(url: str) -> set[str] | None:
    """The venues a proceedings URL can belong to, or None when the URL says nothing."""
    return _venues_of(ids.url_parts(url))


def _venues_of(parts) -> set[str] | None:
    host, path = parts.hostname, parts.path
    if host.startswith("www."):
        host = host[4:]
    if host.endswith("thecvf.com"):
        m = re.search(r"content[/_]([A-Za-z]+?)_?\d{4}", path)
        return {m.group(1).upper().rstrip("W")} if m else {"CVPR", "ICCV", "WACV"}
    if host in ("aclanthology.org", "aclweb.org"):
        m = re.search(r"\d{4}\.(?:findings-)?([a-z]+)-", path)
        if m and m.group(1) in _ACL_SLUGS:
            return {_ACL_SLUGS[m.group(1)]}
        m = re.search(r"/([A-Z])\d{2}-\d{4}", path)
        if m and m.group(1) in _ACL_LETTERS:
            return {_ACL_LETTERS[m.group(1)]}
        return set(ACL_FAMILY)
    venues = _host_venues(host)
    return set(venues) if venues is not None else None


@lru_cache(maxsize=4096)
def _host_venues(host: str) -> frozenset[str] | None:
    """The venues of a proceedings host (a list links a few dozen hosts thousands of times)."""
    for pattern, venues in _HOSTS:
        if pattern.search(host):
            return frozenset(venues)
    return None


def contradiction(label: Label, url: str, vocab: Vocabulary | None = None) -> str | None:
    """Why the label's link belongs to another venue, or None."""
    if label.base is None or label.is_track or (vocab or DEFAULT_VOCABULARY).is_preprint(label.base):
        return None
    parts = ids.url_parts(url)  # read once for the host and for the venues
    host = parts.hostname
    if host.endswith("openreview.net"):
        return "OpenReview" if label.base in _NOT_OPENREVIEW else None
    venues = _venues_of(parts)
    if venues is None or label.base in venues:
        return None
    return "/".join(sorted(venues)) if len(venues) <= 3 else host


def _spelled(vocab: Vocabulary, label: Label, allow_year: bool) -> str:
    """The label with the canonical base spelling and, if asked, without its year."""
    text = label.text
    if not allow_year:
        for start, end in reversed(label.year_spans):
            text = text[:start] + text[end:]
        text = " ".join(text.split())
    if label.base and label.base not in vocab.any_spelling:
        want = vocab.written(label.base)
        if label.written != want:
            text = re.sub(r"(?<![\w])" + re.escape(label.written) + r"(?![\w])", want, text,
                          count=1)
    return text


def check(doc: Document, ctx) -> Iterator[Problem]:
    opts = ctx.options
    vocab = Vocabulary.from_config(ctx.config)
    tagged = [e for e in doc.entries if e.venue and e.venue_span is not None and e.venue_is_tag]
    vocab = _as_written_now(vocab, tagged)
    spelled: dict[str, str] = {}  # label -> how it should be written (a few dozen labels)
    for entry in tagged:
        yield from _check_entry(doc, entry, vocab, opts, spelled)


RESPELLED = 10  # labels of a venue, all but a few written anew, that show the list respelled it


def _as_written_now(vocab: Vocabulary, tagged: list[Entry]) -> Vocabulary:
    """The vocabulary with the spelling the list uses now, where it has moved on: a PR that
    relabels every ``arxiv`` as ``arXiv`` changes the convention, it does not break it."""
    forms: dict[str, Counter] = {}
    for entry in tagged:
        label = vocab.parse(entry.venue)
        if label.base is not None:
            forms.setdefault(label.base, Counter())[label.written] += 1
    moved = {}
    for base, counter in forms.items():
        written, n = counter.most_common(1)[0]
        total = sum(counter.values())
        if total >= RESPELLED and n >= 0.9 * total and written != vocab.written(base):
            moved[base] = written
    if not moved:
        return vocab
    return dataclasses.replace(vocab, spelling={**vocab.spelling, **moved})


def _check_entry(doc: Document, entry: Entry, vocab: Vocabulary, opts: dict,
                 spelled: dict[str, str]) -> Iterator[Problem]:
    label = vocab.parse(entry.venue)
    start, end = entry.venue_span
    if label.base is None:
        if opts["unknown"] != "off" and not re.fullmatch(r"[\d\s.,:/-]*", entry.venue):
            hint = vocab.closest(label.written or entry.venue)
            tail = f"; did you mean '{vocab.written(hint)}'?" if hint else ""
            level = opts["unknown"] if vocab.closed or hint else "info"
            yield Problem(doc.line_of(start), doc.column_of(start),
                          f"unknown venue label '{entry.venue}'{tail}",
                          level=None if level == "warning" else level)
    else:
        wanted = spelled.get(entry.venue)
        if wanted is None:
            wanted = spelled[entry.venue] = _spelled(vocab, label, opts["allow_year"])
        if wanted != entry.venue and wanted:
            want = vocab.written(label.base)
            renamed = label.written != want and label.base not in vocab.any_spelling
            if renamed:
                why = (f"venue label '{label.written}' is written '{want}' in this list"
                       if label.base in vocab.spelling else
                       f"venue label '{label.written}' is spelt '{want}'")
            else:
                why = f"venue label '{entry.venue}' carries a year; the year heading says it"
            if renamed and label.year_spans and not opts["allow_year"]:
                why += ", with no year"
            yield Problem(doc.line_of(start), doc.column_of(start), why,
                          Fix((Edit(start, end, wanted),), f"write '{wanted}'", sweeping=True))
    if opts["require_link"] and entry.venue_link is None:
        yield Problem(doc.line_of(start), doc.column_of(start),
                      f"venue label '{entry.venue}' should link to the paper: [[{entry.venue}](URL)]")
    if opts["check_links"] and entry.venue_link is not None:
        other = contradiction(label, entry.venue_link.url, vocab)
        if other:
            yield Problem(entry.venue_link.line, entry.venue_link.column,
                          f"venue label '{entry.venue}' links to {other} proceedings: "
                          f"{entry.venue_link.url}")
