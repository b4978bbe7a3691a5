"""Find regular expressions that backtrack catastrophically, before they run.

Python's ``re`` backtracks: a repetition whose body can match the same text in more than one way
(``(\\w+\\s?)+$``, ``(a|a)*``, ``(\\s*-\\s*)*#``) tries exponentially many ways on a line that
almost matches. ``catastrophic(pattern)`` looks at the parsed pattern for the shapes that do
this and says why, so ``rules.yaml`` can refuse such a pattern when it loads (with file, line
and key) instead of hanging a check on a 40-character title. The test suite runs it on every
pattern of the package too.

The shapes (``R`` is a repetition that may match more than once, not possessive or atomic):

- inside ``R``, a repetition that can end an iteration can also eat the first character of the
  next one (``(\\w+\\s?)+``, ``(a+)+``, ``(\\d+,?)*``), or one that can start an iteration can
  eat the last character of the previous one;
- inside ``R``, two alternatives that match the same single character (``(a|a)*``,
  ``(\\w|\\d)+``).

Characters are compared on a sample alphabet (ASCII and a few non-ASCII letters, spaces and
symbols), which is enough to see that two classes overlap.
"""

from __future__ import annotations

import re
from functools import cache

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _p
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_ALPHABET = [chr(i) for i in range(128)] + list("éßÆ\u00a0\u2003\u3000中—’“😀")
_ALL = frozenset(range(len(_ALPHABET)))
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
_CATEGORY_PATTERNS = {
    _c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D", _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S", _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W",
    _c.CATEGORY_LINEBREAK: r"\n", _c.CATEGORY_NOT_LINEBREAK: r"[^\n]",
}


@cache
def _category(code) -> frozenset[int]:
    pattern = re.compile(_CATEGORY_PATTERNS.get(code, r"[\s\S]"))
    return frozenset(i for i, ch in enumerate(_ALPHABET) if pattern.fullmatch(ch))


def _chars(value: int, ignore_case: bool) -> frozenset[int]:
    ch = chr(value)
    forms = {ch, ch.lower(), ch.upper()} if ignore_case else {ch}
    return frozenset(i for i, c in enumerate(_ALPHABET) if c in forms)


class _Analysis:
    def __init__(self, flags: int) -> None:
        self.ignore_case = bool(flags & re.IGNORECASE)
        self.dotall = bool(flags & re.DOTALL)

    def _forms(self, ch: str) -> list[str]:
        if not self.ignore_case:
            return [ch]
        return [f for f in (ch, ch.lower(), ch.upper()) if len(f) == 1]

    # one-character classes ------------------------------------------------------------------
    def charset(self, op, av) -> frozenset[int] | None:
        """The sample characters one single-character item matches, or None if not one."""
        if op is _c.LITERAL:
            return _chars(av, self.ignore_case)
        if op is _c.NOT_LITERAL:
            return _ALL - _chars(av, self.ignore_case)
        if op is _c.ANY:
            return _ALL if self.dotall else _ALL - _chars(10, False)
        if op is _c.IN:
            found: set[int] = set()
            negate = False
            for item_op, item_av in av:
                if item_op is _c.NEGATE:
                    negate = True
                elif item_op is _c.LITERAL:
                    found |= _chars(item_av, self.ignore_case)
                elif item_op is _c.RANGE:
                    lo, hi = item_av
                    found |= {i for i, ch in enumerate(_ALPHABET)
                              if any(lo <= ord(form) <= hi for form in self._forms(ch))}
                elif item_op is _c.CATEGORY:
                    found |= _category(item_av)
                else:
                    found |= _ALL  # unknown: assume it overlaps everything
            return _ALL - frozenset(found) if negate else frozenset(found)
        return None

    # properties of sequences -----------------------------------------------------------------
    def nullable(self, seq) -> bool:
        return all(self._nullable_item(op, av) for op, av in seq)

    def _nullable_item(self, op, av) -> bool:
        if self.charset(op, av) is not None:
            return False
        if op in _REPEATS or op is _c.POSSESSIVE_REPEAT:
            return av[0] == 0 or self.nullable(av[2])
        if op is _c.SUBPATTERN:
            return self.nullable(av[3])
        if op is _c.ATOMIC_GROUP:
            return self.nullable(av)
        if op is _c.BRANCH:
            return any(self.nullable(branch) for branch in av[1])
        if op is _c.GROUPREF_EXISTS:
            return True
        return True  # AT, ASSERT, ASSERT_NOT, GROUPREF: zero width (a backreference may be)

    def edge(self, seq, last: bool) -> frozenset[int]:
        """The characters that can start (or, with ``last``, end) a non-empty match."""
        out: frozenset[int] = frozenset()
        for op, av in (reversed(seq) if last else seq):
            out |= self._edge_item(op, av, last)
            if not self._nullable_item(op, av):
                break
        return out

    def _edge_item(self, op, av, last: bool) -> frozenset[int]:
        chars = self.charset(op, av)
        if chars is not None:
            return chars
        if op in _REPEATS or op is _c.POSSESSIVE_REPEAT:
            return self.edge(av[2], last) if av[1] else frozenset()
        if op is _c.SUBPATTERN:
            return self.edge(av[3], last)
        if op is _c.ATOMIC_GROUP:
            return self.edge(av, last)
        if op is _c.BRANCH:
            return frozenset().union(*(self.edge(b, last) for b in av[1]))
        if op is _c.GROUPREF_EXISTS:
            return frozenset().union(*(self.edge(b, last) for b in av[1:] if b is not None))
        if op is _c.GROUPREF:
            return _ALL
        return frozenset()

    def eaten(self, seq) -> frozenset[int]:
        """Every character some match of ``seq`` can contain."""
        out: frozenset[int] = frozenset()
        for op, av in seq:
            chars = self.charset(op, av)
            if chars is not None:
                out |= chars
            elif op in _REPEATS or op is _c.POSSESSIVE_REPEAT:
                out |= self.eaten(av[2])
            elif op is _c.SUBPATTERN:
                out |= self.eaten(av[3])
            elif op is _c.ATOMIC_GROUP:
                out |= self.eaten(av)
            elif op is _c.BRANCH:
                for branch in av[1]:
                    out |= self.eaten(branch)
            elif op is _c.GROUPREF:
                out |= _ALL
        return out

    def boundary_repeats(self, seq, last: bool) -> list:
        """Backtracking repetitions (that may match twice or more) which can end (``last``) or
        start the match of ``seq``."""
        out = []
        for op, av in (reversed(seq) if last else seq):
            if op in _REPEATS:
                if av[1] is _c.MAXREPEAT or av[1] > 1:
                    out.append(av)
                out += self.boundary_repeats(av[2], last)
            elif op is _c.SUBPATTERN:
                out += self.boundary_repeats(av[3], last)
            elif op is _c.BRANCH:
                for branch in av[1]:
                    out += self.boundary_repeats(branch, last)
            if not self._nullable_item(op, av):
                break
        return out

    # the search ------------------------------------------------------------------------------
    def problems(self, seq, path: str = "") -> list[str]:
        found: list[str] = []
        for op, av in seq:
            if op in _REPEATS:
                if av[1] is _c.MAXREPEAT or av[1] > 1:
                    found += self._ambiguous_body(av[2])
                found += self.problems(av[2])
            elif op is _c.SUBPATTERN:
                found += self.problems(av[3])
            elif op is _c.BRANCH:
                for branch in av[1]:
                    found += self.problems(branch)
            elif op in (_c.ASSERT, _c.ASSERT_NOT):
                found += self.problems(av[1])
            elif op is _c.GROUPREF_EXISTS:
                for branch in av[1:]:
                    if branch is not None:
                        found += self.problems(branch)
            # ATOMIC_GROUP and POSSESSIVE_REPEAT never backtrack into themselves
        return found

    def _ambiguous_body(self, body) -> list[str]:
        first, last = self.edge(body, False), self.edge(body, True)
        for inner in self.boundary_repeats(body, last=True):
            if self.eaten(inner[2]) & first:
                return ["a repetition inside a repetition can match the same characters in "
                        "more than one way (nested quantifiers, like (\\w+\\s?)+)"]
        for inner in self.boundary_repeats(body, last=False):
            if self.eaten(inner[2]) & last:
                return ["a repetition inside a repetition can match the same characters in "
                        "more than one way (nested quantifiers, like (\\s?\\w+)+)"]
        for _op, av in self._branches(body):
            if sum(self.nullable(branch) for branch in av[1]) > 1:
                return ["two alternatives inside a repetition match the same text "
                        "(like (a|a)*)"]
            singles = [self._single(branch) for branch in av[1]]
            seen: frozenset[int] = frozenset()
            for chars in singles:
                if chars is not None:
                    if chars & seen:
                        return ["two alternatives inside a repetition match the same character "
                                "(like (a|a)* or (\\w|\\d)+)"]
                    seen |= chars
        return []

    def _branches(self, seq):
        for op, av in seq:
            if op is _c.BRANCH:
                yield op, av
            elif op is _c.SUBPATTERN:
                yield from self._branches(av[3])

    def _single(self, branch) -> frozenset[int] | None:
        """The characters of a branch that is one character (possibly in a group), else None."""
        if len(branch) != 1:
            return None
        op, av = branch[0]
        chars = self.charset(op, av)
        if chars is not None:
            return chars
        if op is _c.SUBPATTERN:
            return self._single(av[3])
        return None


def catastrophic(pattern: str | re.Pattern[str]) -> str | None:
    """Why ``pattern`` can backtrack exponentially, or None when it cannot (as far as the
    shapes above tell). A pattern that does not compile is the caller's to report."""
    source, flags = (pattern.pattern, pattern.flags) if isinstance(pattern, re.Pattern) \
        else (pattern, 0)
    try:
        parsed = _p.parse(source, flags)
    except (re.error, OverflowError, RecursionError):
        return None
    analysis = _Analysis(parsed.state.flags)
    found = analysis.problems(parsed)
    return found[0] if found else None
