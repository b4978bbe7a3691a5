"""A GitHub stars badge that is malformed, names another repository, or is missing.

A stars badge is ``![GitHub Repo stars](https://img.shields.io/github/stars/OWNER/REPO)``,
placed right after the entry's GitHub code link, separated from it by ``separator``. Its
``OWNER/REPO`` must be the code link's repository (case does not matter): a mismatch is an
error whose fix rewrites the badge from the code link, and a badge in an entry without a GitHub
code link is an error. With ``require_stars_badge`` a GitHub code link without a badge is a
warning whose fix inserts the badge (in diff-aware mode: new entries must carry one).

With ``awesome_badge`` the H1 must carry the official awesome badge
``[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)``.

Options:

- ``require_stars_badge`` (default ``false``; the seed's ``rules.yaml`` sets ``true``).
- ``separator`` (default ``" "``): the text between the code link and the badge.
- ``alt`` (default ``GitHub Repo stars``): the badge's alt text.
- ``allow_query`` (default ``true``): allow shields.io options (``?style=social``).
- ``awesome_badge`` (default ``false``).
- ``link`` (default ``false``) and ``query`` (default empty, e.g. ``?style=social``): how an
  inserted badge is written (wrapped in a link to the repository; the shields options).
- ``any_separator`` (default ``false``): the list puts badges after code links in several ways;
  the text between them is not checked.
- ``normalize`` (default ``true``): rewrite a badge of the right repository to
  ``![alt](https://img.shields.io/github/stars/OWNER/REPO)``; off for lists that write badges
  their own ways.
- ``since`` (default ``0``: always): a year. The list adopted badges then (``listkeeper init``
  finds it): entries from that year on need one; on the whole list the older entries without
  one are one ``info`` note that names them (its fix, asked for with ``--rule``, adds all their
  badges), and in diff-aware mode every new entry needs one.

BAD::

    - [[ArXiv](https://arxiv.org/abs/2402.05445)] IR-QLoRA [[code](https://github.com/htqin/IR-QLoRA)]![stars](https://img.shields.io/github/stars/htqin/BiLLM)

GOOD::

    - [[ArXiv](https://arxiv.org/abs/2402.05445)] IR-QLoRA [[code](https://github.com/htqin/IR-QLoRA)] ![GitHub Repo stars](https://img.shields.io/github/stars/htqin/IR-QLoRA)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import ids, years
from ..model import Badge, Document, Edit, Entry, Fix, Problem

ID = "badge-format"
LEVEL = "error"
ENABLED = True
FIXABLE = True
ONLINE = False
OPTIONS = {
    "require_stars_badge": (bool, False),
    "separator": (str, " "),
    "alt": (str, "GitHub Repo stars"),
    "allow_query": (bool, True),
    "awesome_badge": (bool, False),
    "since": (int, 0),
    "any_separator": (bool, False),
    "link": (bool, False),
    "query": (str, ""),
    "normalize": (bool, True),
}

STARS = "https://img.shields.io/github/stars/{repo}"
AWESOME = "[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)"
_AWESOME_ANY = re.compile(r"\[!\[[^\[\]]*\]\((?P<img>[^)\s]*(?:awesome\.re/badge|sindresorhus/"
                          r"awesome/[^)\s]*/media/badge)[^)\s]*)\)\]\([^)\s]*\)"
                          r"|!\[[^\[\]]*\]\([^)\s]*(?:awesome\.re/badge|sindresorhus/awesome/"
                          r"[^)\s]*/media/badge)[^)\s]*\)")


HAND_STARS = re.compile(r"\[\s*\d[\d,.]*k?\s*(?::star:|⭐|★|stars?)\s*\]", re.I)


def has_star_count(entry: Entry) -> bool:
    """A stars badge, or the star count some lists write by hand (``[721⭐]``, ``[31:star:]``)."""
    return any(is_stars(b) for b in entry.badges) or bool(HAND_STARS.search(entry.raw))


def is_stars(badge: Badge) -> bool:
    return "/github/stars/" in badge.image_url and "shields.io" in badge.image_url


def section_year_of(entry: Entry) -> int | None:
    """The year of the nearest enclosing heading that is a year (``### 2024``)."""
    section = entry.section
    while section is not None:
        title = section.title.strip()
        if len(title) == 4 and title.isdigit():
            return int(title)
        section = section.parent
    return None


def badge_markup(repo: str, opts: dict, query: str | None = None) -> str:
    """The badge as this list writes one: its alt text, its shields options, maybe in a link."""
    query = opts.get("query", "") if query is None else query
    image = f"![{opts['alt']}]({STARS.format(repo=repo)}{query})"
    return f"[{image}](https://github.com/{repo})" if opts.get("link") else image


def _code_end(doc: Document, entry: Entry) -> int:
    """Offset just past the code link, including a wrapping ``]`` (``[[code](url)]``)."""
    link = entry.code_link
    end = link.construct_end if link.construct_end >= 0 else link.end
    if doc.text[end:end + 1] == "]":
        end += 1
    return end


def check(doc: Document, ctx) -> Iterator[Problem]:
    opts = ctx.options
    if opts["awesome_badge"]:
        yield from _check_awesome(doc)
    older: list[tuple[Entry, Edit]] = []  # entries from before the list adopted badges
    for entry in doc.entries:
        stars = [b for b in entry.badges if is_stars(b)]
        repo = entry.code_repo if entry.code_link is not None else None
        for badge in stars:
            yield from _check_badge(doc, entry, badge, _owner(entry, badge) or repo, opts)
        if not stars and repo and opts["require_stars_badge"] and entry.depth == 0 \
                and not HAND_STARS.search(entry.raw) \
                and entry.code_link is not entry.paper_link and entry.kind == "item":
            at = _code_end(doc, entry)
            edit = Edit(at, at, opts["separator"] + badge_markup(repo, opts))
            if opts["since"] and ctx.changed is None:
                year = section_year_of(entry) or years.paper_year(entry)
                if year is not None and year < opts["since"]:
                    older.append((entry, edit))
                    continue
            yield Problem(entry.line, doc.column_of(at),
                          f"code link to {repo} has no stars badge",
                          Fix((edit,), "add the stars badge", sweeping=True), level="warning")
    if older:
        # one note for the whole backlog, not one per entry that was right for its time
        first, edit = older[0]
        lines = ", ".join(str(e.line) for e, _ in older[:8]) + (", ..." if len(older) > 8 else "")
        yield Problem(first.line, doc.column_of(edit.start),
                      f"{len(older)} entr{'y' if len(older) == 1 else 'ies'} from before "
                      f"{opts['since']}, when the list adopted stars badges, "
                      f"ha{'s' if len(older) == 1 else 've'} a code link and no badge "
                      f"(lines {lines}); `listkeeper fix --rule badge-format` adds them",
                      Fix(tuple(e for _, e in older), "add the stars badges", sweeping=True),
                      level="info", related=tuple(e.line for e, _ in older[1:]))


def _owner(entry: Entry, badge: Badge) -> str | None:
    """The repository a badge belongs to: the link wrapped around it, else the nearest GitHub
    link before it in the entry (an entry may list a second repository with its own badge)."""
    if badge.link_url:
        repo = ids.github_repo(badge.link_url)
        if repo:
            return repo
    for link in reversed(_links_before(entry, badge)):
        repo = entry.code_repo if link is entry.code_link else ids.github_repo(link.url)
        if repo:
            return repo
    return None


def _links_before(entry: Entry, badge: Badge) -> list:
    """The entry's links that end before the badge starts, in order (not images, not definitions)."""
    return [lk for lk in entry.links if lk.kind not in ("image", "definition")
            and lk.construct_end <= badge.start]


def _beside_a_link(doc: Document, entry: Entry, badge: Badge) -> bool:
    """A badge right after a link that is not the paper's (``[[transformers]](docs page) ![]``):
    it shows the stars of what that link points to."""
    papers = {id(link) for link in entry.paper_links}
    before = _links_before(entry, badge)
    return bool(before) and id(before[-1]) not in papers \
        and not doc.text[before[-1].construct_end:badge.start].strip()


def _check_badge(doc: Document, entry: Entry, badge: Badge, repo: str | None,
                 opts: dict) -> Iterator[Problem]:
    column = doc.column_of(badge.start)
    shown = ids.shields_repo(badge.image_url)
    if repo is None:
        if entry.code_link is None and not _beside_a_link(doc, entry, badge):  # no code link at all
            yield Problem(badge.line, column, f"stars badge for {shown} but the entry has no "
                                              f"GitHub code link")
        return  # a code link elsewhere (a docs page, a project site): nothing to compare
    image_query = ids.url_parts(badge.image_url).query if "?" in badge.image_url else ""
    query = f"?{image_query}" if image_query and opts["allow_query"] else ""
    current = doc.text[badge.start:badge.end]
    # the gap between the code link and the badge: rewritten together with the badge
    # a badge may belong to a repository link that is not the entry's code link (or to none)
    code_end = _code_end(doc, entry) if entry.code_link is not None else None
    gap_ok = True
    start = badge.start
    if opts["require_stars_badge"] and not opts["any_separator"] and code_end is not None \
            and code_end <= badge.start \
            and badge.line == doc.line_of(code_end):  # spacing is a convention of badge lists
        gap = doc.text[code_end:badge.start]
        if not gap.strip() and gap != opts["separator"]:
            gap_ok, start = False, code_end
    prefix = "" if gap_ok else opts["separator"]
    if shown is None or shown.lower() != repo.lower():
        message = f"stars badge names {shown}, but the code link is {repo}"
        image_at = doc.text.find(badge.image_url, badge.start, badge.end)
        if badge.link_url is not None and image_at != -1:
            # a badge wrapped in a link: rewrite only its image URL and keep the link
            fix = Fix((Edit(image_at, image_at + len(badge.image_url),
                            STARS.format(repo=repo) + query),),
                      "point the badge at the code link's repository",
                      removes_links=(badge.image_url,))
        else:
            fix = Fix((Edit(start, badge.end, prefix + badge_markup(repo, opts, query)),),
                      "rewrite the badge", removes_links=(badge.image_url,))
        yield Problem(badge.line, column, message, fix)
        return
    wanted = badge_markup(shown, opts, query)
    if current != wanted and badge.link_url is None and opts["normalize"]:
        yield Problem(badge.line, column, f"stars badge should be written {wanted}",
                      Fix((Edit(start, badge.end, prefix + wanted),), "rewrite the badge",
                          removes_links=(badge.image_url,)), level="warning")
    elif not gap_ok:
        yield Problem(badge.line, column,
                      f"separate the stars badge from the code link with {opts['separator']!r}",
                      Fix((Edit(start, badge.start, opts["separator"]),), "separate the badge"),
                      level="warning")


def _check_awesome(doc: Document) -> Iterator[Problem]:
    h1 = next((s for s in doc.sections if s.level == 1), None)
    if h1 is None:
        return
    text = doc.line_text(h1.line)
    start = doc.line_starts[h1.line - 1]
    m = _AWESOME_ANY.search(text)
    if m is None:
        end = start + len(text)
        yield Problem(h1.line, len(text) + 1, f"the title should carry the awesome badge {AWESOME}",
                      Fix((Edit(end, end, " " + AWESOME),), "add the awesome badge"))
    elif m.group(0) != AWESOME:
        yield Problem(h1.line, m.start() + 1, f"use the official awesome badge {AWESOME}",
                      Fix((Edit(start + m.start(), start + m.end(), AWESOME),),
                          "use the official badge",
                          removes_links=tuple(re.findall(r"\]\(([^)\s]+)\)", m.group(0)))))
