"""A link that is broken, moved, archived or points to another paper (needs the network).

This rule runs only when links are checked: ``listkeeper check --links``, ``listkeeper links``
and the PR reviewer (new and changed links only). It reports the verdicts of the link checker
(``bot.links``): HEAD/GET checks that are polite per host, arXiv links through the arXiv API,
GitHub repositories through the GitHub API, DOIs as registered handles.

- ``broken`` (404, 410, DNS failure, refused connection, TLS error, missing repository): an
  error. In a full run a link counts as broken only after it failed in several consecutive
  runs (flap suppression, see ``links:`` in ``rules.yaml``); in a PR it counts at once.
- a permanent redirect or a renamed GitHub repository: a warning whose fix is the new URL
  (for a renamed repository, in both the code link and its stars badge).
- an archived repository: an info finding.
- an arXiv link whose title, by the arXiv API, clearly differs from the entry's title: a
  warning (the link probably points to another paper).
- a soft 404 (a deep link that leads to the site's front page or to a search page, or a link
  to a dead service whose links all lead to one page elsewhere): an error naming the page it
  leads to, under the same flap rule as ``broken``.
- a server error (5xx) that persists after retries is ``unverifiable`` at first, and broken
  only through the flap rule.
- ``unverifiable`` links (timeouts, hosts that block bots) are never findings; a malformed URL
  (``http://[oops]/x``) is broken at once.

``listkeeper fix`` never runs this rule (it needs the network): the new URLs of redirects and
renamed repositories reach the list through the PR review's suggestions and the weekly report's
fix PR (``report --fix-pr``).

Options:

- ``report_redirects`` (default ``true``): report permanent redirects and renamed repositories.
- ``report_archived`` (default ``true``): report archived repositories (info).
- ``report_title_mismatch`` (default ``true``): report arXiv links titled unlike the entry.

BAD::

    - [[ArXiv](https://arxiv.org/abs/2402.04291)] A Title That Is Not BiLLM's [[code](https://github.com/deleted/repo)]

GOOD::

    - [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training Quantization for LLMs
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import ids
from ..model import Document, Edit, Fix, Problem

ID = "broken-link"
LEVEL = "error"
ENABLED = True
FIXABLE = False
ONLINE = True
OPTIONS = {
    "report_redirects": (bool, True),
    "report_archived": (bool, True),
    "report_title_mismatch": (bool, True),
}


def check(doc: Document, ctx) -> Iterator[Problem]:
    results = ctx.links  # checked by the front-end (bot.links.service): the rule does no I/O
    if results is None:
        return
    opts = ctx.options
    badges_by_repo: dict[str, list] = {}
    for entry in doc.entries:
        for badge in entry.badges:
            repo = ids.shields_repo(badge.image_url)
            if repo:
                badges_by_repo.setdefault(repo.lower(), []).append(badge)
    for link in doc.links:
        result = results.get(link.url)
        if result is None or link.kind == "image" and ids.shields_repo(link.url):
            continue
        where = (link.line, link.column)
        if result.verdict == "soft-404" and result.reported_broken:
            yield Problem(*where, f"soft 404: {link.url} leads to {result.final_url} "
                                  f"({result.error or 'not the page it names'})")
        elif result.verdict == "broken" and result.reported_broken:
            detail = f"HTTP {result.status}" if result.status else (result.error or "broken")
            yield Problem(*where, f"broken link {link.url} ({detail})")
        elif result.verdict == "redirect" and opts["report_redirects"]:
            yield _moved(doc, link, result, badges_by_repo)
        if result.archived and opts["report_archived"]:
            yield Problem(*where, f"repository {ids.github_repo(link.url)} is archived",
                          level="info")
        if result.title_mismatch and opts["report_title_mismatch"]:
            yield Problem(*where, f"{link.url} is titled '{result.title_mismatch}' on arXiv, "
                                  f"not the entry's title", level="warning")


def _moved(doc: Document, link, result, badges_by_repo: dict[str, list]) -> Problem:
    """A permanent redirect or a renamed repository, with the new URL as the fix.

    A reference link's span is its label: its fix is on the definition, which is a link too.
    """
    fix = None
    if result.new_repo:
        old_repo = ids.github_repo(link.url)
        edits = []
        if old_repo and link.kind != "reference":
            new_url = link.url.replace(old_repo, result.new_repo, 1)
            edits.append(Edit(link.start, link.end, new_url))
            in_badge = re.compile(re.escape(old_repo), re.I)  # badges may differ in case
            for badge in badges_by_repo.get(old_repo.lower(), []):
                m = in_badge.search(doc.text, badge.start, badge.end) \
                    if badge.line == link.line else None
                if m:
                    edits.append(Edit(m.start(), m.end(), result.new_repo))
        replaced = tuple(doc.text[e.start:e.end] for e in edits[:1]) + tuple(
            b.image_url for b in badges_by_repo.get((old_repo or "").lower(), [])
            if b.line == link.line)
        fix = Fix(tuple(edits), "use the repository's new name",
                  removes_links=replaced) if edits else None
        message = f"repository {old_repo} was renamed to {result.new_repo}"
    else:
        if result.final_url and link.kind != "reference":
            fix = Fix((Edit(link.start, link.end, result.final_url),),
                      "use the redirect's target", removes_links=(link.url,))
        message = f"{link.url} moved permanently to {result.final_url}"
    return Problem(link.line, link.column, message, fix, level="warning")
