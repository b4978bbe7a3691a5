"""The two-workflow PR review from a plain `pip install` (no extras), against the fake GitHub.

    python .ci/plain_review.py --python VENV/bin/python

VENV holds listkeeper installed from its wheel with no extras. This script (standard library
only) starts tests/fakegithub.py on 127.0.0.1, opens a PR from a fork with bad entries and
runs both phases as the README's workflows do: `review --findings-out` with the pull_request
event, then `review --findings-in` with a workflow_run event whose `pull_requests` list is
empty (as for a fork), in a trusted checkout with the plan in a separate temp directory. Then
the contributor removes the bad entries and both phases run again. It checks that the first
push gets one review requesting changes, that afterwards no review of the bot still requests
changes (it is dismissed), and that there is exactly one summary comment. Exit 0 when all
holds; the fake stops when the script ends.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.fakegithub import BOT_LOGIN, FakeGitHub  # noqa: E402  (stdlib only)

REPO = "lab/awesome"
FORK = "contributor/awesome"
HEAD = "# Awesome Efficient AI\n\n## Language\n\n### 2024\n\n**Quantization**\n\n"
GOOD = [
    "- [[ArXiv](https://arxiv.org/abs/2402.05445)] Accurate LoRA-Finetuning Quantization of LLMs via Information Retention",
    "- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training Quantization for LLMs",
]
BAD = [
    GOOD[1],  # an exact duplicate: an error
    "- [[ArXiv](https://arxiv.org/abs/2401.06118)] Extreme Compression of Large Language Models via "
    "Additive Quantization [[code](https://github.com/Vahe1994/AQLM)]"
    "![GitHub Repo stars](https://img.shields.io/github/stars/htqin/IR-QLoRA)",  # wrong badge
]
NEW = "- [[ArXiv](https://arxiv.org/abs/2401.18079)] KVQuant: Towards 10 Million Context Length LLM Inference"


def text(entries: list[str]) -> str:
    return HEAD + "\n".join(entries) + "\n"


class Failed(Exception):
    pass


def check(condition: bool, what: str) -> None:
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        raise Failed(what)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="the python of the plain install's venv")
    args = parser.parse_args()
    fake = FakeGitHub().start()
    try:
        with tempfile.TemporaryDirectory(prefix="listkeeper-plain-") as tmp:
            run_phases(fake, args.python, tmp)
    except Failed:
        return 1
    finally:
        fake.stop()
    print("plain install: the two-phase review works against the fake GitHub")
    return 0


def run_phases(fake: FakeGitHub, python: str, tmp: str) -> None:
    workspace = os.path.join(tmp, "workspace")  # the trusted checkout of the default branch
    runner_temp = os.path.join(tmp, "runner-temp")
    os.makedirs(workspace)
    os.makedirs(runner_temp)
    with open(os.path.join(workspace, "rules.yaml"), "w", encoding="utf-8") as handle:
        handle.write("extends: default\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "LISTKEEPER_", "PYTHON"))}
    env.update(GITHUB_API_URL=fake.url, GITHUB_TOKEN="plain-install-token", LISTKEEPER_GITHUB_THROTTLE="0")

    def listkeeper(event: dict, *argv: str) -> subprocess.CompletedProcess:
        path = os.path.join(tmp, "event.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(event, handle)
        done = subprocess.run([python, "-I", "-m", "bot", "review", *argv], cwd=workspace,
                              env=dict(env, GITHUB_EVENT_PATH=path), capture_output=True, text=True,
                              timeout=300)
        sys.stdout.write(done.stdout[-2000:])
        sys.stderr.write(done.stderr[-2000:])
        return done

    where = subprocess.run([python, "-I", "-c", "import bot, sys; print(bot.__file__)"], cwd=workspace,
                           capture_output=True, text=True, timeout=60).stdout.strip()
    check("site-packages" in where and not where.startswith(ROOT), f"listkeeper comes from the wheel ({where})")
    no_extra = subprocess.run([python, "-I", "-c", "import jsonschema"], capture_output=True, timeout=60)
    check(no_extra.returncode != 0, "jsonschema is not installed (no extras)")

    fake.create_repo(REPO, {"README.md": text(GOOD), "rules.yaml": "extends: default\n"})
    fake.fork(REPO, FORK)
    fake.push(FORK, "add-papers", {"README.md": text(GOOD + BAD + [NEW])}, "Add papers")
    number = fake.open_pull(REPO, FORK, "add-papers")

    def both_phases(expect_plan_code: int) -> None:
        sha = fake.head_sha(REPO, number)
        plan = os.path.join(runner_temp, "listkeeper-plan", "plan.json")
        os.makedirs(os.path.dirname(plan), exist_ok=True)
        first = listkeeper({"action": "synchronize", "number": number,
                            "pull_request": {"number": number, "head": {"sha": sha}},
                            "repository": {"full_name": REPO}},
                           "--offline", "--findings-out", plan)
        check(first.returncode == expect_plan_code, f"phase 1 exits {expect_plan_code} (got {first.returncode})")
        second = listkeeper({"workflow_run": {"head_sha": sha, "event": "pull_request", "conclusion":
                                              "failure" if expect_plan_code else "success",
                                              "pull_requests": [], "head_repository": {"full_name": FORK}},
                             "repository": {"full_name": REPO}},
                            "--findings-in", plan)
        check(second.returncode == 0, f"phase 2 posts and exits 0 (got {second.returncode})")

    both_phases(1)
    reviews = [r for r in fake.repos[REPO].reviews if r["user"]["login"] == BOT_LOGIN]
    check(len(reviews) == 1 and reviews[0]["state"] == "CHANGES_REQUESTED",
          "the first push gets one review that requests changes")
    check(len(fake.repos[REPO].review_comments) >= 2, "with line comments on the bad entries")

    fake.push(FORK, "add-papers", {"README.md": text(GOOD + [NEW])}, "Remove the bad entries")
    both_phases(0)
    blocking = [r for r in fake.repos[REPO].reviews
                if r["user"]["login"] == BOT_LOGIN and r["state"] == "CHANGES_REQUESTED"]
    check(not blocking, "after the fix no review of the bot still requests changes")
    summaries = [c for c in fake.repos[REPO].issue_comments if "listkeeper:summary" in c["body"]]
    check(len(summaries) == 1, "still exactly one summary comment")
    check("Dismissed" in summaries[0]["body"] and "No problems" in summaries[0]["body"],
          "the summary says the review was dismissed and nothing is left")


if __name__ == "__main__":
    sys.exit(main())
