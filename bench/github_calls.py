"""Count the GitHub API calls of one PR review on a 300-entry list (target: 8 reads + 1 post).

Runs `listkeeper review --offline` against the test suite's fake GitHub on 127.0.0.1 and
prints the requests by kind. The count must not grow with the list's size.

    python bench/github_calls.py [--entries 300]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

READ_TARGET = 8
POST_TARGET = 1  # the review itself; the sticky summary comment is reported separately


def make_list(entries: int) -> str:
    lines = ["# Awesome Efficient AI", "", "## Language", ""]
    for section in range(0, entries, 50):
        lines += [f"### Topic {section // 50 + 1}", ""]
        for i in range(section, min(section + 50, entries)):
            lines.append(f"- [[ArXiv](https://arxiv.org/abs/2401.{i:05d})] Paper number {i} about "
                         f"efficient model compression variant {i}")
        lines.append("")
    return "\n".join(lines)


def measure(entries: int = 300) -> dict[str, int]:
    from bot.github import review_command
    from tests.fakegithub import FakeGitHub

    fake = FakeGitHub().start()
    saved = {k: os.environ.get(k) for k in ("GITHUB_API_URL", "GITHUB_TOKEN", "LISTKEEPER_GITHUB_THROTTLE",
                                            "GITHUB_EVENT_PATH")}
    try:
        os.environ.update(GITHUB_API_URL=fake.url, GITHUB_TOKEN="bench", LISTKEEPER_GITHUB_THROTTLE="0")
        os.environ.pop("GITHUB_EVENT_PATH", None)
        base = make_list(entries)
        lines = base.split("\n")
        duplicate = next(line for line in lines if line.startswith("- "))
        lines.insert(lines.index(duplicate) + 1, duplicate)  # one new, fixable finding
        head = "\n".join(lines)
        fake.create_repo("lab/awesome", {"README.md": base})
        fake.push("lab/awesome", "add", {"README.md": head})
        number = fake.open_pull("lab/awesome", "lab/awesome", "add")
        with tempfile.TemporaryDirectory() as tmp:
            config = os.path.join(tmp, "rules.yaml")
            with open(config, "w", encoding="utf-8") as handle:
                handle.write("extends: default\n")
            parser = argparse.ArgumentParser()
            review_command.add_arguments(parser)
            args = parser.parse_args(["--repo", "lab/awesome", "--pr", str(number), "--offline",
                                      "--config", config])
            review_command.run(args, out=io.StringIO())
        return {"reads": fake.count("GET"),
                "review_posts": fake.count("POST", "/reviews"),
                "summary_writes": fake.count("POST", "/issues/") + fake.count("PATCH", "/issues/"),
                "total": len(fake.requests)}
    finally:
        fake.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=300)
    entries = parser.parse_args().entries
    counts = measure(entries)
    ok = counts["reads"] <= READ_TARGET and counts["review_posts"] <= POST_TARGET
    print(f"PR review of a {entries}-entry list: {counts['reads']} reads (target <= {READ_TARGET}), "
          f"{counts['review_posts']} review post (target <= {POST_TARGET}), "
          f"{counts['summary_writes']} summary comment write; {counts['total']} requests in all: "
          f"{'OK' if ok else 'OVER TARGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
