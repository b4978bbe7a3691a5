"""Malformed link targets: whitespace, empty or placeholder targets, stray brackets, old hosts.

Finds, in every link of the file (entries, paragraphs, tables):

- a URL broken by whitespace or a line break inside the parentheses (fix: remove it);
- an empty target ``[code]()``;
- a placeholder target such as ``https://github.com/`` with no repository;
- an unbalanced ``))`` right after a link (fix: drop the extra parenthesis);
- ``browse.arxiv.org``, ``export.arxiv.org``, ``www.arxiv.org`` or ``http://arxiv.org``
  (fix: ``https://arxiv.org``), and other ``http://`` URLs of hosts in ``https_hosts``;
- a relative link to a file that does not exist next to the list (only for files on disk).

Options:

- ``placeholders`` (list of URLs that mean "nothing"), default GitHub's and arXiv's roots.
- ``https_hosts`` (list): hosts whose ``http://`` links are rewritten to ``https://``.
- ``check_relative`` (default ``true``).

BAD::

    - [[ArXiv](https://browse.arxiv.org/abs/2402.00858)] AffineQuant [[code](https://github.com/)]
    - [[ArXiv](https://arxiv.org/abs/2304.08467
    )] Learning to Compress Prompts with Gist Tokens

GOOD::

    - [[ArXiv](https://arxiv.org/abs/2402.00858)] AffineQuant
    - [[ArXiv](https://arxiv.org/abs/2304.08467)] Learning to Compress Prompts with Gist Tokens
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..model import Document, Edit, Fix, Problem

ID = "link-format"
LEVEL = "error"
ENABLED = True
FIXABLE = True
ONLINE = False
OPTIONS = {
    "placeholders": (list, ["https://github.com", "https://arxiv.org", "https://arxiv.org/abs",
                            "http://", "https://", "#", "todo", "tbd", "url", "link"]),
    "https_hosts": (list, ["arxiv.org", "github.com", "openreview.net", "aclanthology.org",
                           "proceedings.mlr.press", "openaccess.thecvf.com"]),
    "check_relative": (bool, True),
}

_ARXIV_OLD_HOST = re.compile(r"^(?:https?://)(?:browse\.|export\.|www\.)arxiv\.org/|^http://arxiv\.org/",
                             re.I)
_SPACE = re.compile(r"\s")


def check(doc: Document, ctx) -> Iterator[Problem]:
    opts = ctx.options
    placeholders = {p.lower().rstrip("/") for p in opts["placeholders"]}
    https_hosts = {h.lower() for h in opts["https_hosts"]}
    base_dir = os.path.dirname(os.path.abspath(doc.path)) if os.path.isfile(doc.path) else None
    text = doc.text
    for link in doc.links:
        if link.kind in ("bare", "html", "reference"):
            continue  # a reference link is checked at its definition
        url = link.url
        line, column = link.line, link.column
        if link.target_start >= 0:
            target = text[link.target_start:link.target_end]
            if url and target != url and "\"" not in target and "'" not in target \
                    and target.strip() == url and _SPACE.search(target):
                what = "a line break" if "\n" in target or "\r" in target else "whitespace"
                yield Problem(line, column, f"link target contains {what}: {url}",
                              Fix((Edit(link.target_start, link.target_end, url),),
                                  "remove whitespace from the link target"),
                              end_line=doc.line_of(link.target_end))
                continue
        if link.kind in ("inline", "image", "definition") and not url.strip():
            yield Problem(line, column, f"empty link target for '{link.text}'")
            continue
        if url.lower().rstrip("/") in placeholders:
            yield Problem(line, column, f"placeholder link target '{url}' points to no page")
            continue
        if _SPACE.search(url):
            yield Problem(line, column, f"link target contains whitespace: {url!r}")
            continue
        if link.construct_end > 0 and text[link.construct_end:link.construct_end + 1] == ")" \
                and link.kind in ("inline", "image"):
            line_start = doc.line_starts[doc.line_of(link.start) - 1]
            before = text[line_start:link.start]
            if before.count("(") - before.count(")") <= 1:  # 1: the link's own "("
                pos = link.construct_end
                yield Problem(doc.line_of(pos), doc.column_of(pos),
                              f"unbalanced ')' after link {url}",
                              Fix((Edit(pos, pos + 1, ""),), "remove the extra ')'"))
                continue
        m = _ARXIV_OLD_HOST.match(url)
        if m:
            fixed = "https://arxiv.org/" + url[m.end():]
            yield Problem(line, column, f"use https://arxiv.org, not {url[:m.end()]}",
                          Fix((Edit(link.start, link.end, fixed),), "canonical arXiv host"))
            continue
        if url[:8].lower() == "https://":
            continue  # nothing below applies; skipping urlsplit matters on long lists
        parts = _split(url)
        if parts and parts.scheme == "http" and (parts.hostname or "").lower() in https_hosts:
            fixed = "https" + url[4:]
            yield Problem(line, column, f"use https for {parts.hostname}",
                          Fix((Edit(link.start, link.end, fixed),), "use https"))
            continue
        if opts["check_relative"] and base_dir and parts is not None and not parts.scheme \
                and not url.startswith(("#", "//", "mailto:")) and link.kind != "definition":
            target_path = os.path.normpath(os.path.join(base_dir, parts.path))
            if parts.path and not os.path.exists(target_path):
                yield Problem(line, column, f"relative link '{url}' points to nothing in the repo")


def _split(url: str):
    try:
        return urlsplit(url)
    except ValueError:
        return None
