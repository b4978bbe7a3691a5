"""Formatting link results as text, JSON or Markdown, and merging shard JSON reports."""

from __future__ import annotations

import json
from collections.abc import Iterable

from bot.links.results import VERDICTS, LinkResult

ORDER = {"broken": 0, "unverifiable": 1, "redirect": 2, "ok": 3}


def summary(results: list[LinkResult]) -> dict:
    out = {"total": len(results)}
    for verdict in VERDICTS:
        out[verdict] = sum(1 for r in results if r.verdict == verdict)
    out["reported_broken"] = sum(1 for r in results if r.reported_broken)
    out["archived"] = sum(1 for r in results if r.archived)
    out["title_mismatch"] = sum(1 for r in results if r.title_mismatch)
    return out


def _describe(r: LinkResult) -> str:
    parts = [r.verdict if r.verdict != "broken" or r.reported_broken else "broken (not yet reported)"]
    if r.final_url:
        parts.append(f"-> {r.final_url}")
    if r.error:
        parts.append(f"({r.error})")
    if r.archived:
        parts.append("[archived repository]")
    if r.title_mismatch:
        parts.append(f"[arXiv title: {r.title_mismatch!r}]")
    if r.failures > 1:
        parts.append(f"[failing {r.failures} runs since {r.first_broken}]")
    return " ".join(parts)


def _needs_mention(r: LinkResult) -> bool:
    return r.verdict != "ok" or r.archived or bool(r.title_mismatch)


def format_text(results: list[LinkResult], locations: dict[str, list[tuple[str, list[int]]]] | None = None,
                ) -> str:
    """One line per link that needs attention, then a summary line."""
    lines = []
    for r in sorted(results, key=lambda r: (ORDER[r.verdict], r.url)):
        if not _needs_mention(r):
            continue
        for path, where in (locations or {}).get(r.url, [("", r.lines)]):
            first = where[0] if where else 0
            prefix = f"{path}:{first}: " if path else (f"line {first}: " if first else "")
            lines.append(f"{prefix}{r.url}: {_describe(r)}")
    s = summary(results)
    lines.append(f"{s['total']} links: {s['ok']} ok, {s['redirect']} redirected, {s['broken']} broken "
                 f"({s['reported_broken']} reported), {s['unverifiable']} unverifiable")
    return "\n".join(lines) + "\n"


def to_json(results: list[LinkResult], locations: dict | None = None) -> dict:
    links = []
    for r in results:
        item = r.to_dict()
        if locations and r.url in locations:
            item["locations"] = [{"path": p, "lines": ls} for p, ls in locations[r.url]]
        links.append(item)
    return {"links": links, "summary": summary(results)}


def format_json(results: list[LinkResult], locations: dict | None = None) -> str:
    return json.dumps(to_json(results, locations), indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def format_markdown(results: list[LinkResult], locations: dict | None = None) -> str:
    """A Markdown table of the links that need attention (for issues and PR comments)."""
    s = summary(results)
    out = ["## Link check", "",
           (f"{s['total']} links: **{s['reported_broken']} broken**, {s['redirect']} redirected, "
           f"{s['unverifiable']} unverifiable, {s['ok']} ok."), ""]
    rows = [r for r in sorted(results, key=lambda r: (ORDER[r.verdict], r.url)) if _needs_mention(r)]
    if rows:
        out += ["| where | link | verdict | details |", "| --- | --- | --- | --- |"]
        for r in rows:
            where = ", ".join(f"{p}:{ls[0] if ls else '?'}" for p, ls in (locations or {}).get(r.url, []))
            where = where or ", ".join(str(n) for n in r.lines)
            details = []
            if r.final_url:
                details.append(f"now {r.final_url}")
            if r.error:
                details.append(r.error)
            if r.archived:
                details.append("archived")
            if r.title_mismatch:
                details.append(f"arXiv title: {r.title_mismatch}")
            verdict = r.verdict if r.verdict != "broken" or r.reported_broken else "broken (flapping?)"
            out.append(f"| {_cell(where)} | {_cell(r.url)} | {verdict} | {_cell('; '.join(details))} |")
        out.append("")
    return "\n".join(out) + "\n"


def merge_reports(payloads: Iterable[dict]) -> tuple[list[LinkResult], dict]:
    """Combine shard JSON reports: one result per URL (lines and locations united)."""
    merged: dict[str, LinkResult] = {}
    locations: dict[str, list[tuple[str, list[int]]]] = {}
    for payload in payloads:
        for item in payload.get("links", []):
            result = LinkResult.from_dict(item)
            have = merged.get(result.url)
            if have is None or ORDER[result.verdict] < ORDER[have.verdict]:
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
