"""Which lines of a pull request file GitHub accepts line comments on, from its `patch`.

GitHub only takes review comments on lines that appear in the diff: on the RIGHT side those
are added and context lines, and a multi-line comment must start in the same hunk it ends in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class FileDiff:
    """The RIGHT-side lines of one file's patch, grouped by hunk."""

    path: str
    hunks: tuple[frozenset[int], ...]
    added: frozenset[int]

    @property
    def commentable(self) -> frozenset[int]:
        return frozenset().union(*self.hunks) if self.hunks else frozenset()

    def hunk_of(self, line: int) -> int | None:
        """Index of the hunk that shows `line` on the RIGHT side, or None."""
        for index, lines in enumerate(self.hunks):
            if line in lines:
                return index
        return None

    def can_comment(self, first: int, last: int) -> bool:
        """True when a comment may span `first..last` (both shown, in one hunk)."""
        hunk = self.hunk_of(last)
        return hunk is not None and self.hunk_of(first) == hunk and first <= last


def parse_patch(path: str, patch: str) -> FileDiff:
    """Read the hunks of a unified diff `patch` (as in GET /pulls/{n}/files)."""
    hunks: list[frozenset[int]] = []
    added: set[int] = set()
    current: set[int] | None = None
    right = 0
    for raw in patch.split("\n"):
        header = HUNK_HEADER.match(raw)
        if header:
            if current is not None:
                hunks.append(frozenset(current))
            current = set()
            right = int(header.group(3))
            continue
        if current is None or raw.startswith("\\"):
            continue  # text before the first hunk; "\ No newline at end of file"
        if raw.startswith("+"):
            current.add(right)
            added.add(right)
            right += 1
        elif raw.startswith(" "):
            current.add(right)
            right += 1
        # "-" lines exist only on the LEFT side.
    if current is not None:
        hunks.append(frozenset(current))
    return FileDiff(path, tuple(hunks), frozenset(added))
