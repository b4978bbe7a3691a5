"""`listkeeper links` output: the broken-link rule's findings, with what could not be judged
(unverifiable links, failures not confirmed yet) beside them; and merging shard JSON reports."""

from __future__ import annotations

import json
from collections.abc import Iterable

from bot.links.results import VERDICTS, LinkResult
from bot.model import Finding

ORDER = {"broken": 0, "soft-404": 0, "unverifiable": 1, "redirect": 2, "ok": 3}
Locations = dict[str, list[tuple[str, list[int]]]]


def summary(results: list[LinkResult]) -> dict:
    out = {"total": len(results)}
    for verdict in VERDICTS:
        out[verdict] = sum(1 for r in results if r.verdict == verdict)
    out["reported_broken"] = sum(1 for r in results if r.reported_broken)
    out["unconfirmed"] = sum(1 for r in results if r.unconfirmed)
    out["archived"] = sum(1 for r in results if r.archived)
    out["title_mismatch"] = sum(1 for r in results if r.title_mismatch)
    return out


def _where(r: LinkResult, locations: Locations | None) -> list[str]:
    places = (locations or {}).get(r.url) or [("", r.lines)]
    return [f"{p}:{ls[0] if ls else '?'}" if p else f"line {ls[0] if ls else '?'}" for p, ls in places]


def _not_judged(results: list[LinkResult]) -> tuple[list[LinkResult], list[LinkResult]]:
    """Links that are no finding: failed once (checked again next run), and unverifiable."""
    ordered = sorted(results, key=lambda r: r.url)
    return [r for r in ordered if r.unconfirmed], [r for r in ordered if r.verdict == "unverifiable"]


def _line(s: dict) -> str:
    return (f"{s['total']} links: {s['ok']} ok, {s['redirect']} redirected, {s['broken']} broken, "
            f"{s['soft-404']} soft 404 ({s['reported_broken']} reported, {s['unconfirmed']} unconfirmed), "
            f"{s['unverifiable']} unverifiable")


def format_text(results: list[LinkResult], locations: Locations | None, findings: list[Finding],
                files: int) -> str:
    from bot.output.sanitize import terminal
    from bot.output.text import render

    out = [render(findings, files).rstrip("\n")]
    unconfirmed, unverifiable = _not_judged(results)
    for r in unconfirmed:
        out.append(f"{', '.join(_where(r, locations))}: {terminal(r.url)}: unconfirmed, checked again "
                   f"next run ({terminal(r.error or r.verdict)})")
    for r in unverifiable:
        out.append(f"{', '.join(_where(r, locations))}: {terminal(r.url)}: unverifiable "
                   f"({terminal(r.error or '')})")
    out.append(_line(summary(results)))
    return "\n".join(out) + "\n"


def to_json(results: list[LinkResult], locations: Locations | None = None,
            findings: list[Finding] | None = None) -> dict:
    from bot.output.json_format import as_dict

    links = []
    for r in results:
        item = r.to_dict()
        if locations and r.url in locations:
            item["locations"] = [{"path": p, "lines": ls} for p, ls in locations[r.url]]
        links.append(item)
    return {"links": links, "findings": [as_dict(f) for f in findings or []], "summary": summary(results)}


def format_json(results: list[LinkResult], locations: Locations | None, findings: list[Finding],
                files: int) -> str:
    return json.dumps(to_json(results, locations, findings), indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def format_markdown(results: list[LinkResult], locations: Locations | None, findings: list[Finding],
                    files: int) -> str:
    """Markdown tables (for issues and PR comments): findings, then what could not be judged."""
    s = summary(results)
    out = ["## Link check", "", _line(s) + ".", ""]
    if findings:
        out += ["| where | level | finding |", "| --- | --- | --- |"]
        out += [f"| {_cell(f'{f.path}:{f.line}')} | {f.level} | {_cell(f.message)} |" for f in findings]
        out.append("")
    unconfirmed, unverifiable = _not_judged(results)
    for title, rows in (("Unconfirmed, checked again next run", unconfirmed), ("Unverifiable", unverifiable)):
        if rows:
            out += [f"### {title}", "", "| where | link | why |", "| --- | --- | --- |"]
            out += [f"| {_cell(', '.join(_where(r, locations)))} | {_cell(r.url)} | {_cell(r.error or '')} |"
                    for r in rows]
            out.append("")
    return "\n".join(out) + "\n"


def merge_reports(payloads: Iterable[dict]) -> tuple[list[LinkResult], Locations]:
    """Combine shard JSON reports: one result per URL (lines and locations united)."""
    merged: dict[str, LinkResult] = {}
    locations: Locations = {}
    for payload in payloads:
        for item in payload.get("links", []):
            result = LinkResult.from_dict(item)
            have = merged.get(result.url)
            if have is None or ORDER.get(result.verdict, 9) < ORDER.get(have.verdict, 9):
                if have is not None:
                    result.lines = sorted(set(result.lines) | set(have.lines))
                merged[result.url] = result
            else:
                have.lines = sorted(set(result.lines) | set(have.lines))
            for loc in item.get("locations", []):
                place = (loc["path"], loc["lines"])
                if place not in locations.setdefault(result.url, []):
                    locations[result.url].append(place)
    return list(merged.values()), locations


FORMATTERS = {"text": format_text, "json": format_json, "markdown": format_markdown}
