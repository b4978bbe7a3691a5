"""Regenerate the README's rule table from the rules' own docs."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.cli import rules_table  # noqa: E402

README = Path(__file__).resolve().parent.parent / "README.md"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    new = re.sub(r"(<!-- rules-table:start -->\n).*?(<!-- rules-table:end -->)",
                 lambda m: m.group(1) + rules_table() + "\n" + m.group(2), text, flags=re.S)
    README.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
