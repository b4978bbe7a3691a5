"""Which lines a change touched: from two texts, a git revision, or explicit ranges."""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import tempfile

from .errors import InputError


def changed_lines(old_text: str, new_text: str) -> set[int]:
    """1-based lines of ``new_text`` that were added or modified relative to ``old_text``."""
    old = old_text.splitlines()
    new = new_text.splitlines()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    changed: set[int] = set()
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            changed.update(range(j1 + 1, j2 + 1))
    return changed


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


def git_changed_lines(old_text: str, new_text: str) -> set[int]:
    """1-based lines of ``new_text`` that ``git diff`` marks as added, as GitHub shows a change.

    git aligns repeated lines (blank lines, identical table rows) differently from difflib,
    so this is what diff-aware checks use; ``changed_lines`` stays for callers that only
    need some alignment (the fixer carrying changed lines over its own edits).
    """
    if old_text == new_text:
        return set()
    with tempfile.TemporaryDirectory(prefix="listkeeper-diff-") as tmp:
        old_path, new_path = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        for name, text in ((old_path, old_text), (new_path, new_text)):
            with open(name, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        try:
            result = subprocess.run(
                ["git", "-c", "core.quotepath=off", "diff", "--no-index", "--no-color", "--no-ext-diff",
                 "--no-textconv", "-U0", old_path, new_path],
                cwd=tmp, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as exc:
            raise InputError(f"cannot run git diff: {exc}") from None
    if result.returncode not in (0, 1):
        raise InputError("git diff failed: " + result.stderr.decode("utf-8", "replace").strip()[:200])
    changed: set[int] = set()
    for match in _HUNK.finditer(result.stdout.decode("utf-8", "replace")):
        start, count = int(match.group(1)), int(match.group(2) or 1)
        changed.update(range(start, start + count))
    return changed


def changed_since(rev: str, path: str, text: str) -> set[int]:
    """Lines of ``text`` (the file at ``path`` now) that ``git diff REV`` marks as added."""
    return git_changed_lines(git_show(rev, path), text)


def parse_ranges(spec: str) -> set[int]:
    """``"10-12,40"`` -> {10, 11, 12, 40}."""
    lines: set[int] = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        try:
            if "-" in part:
                a, b = (int(x) for x in part.split("-", 1))
                if a < 1 or b < a:
                    raise ValueError
                lines.update(range(a, b + 1))
            else:
                n = int(part)
                if n < 1:
                    raise ValueError
                lines.add(n)
        except ValueError:
            raise InputError(f"bad line range '{part}' (expected N or N-M)") from None
    return lines


def git_show(rev: str, path: str) -> str:
    """The text of ``path`` at git revision ``rev`` ('' when the file did not exist there)."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    try:
        root = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=directory,
                              capture_output=True, text=True, timeout=30, check=True).stdout.strip()
        subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=root,
                       capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        raise InputError(f"cannot resolve git revision '{rev}'", path) from None
    rel = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    result = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=root, capture_output=True,
                            timeout=30)
    if result.returncode != 0:
        return ""
    from .listfile import decode_list

    return decode_list(result.stdout, path, where=f"at revision {rev}")[0]
