"""The body of the weekly link-rot issue: a chart of recent runs, what is broken, and the
preprints that have been published since (the published rule).

Pure functions over link results; `report_command` fetches and posts. The issue carries the
broken URLs of this report in a hidden marker, so the next report can say what recovered.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from .. import ids
from . import escape
from .fingerprint import REPORT_MARKER

_STATE_RE = re.compile(r"<!-- listkeeper:state=([A-Za-z0-9+/=]*) -->")


@dataclass
class Place:
    path: str
    line: int
    section: str


@dataclass
class Row:
    url: str
    places: list[Place]
    status: int | None = None
    error: str | None = None
    first_seen: str | None = None
    failures: int = 0
    fix: str | None = None  # a certain replacement URL (permanent redirect, renamed repository)
    message: str = ""  # the broken-link rule's finding


@dataclass
class Preprint:
    """An entry the published rule found published: where, what, and the new label."""

    place: Place
    title: str
    venue: str  # "NeurIPS 2024"
    sources: str  # "Semantic Scholar, DBLP"
    label: str | None = None  # the fix: the list's label for the venue


@dataclass
class Report:
    new: list[Row] = field(default_factory=list)
    still: list[Row] = field(default_factory=list)
    unconfirmed: list[Row] = field(default_factory=list)  # failed once: checked again next run
    unverifiable: list[Row] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    fixable: list[Row] = field(default_factory=list)  # moved links with a certain new URL
    notes: list[Row] = field(default_factory=list)  # archived repositories, other papers' titles
    published: list[Preprint] = field(default_factory=list)  # preprints now published

    @property
    def broken(self) -> list[Row]:
        return self.new + self.still


def previous_broken(body: str | None) -> set[str]:
    """The broken URLs a previous report body recorded."""
    match = _STATE_RE.search(body or "")
    if not match:
        return set()
    try:
        data = json.loads(base64.b64decode(match.group(1)).decode())
    except ValueError:
        return set()
    return {u for u in data.get("broken", []) if isinstance(u, str)} if isinstance(data, dict) else set()


STATE_BUDGET = 12_000  # characters of the hidden state marker, within the body's limit


def state_marker(report: Report) -> str:
    """The broken URLs of this report, hidden; as many as fit in STATE_BUDGET characters."""
    urls = sorted(r.url for r in report.broken)
    kept: list[str] = []
    used = 0
    for url in urls:
        used += len(json.dumps(url)) + 2
        if used * 4 // 3 > STATE_BUDGET:
            break
        kept.append(url)
    data = json.dumps({"broken": kept}).encode()
    return f"<!-- listkeeper:state={base64.b64encode(data).decode()} -->"


def places_of(docs: list) -> dict[str, list[Place]]:
    """Every link's places (file, line, section) in the documents."""
    places: dict[str, list[Place]] = {}
    for doc in docs:
        for link in doc.links:
            section = doc.section_at(link.line)
            place = Place(doc.path, link.line, section.path_str if section else "")
            if place not in places.setdefault(link.url, []):
                places[link.url].append(place)
    return places


def build(docs: list, findings: list, results, previous: set[str]) -> Report:
    """The report's groups. What is wrong is what the broken-link rule found (`findings`, from
    the engine, with the rule's options and suppressions); the link results only add the
    details, and what is no finding: unconfirmed failures and unverifiable links."""
    report = Report()
    places = places_of(docs)
    link_at = {(doc.path, link.line, link.column): link for doc in docs for link in doc.links}
    seen: set[tuple[str, str]] = set()
    broken: set[str] = set()
    report.published = preprints(docs, findings)
    for finding in findings:
        if finding.rule != "broken-link":
            continue
        link = link_at.get((finding.path, finding.line, finding.column))
        result = results.get(link.url) if link is not None else None
        if result is None:
            continue
        row = Row(result.url, places.get(result.url, []), result.status, result.error,
                  result.first_broken, result.failures, _new_url(result), finding.message)
        if finding.level == "error":
            group = "broken"
        elif finding.fix is not None or result.verdict == "redirect":
            group = "fixable"
        else:
            group = "notes"
        if (group, result.url) in seen:
            continue
        seen.add((group, result.url))
        if group == "broken":
            broken.add(result.url)
            (report.still if result.url in previous else report.new).append(row)
        elif group == "fixable":
            report.fixable.append(row)
        else:
            report.notes.append(row)
    for result in results.values():
        if result.url in broken:
            continue
        row = Row(result.url, places.get(result.url, []), result.status, result.error,
                  result.first_broken, result.failures)
        if result.unconfirmed:
            report.unconfirmed.append(row)
        elif result.verdict == "unverifiable":
            report.unverifiable.append(row)
    report.recovered = sorted(previous - broken)
    return report


def preprints(docs: list, findings: list) -> list[Preprint]:
    """The published rule's findings, with the entry's title and place."""
    by_path = {doc.path: doc for doc in docs}
    out = []
    for finding in findings:
        doc = by_path.get(finding.path)
        if finding.rule != "published" or doc is None:
            continue
        entry = next((e for e in doc.entries if e.line == finding.line), None)
        section = doc.section_at(finding.line)
        venue, _, sources = finding.message.removeprefix("published at ").partition(": ")
        label = finding.fix.description.removeprefix("label it ") if finding.fix else None
        out.append(Preprint(Place(doc.path, finding.line, section.path_str if section else ""),
                            entry.title if entry else "", venue, sources, label))
    return out


def _new_url(result) -> str | None:
    return result.final_url if result.final_url and result.final_url != result.url else None


def chart(runs: list) -> str:
    """A Mermaid xychart of broken and unverifiable counts over the recorded runs."""
    if not runs:
        return ""
    labels = ", ".join(json.dumps(dt.datetime.fromtimestamp(r.run_time, dt.UTC).strftime("%m-%d"))
                       for r in runs)
    top = max([r.broken for r in runs] + [r.unverifiable for r in runs] + [1])
    return "\n".join([
        "```mermaid", "xychart-beta",
        f'    title "Broken and unverifiable links, last {len(runs)} runs"',
        f"    x-axis [{labels}]", f'    y-axis "links" 0 --> {top}',
        f"    line [{', '.join(str(r.broken) for r in runs)}]",
        f"    line [{', '.join(str(r.unverifiable) for r in runs)}]", "```",
        "_Upper line: broken; lower line: unverifiable._"])


def _where(row: Row) -> str:
    if not row.places:
        return ""
    return "<br>".join(f"{escape.cell_code(f'{p.path}:{p.line}')} {escape.text(p.section)}"
                       for p in row.places[:5])


def _why(row: Row) -> str:
    return escape.text(f"HTTP {row.status}" if row.status else (row.error or ""))


def _fix(row: Row) -> str:
    return f"use {escape.cell_code(row.fix)}" if row.fix else ""


def _more(count: int) -> str:
    return (f"_… and {count:,} more not listed here (GitHub allows 65,536 characters in an "
            "issue); the job summary of this run has the full report._")


def render(report: Report, runs: list, *, today: str | None = None, limit: int = escape.BUDGET) -> str:
    """The issue body; every table is cut to what fits in `limit`, saying how much was left out."""
    today = today or dt.date.today().isoformat()
    out = [REPORT_MARKER, chart(runs), "",
           f"**{len(report.broken)} broken** ({len(report.new)} new), "
           f"{len(report.unconfirmed)} unconfirmed, "
           f"{len(report.unverifiable)} unverifiable, {len(report.recovered)} recovered"
           + (f", {len(report.published)} preprints now published" if report.published else "")
           + f" — report of {today}."]
    marker = "\n\n" + state_marker(report)
    sections: list[tuple[list[str], list[str]]] = []
    if report.new:
        sections.append((["", f"### New broken links ({len(report.new)})", "",
                          "| link | where | why | suggested fix |", "| --- | --- | --- | --- |"],
                         [f"| {escape.cell_code(r.url)} | {_where(r)} | {_why(r)} | {_fix(r)} |"
                          for r in report.new]))
    if report.still:
        sections.append((["", f"### Still broken ({len(report.still)})", "",
                          "| link | where | first seen | failures | why | suggested fix |",
                          "| --- | --- | --- | --- | --- | --- |"],
                         [f"| {escape.cell_code(r.url)} | {_where(r)} | {escape.text(r.first_seen or '')} | "
                          f"{r.failures} | {_why(r)} | {_fix(r)} |" for r in report.still]))
    if report.unconfirmed:
        sections.append((["", f"### Unconfirmed, checked again next run ({len(report.unconfirmed)})", "",
                          "_These links failed once. They are not counted as broken until they fail again "
                          "on a later run._", "",
                          "| link | where | first failure | why |", "| --- | --- | --- | --- |"],
                         [f"| {escape.cell_code(r.url)} | {_where(r)} | {escape.text(r.first_seen or '')} | "
                          f"{_why(r)} |" for r in report.unconfirmed]))
    if report.unverifiable:
        hosts: dict[str, list[Row]] = defaultdict(list)
        for row in report.unverifiable:
            hosts[ids.hostname(row.url) or "?"].append(row)
        sections.append((["", f"### Unverifiable hosts ({len(hosts)})", "",
                          "| host | links | why |", "| --- | --- | --- |"],
                         [f"| {escape.cell_code(host)} | {len(rows)} | {_why(rows[0])} |"
                          for host, rows in sorted(hosts.items())]))
    if report.fixable:
        sections.append((["", f"### Moved links with a certain new address ({len(report.fixable)})", "",
                          "| link | where | new address |", "| --- | --- | --- |"],
                         [f"| {escape.cell_code(r.url)} | {_where(r)} | {escape.cell_code(r.fix or '')} |"
                          for r in report.fixable]))
    if report.notes:
        sections.append((["", f"### Notes ({len(report.notes)})", "", "| link | where | note |",
                          "| --- | --- | --- |"],
                         [f"| {escape.cell_code(r.url)} | {_where(r)} | {escape.text(r.message)} |"
                          for r in report.notes]))
    if report.published:
        sections.append((["", f"### Preprints now published ({len(report.published)})", "",
                          "_Labelled as preprints in the list; the sources name a venue. "
                          "`listkeeper report --fix-pr` relabels them._", "",
                          "| paper | where | published at | found by | new label |",
                          "| --- | --- | --- | --- | --- |"],
                         [f"| {escape.text(p.title[:120])} | {_where(Row('', [p.place]))} | "
                          f"{escape.text(p.venue)} | {escape.text(p.sources)} | "
                          f"{escape.cell_code(p.label) if p.label else ''} |" for p in report.published]))
    if report.recovered:
        sections.append((["", f"### Recovered since the last report ({len(report.recovered)})", ""],
                         [f"- {escape.code(url)}" for url in report.recovered]))
    room = limit - escape.size("\n".join(out)) - escape.size(marker) \
        - sum(escape.size("\n".join(head)) + 1 for head, _ in sections) - 200 * len(sections)
    for head, rows in sections:
        shown, left = escape.take(rows, max(room, 0), _more(10**6))
        out += head + shown + (["", _more(left)] if left else [])
        room -= escape.size("\n".join(shown)) + 1
    return escape.cap("\n".join(out), limit - escape.size(marker)) + marker
