"""Identifier normalisation: arXiv IDs, DOIs, OpenReview ids, GitHub repos, URLs."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit, urlunsplit

_ARXIV_HOST = re.compile(r"^(?:www\.|browse\.|export\.)?arxiv\.org$", re.I)
_ARXIV_NEW = re.compile(r"(\d{4}\.\d{4,5})(v\d+)?(?:\.pdf)?/?$", re.I)
_ARXIV_OLD = re.compile(r"([a-z][a-z\-]*(?:\.[A-Za-z\-]{2,})?/\d{7})(v\d+)?(?:\.pdf)?/?$", re.I)
_ARXIV_PLAIN = ("https://arxiv.org/", "http://arxiv.org/")
_GITHUB_PLAIN = ("https://github.com/", "http://github.com/", "https://www.github.com/",
                 "http://www.github.com/")
_SHIELDS_PLAIN = ("https://img.shields.io/", "http://img.shields.io/")
_IMAGE_SUFFIX = re.compile(r"\.(svg|png|json)$", re.I)
_NON_WORD = re.compile(r"[\W_]+")
_NEW_YYMM = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_OLD_YYMM = re.compile(r"^[a-z\-]+(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}$", re.I)
_DOI = re.compile(r"(10\.\d{4,9}/[^\s?#]+)", re.I)
_GITHUB_RESERVED = {
    "about", "features", "orgs", "topics", "collections", "sponsors", "marketplace",
    "settings", "login", "join", "explore", "trending", "notifications", "search", "pricing",
    "site", "apps", "enterprise", "issues", "pulls", "new", "organizations", "users",
}


class _Parts:
    """The pieces of a URL that identifier checks need, without urlsplit's full work.

    These functions run for every link of every entry, so they split the URL by hand; a URL
    they cannot read simply names no identifier.
    """

    __slots__ = ("hostname", "path", "query")

    def __init__(self, url: str) -> None:
        rest = url.strip()
        scheme_end = rest.find("://")
        if scheme_end == -1:
            self.hostname, self.path, self.query = "", rest, ""
            return
        rest = rest[scheme_end + 3:].split("#", 1)[0]
        authority, slash, tail = rest.partition("/")
        if "?" in authority:
            authority, _, query = authority.partition("?")
            tail, slash = "", ""
        else:
            query = ""
        host = authority.rpartition("@")[2]
        self.hostname = (host if host.startswith("[") else host.split(":", 1)[0]).lower()
        path, _, tail_query = (slash + tail).partition("?")
        self.path, self.query = path, query or tail_query


def _plain_path(url: str) -> str:
    """The path of a URL that starts with a plain ``scheme://host/`` (one of the ``_*_PLAIN``
    prefixes, no trailing space): the path ``_Parts`` would give, without splitting the rest."""
    return url[url.index("/", 8):].split("#", 1)[0].partition("?")[0]


def _path_on(url: str, plain: tuple[str, ...], needle: str, hosts: tuple[str, ...]) -> str | None:
    """The path of ``url`` when its host is one of ``hosts``, else None. A URL that starts
    with one of the ``plain`` prefixes is read without ``_Parts``; a URL without ``needle`` in
    it cannot be on those hosts."""
    if url.startswith(plain) and not url[-1:].isspace():
        return _plain_path(url)
    if needle not in url.lower():
        return None
    parts = _Parts(url)
    return parts.path if parts.hostname in hosts else None


def url_parts(url: str) -> _Parts:
    """The lower-cased host, the path and the query of ``url``. It never raises: urlsplit does
    on a malformed URL (``http://[oops]/``, a port out of range), and a list may hold any text."""
    return _Parts(url)


def hostname(url: str) -> str:
    """The lower-cased host of ``url`` ("" for none); it never raises."""
    return _Parts(url).hostname


def arxiv_id(url: str, *, keep_version: bool = False) -> str | None:
    """The arXiv ID of an arXiv URL in any form (abs, pdf, html, vN, .pdf, www., http:).

    The version (``v2``) is dropped unless ``keep_version``: two versions are one paper.
    """
    if url.startswith(_ARXIV_PLAIN) and not url[-1:].isspace():
        # the common form, read without _Parts: the same path it would give
        path = _plain_path(url)
        ident = path[5:]
        if len(path) == 15 and path.startswith("/abs/") and ident[4] == "." and ident.isascii() \
                and ident[:4].isdigit() and ident[5:].isdigit():
            return ident  # ``/abs/2402.04291``: what the patterns below would read
    else:
        if "arxiv.org" not in url.lower():
            return None
        parts = _Parts(url)
        if not _ARXIV_HOST.match(parts.hostname or ""):
            return None
        path = parts.path
    for prefix in ("/abs/", "/pdf/", "/html/", "/format/", "/ps/"):
        if path.startswith(prefix):
            rest = path[len(prefix):]
            m = _ARXIV_NEW.match(rest) or _ARXIV_OLD.match(rest)
            if not m:
                return None
            ident = m.group(1)
            if "." in ident and ident[:2].isdigit() and int(ident[:2]) >= 15 \
                    and len(ident.split(".")[1]) != 5:
                return None  # since 2015 the number after the dot has five digits
            return m.group(1) + (m.group(2) or "") if keep_version else m.group(1)
    return None


def arxiv_order(identifier: str | None) -> float | None:
    """A new-style arXiv ID as a number that sorts as the IDs were given out (``2402.04291`` ->
    2402.04291, ``2402.4291`` -> 2402.04291); None for old-style IDs or none."""
    if identifier and re.fullmatch(r"\d{4}\.\d{4,5}", identifier):
        yymm, number = identifier.split(".")
        return int(yymm) + int(number) / 100000
    return None


def arxiv_yymm(identifier: str) -> tuple[int, int] | None:
    """Year and month encoded in a new-style arXiv ID (``2402.04291`` -> (2024, 2))."""
    m = _NEW_YYMM.match(identifier)
    if not m:
        m = _OLD_YYMM.match(identifier)
        if not m:
            return None
        yy = int(m.group(1))
        return (1900 + yy if yy > 90 else 2000 + yy), int(m.group(2))
    return 2000 + int(m.group(1)), int(m.group(2))


def doi(url: str) -> str | None:
    """The DOI in a doi.org URL or a publisher URL that carries one (``/doi/10.x/y``)."""
    if "doi" not in url.lower():
        return None
    parts = _Parts(url)
    host = (parts.hostname or "").lower()
    if host in ("doi.org", "dx.doi.org", "www.doi.org") or "/doi/" in parts.path:
        m = _DOI.search(parts.path)
        if m:
            return m.group(1).rstrip("/.").lower()
    return None


def openreview_id(url: str) -> str | None:
    """The paper id of an OpenReview forum or pdf URL."""
    if "openreview.net" not in url.lower():
        return None
    parts = _Parts(url)
    if (parts.hostname or "").lower() not in ("openreview.net", "www.openreview.net"):
        return None
    if parts.path.rstrip("/") not in ("/forum", "/pdf"):
        return None
    return _query_id(parts.query)


def _query_id(query: str) -> str | None:
    """``parse_qs(query)["id"][0]``, or None. A lone ``id=value`` with nothing to decode (no
    ``&``, ``%`` or ``+``) is the value as written: ``parse_qs`` costs 6 us a URL, and every
    OpenReview link of a list is read."""
    if query.startswith("id=") and "&" not in query and "%" not in query and "+" not in query:
        return query[3:] or None
    ids = parse_qs(query).get("id")
    return ids[0] if ids else None


def github_repo(url: str) -> str | None:
    """``owner/repo`` of a github.com URL, or None for anything that is not a repository."""
    path = _path_on(url, _GITHUB_PLAIN, "github.com", ("github.com", "www.github.com"))
    if path is None:
        return None
    segs = [s for s in path.split("/") if s]
    if len(segs) < 2 or segs[0].lower() in _GITHUB_RESERVED:
        return None
    return _repo(segs[0], segs[1])


def _repo(owner: str, repo: str) -> str | None:
    if repo.endswith(".git"):
        repo = repo[:-4]
    if not (_github_owner(owner) and _github_name(repo)):
        return None
    return f"{owner}/{repo}"


def _github_owner(owner: str) -> bool:
    """A GitHub owner name, ``[A-Za-z0-9][A-Za-z0-9-]{0,38}`` (string methods: 4x faster than
    the regular expression's fullmatch): an ASCII letter or digit, then up to 38 letters,
    digits and dashes."""
    return 1 <= len(owner) <= 39 and owner.isascii() and owner[0].isalnum() \
        and (len(owner) == 1 or owner[1:].replace("-", "a").isalnum())


def _github_name(name: str) -> bool:
    """A repository name, ``[A-Za-z0-9_.-]{1,100}``: 1-100 ASCII letters, digits, ``_``, ``.``
    and ``-``."""
    return 1 <= len(name) <= 100 and name.isascii() \
        and name.replace("_", "a").replace(".", "a").replace("-", "a").isalnum()


def shields_repo(url: str) -> str | None:
    """``owner/repo`` of a shields.io GitHub stars badge URL (``/github/stars/OWNER/REPO``)."""
    path = _path_on(url, _SHIELDS_PLAIN, "shields.io", ("img.shields.io",))
    if path is None:
        return None
    segs = [s for s in path.split("/") if s]
    if len(segs) >= 4 and segs[0] == "github" and segs[1] == "stars":
        name = _IMAGE_SUFFIX.sub("", segs[3])  # ``/stars/o/r.svg``
        return _repo(segs[2], name)
    return None


def normalize_url(url: str) -> str:
    """A comparison key: scheme, ``www.``, trailing slash and ``index.html`` do not matter."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.lower()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    try:
        port = parts.port
    except ValueError:  # ``:99999`` or ``:abc``: the key keeps what was written
        return url.lower()
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path
    for suffix in ("/index.html", "/index.htm"):
        if path.endswith(suffix):
            path = path[: -len(suffix) + 1]
    path = path.rstrip("/")
    return urlunsplit(("", host, path, parts.query, ""))[2:]


# the identifiers that name a paper, in the order a URL is asked for them
_PAPER_IDS = (("arxiv", arxiv_id), ("doi", doi), ("openreview", openreview_id))


def paper_key(url: str) -> str | None:
    """A key that identifies the paper behind a URL, or None when it names no paper."""
    for kind, fn in _PAPER_IDS:
        value = fn(url)
        if value:
            return f"{kind}:{value}"
    return None


# every ASCII character that is no letter or digit, to a space (``_NON_WORD`` for ASCII text)
_ASCII_NON_WORD = str.maketrans({chr(i): " " for i in range(128) if not chr(i).isalnum()})


def normalize_title(title: str) -> str:
    """Lower-case, punctuation and spacing removed: near-identical titles compare equal."""
    if title.isascii():  # the same words, without the regular expression (1.6x faster)
        return " ".join(title.lower().translate(_ASCII_NON_WORD).split())
    return _NON_WORD.sub(" ", title.lower()).strip()


def names_paper(url: str) -> bool:
    """``paper_key(url)`` is not None, without building the key."""
    for _, fn in _PAPER_IDS:
        if fn(url):
            return True
    return False
