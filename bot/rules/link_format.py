"""Malformed link targets: whitespace, empty or placeholder targets, stray brackets, old hosts.

Finds, in every link of the file (entries, paragraphs, tables):

- a URL broken by whitespace inside it; spaces or a line break around the target,
  ``( https://...)``, are CommonMark and render the same;
- an empty target ``[code]()``;
- a placeholder target such as ``https://github.com/`` with no repository;
- an unbalanced ``))`` right after a link (fix: drop the extra parenthesis);
- a doubled scheme, ``https://https//github.com/o/r`` (fix: keep the second);
- ``browse.arxiv.org``, ``export.arxiv.org``, ``www.arxiv.org`` or ``http://arxiv.org``
  (fix: ``https://arxiv.org``), and other ``http://`` URLs of hosts in ``https_hosts`` (a
  warning: the link works);
- tracking parameters (``utm_*``, ``casa_token``, ``fbclid``, ...) in a URL (fix: drop them);
- a ``.git`` suffix on a GitHub repository link (fix: drop it);
- with ``arxiv_versions: false`` (a list that links the latest version), a versioned arXiv
  link such as ``2402.04291v2`` (fix: drop the version);
- a relative link to a file that does not exist next to the list (only for a list read from a
  file in a git checkout: a list copied alone into a folder, or a PR's text, has none of its
  files).

Not findings: the ``[//]: # (comment)`` idiom, and ``[![badge](image)]()``, a badge in an
empty link (lists use it to show a badge without a target).

Options:

- ``placeholders`` (list of URLs that mean "nothing"), default GitHub's and arXiv's roots.
- ``https_hosts`` (list): hosts whose ``http://`` links are rewritten to ``https://``.
- ``check_relative`` (default ``true``).
- ``tracking_params`` (list of parameter names; ``*`` ends a prefix): removed from URLs.
- ``arxiv_versions`` (default ``true``): versioned arXiv links are fine.

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

from .. import ids
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
    "tracking_params": (list, ["utm_*", "casa_token", "fbclid", "gclid", "mc_cid", "mc_eid",
                               "_hsenc", "_hsmi", "spm", "ref_src", "igshid", "si"]),
    "arxiv_versions": (bool, True),
}

_ARXIV_OLD_HOST = re.compile(r"^(?:https?://)(?:browse\.|export\.|www\.)arxiv\.org/|^http://arxiv\.org/",
                             re.I)
_SPACE = re.compile(r"\s")
_VERSION = re.compile(r"v\d+$", re.I)  # of an arXiv ID read with its version
_ARXIV_VERSION = re.compile(r"^(https?://(?:www\.)?arxiv\.org/(?:abs|pdf|html)/\d{4}\.\d{4,5})(v\d+)",
                            re.I)
_COMMENT_TARGETS = ("#", "<>", "")


def check(doc: Document, ctx) -> Iterator[Problem]:
    opts = ctx.options
    placeholders = {p.lower().rstrip("/") for p in opts["placeholders"]}
    https_hosts = {h.lower() for h in opts["https_hosts"]}
    base_dir = doc.root
    tracking = [p.lower() for p in opts["tracking_params"]]
    # arXiv id -> the versions the list links, for the ids some versioned link names (a set
    # for every arXiv link was 20 MB on 100k entries)
    pinned: dict[str, set[str]] = {}
    if not opts["arxiv_versions"]:
        for link in doc.links:
            if "arxiv.org/" in link.url.lower() and _ARXIV_VERSION.match(link.url):
                pinned[ids.arxiv_id(link.url) or ""] = set()
        pinned.pop("", None)
        for link in doc.links if pinned else ():
            if "arxiv.org/" in link.url and (versioned := ids.arxiv_id(link.url,
                                                                     keep_version=True)):
                versions = pinned.get(_VERSION.sub("", versioned))
                if versions is not None:
                    versions.add(versioned)
    text = doc.text
    for link in doc.links:
        if link.kind in ("bare", "html", "reference"):
            continue  # a reference link is checked at its definition
        if link.kind == "definition" and link.url.strip() in _COMMENT_TARGETS:
            continue  # ``[//]: # (a comment)``
        url = link.url
        lower = url.lower()
        line, column = link.line, link.column
        if link.kind in ("inline", "image", "definition") and not url.strip():
            if not link.text.lstrip().startswith("!["):  # ``[![badge](img)]()``: on purpose
                yield Problem(line, column, f"empty link target for '{link.text}'")
            continue
        if lower.rstrip("/") in placeholders:
            yield Problem(line, column, f"placeholder link target '{url}' points to no page")
            continue
        # every character ``\s`` matches is a space or unprintable: two C scans rule most URLs out
        if (" " in url or not url.isprintable()) and _SPACE.search(url):
            yield Problem(line, column, f"link target contains whitespace: {url!r}")
            continue
        if link.construct_end > 0 and text.startswith(")", link.construct_end) \
                and link.kind in ("inline", "image"):
            line_start = doc.line_starts[doc.line_of(link.start) - 1]
            before = text[line_start:link.start]
            if before.count("(") - before.count(")") <= 1:  # 1: the link's own "("
                pos = link.construct_end
                yield Problem(doc.line_of(pos), doc.column_of(pos),
                              f"unbalanced ')' after link {url}",
                              Fix((Edit(pos, pos + 1, ""),), "remove the extra ')'"))
                continue
        d = _DOUBLED_SCHEME.match(url) if lower.startswith(("https://http", "http://http")) else None
        if d:
            fixed = d.group(1).lower() + "://" + url[d.end():]
            yield Problem(line, column, f"doubled scheme in {url[:80]}: it points to a host named "
                                        f"'{d.group(1)}'",
                          Fix((Edit(link.start, link.end, fixed),), "drop the doubled scheme",
                              removes_links=(url,)))
            continue
        m = _ARXIV_OLD_HOST.match(url) if "arxiv.org/" in lower \
            and not url.startswith("https://arxiv.org/") else None
        if m:
            fixed = "https://arxiv.org/" + url[m.end():]
            yield Problem(line, column, f"use https://arxiv.org, not {url[:m.end()]}",
                          Fix((Edit(link.start, link.end, fixed),), "canonical arXiv host"),
                          level="warning")  # the link works: a cosmetic repair
            continue
        cleaned = _without_tracking(url, tracking) if "?" in url else url
        if cleaned != url:
            yield Problem(line, column, f"tracking parameters in {url[:80]}",
                          Fix((Edit(link.start, link.end, cleaned),), "drop tracking parameters",
                              removes_links=(url,)),
                          level="warning")
            continue
        if not opts["arxiv_versions"]:
            v = _ARXIV_VERSION.match(url) if "arxiv.org/" in lower else None
            if v and len(pinned.get(ids.arxiv_id(url) or "", ())) < 2:  # v1 and v2 on purpose
                fixed = v.group(1) + url[v.end():]
                yield Problem(line, column, f"versioned arXiv link ({v.group(2)}); this list links "
                                            f"the latest version", Fix((Edit(link.start, link.end,
                                                                             fixed),),
                                                                       "drop the version"),
                              level="warning")
                continue
        g = _GIT_SUFFIX.match(url) if ".git" in lower else None
        if g:
            fixed = g.group(1) + url[g.end():]
            yield Problem(line, column, f"'.git' at the end of the repository link {url}",
                          Fix((Edit(link.start, link.end, fixed),), "drop '.git'",
                              removes_links=(url,)), level="warning")
            continue
        if url[:8].lower() == "https://":
            continue  # nothing below applies; skipping urlsplit matters on long lists
        parts = _split(url)
        if parts and parts.scheme == "http" and (parts.hostname or "").lower() in https_hosts:
            fixed = "https" + url[4:]
            yield Problem(line, column, f"use https for {parts.hostname}",
                          Fix((Edit(link.start, link.end, fixed),), "use https"), level="warning")
            continue
        if opts["check_relative"] and base_dir and parts is not None and not parts.scheme \
                and not url.startswith(("#", "//", "mailto:")) and link.kind != "definition":
            target_path = os.path.normpath(os.path.join(base_dir, parts.path))
            if parts.path and not os.path.exists(target_path):
                yield Problem(line, column, f"relative link '{url}' points to nothing in the repo")


# ``https://https//github.com/o/r``, ``http://https://...``: a pasted URL after a typed scheme
# (``https://http.cat/`` is a host, and no match: the second scheme must end in ``:`` or ``/``)
_DOUBLED_SCHEME = re.compile(r"^https?://(https?)(?::/{0,2}|/{1,2})(?=[\w-]+\.)", re.I)
_GIT_SUFFIX = re.compile(r"^(https?://(?:www\.)?github\.com/[\w.\-]+/[\w.\-]+?)\.git(?=/?$|[?#])", re.I)


def in_git_checkout(directory: str) -> bool:
    """True when ``directory`` is inside a git work tree (a ``.git`` above it)."""
    current = os.path.abspath(directory)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return True
        parent = os.path.dirname(current)
        if parent == current:
            return False
        current = parent


def _without_tracking(url: str, names: list[str]) -> str:
    """``url`` without the query parameters named in ``names`` (``utm_*`` is a prefix)."""
    head, sep, rest = url.partition("?")
    query, hash_sep, fragment = rest.partition("#")
    kept = []
    for part in query.split("&"):
        name = part.split("=", 1)[0].lower()
        if any(name == n or (n.endswith("*") and name.startswith(n[:-1])) for n in names):
            continue
        kept.append(part)
    if len(kept) == len(query.split("&")):
        return url
    new = head + ("?" + "&".join(kept) if kept and any(kept) else "")
    return new + (hash_sep + fragment if hash_sep else "")


def _split(url: str):
    try:
        return urlsplit(url)
    except ValueError:
        return None
