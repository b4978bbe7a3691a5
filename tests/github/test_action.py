"""action.yml's own shell steps, run with bash as the runner runs them.

GitHub runs a composite step's `run` with `bash --noprofile --norc -eo pipefail {0}` and the
step's `env` (https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#runsstepsshell).
setup-python with `update-environment: false` leaves PATH alone and gives the interpreter as
its `python-path` output (https://github.com/actions/setup-python/blob/main/docs/advanced-usage.md).
The workflow_run job downloads a fork's artifact: nothing in it may run or configure the bot.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile

import pytest
import yaml

from tests.conftest import ROOT

from .helpers import review, setup_pr

REPO = "lab/awesome"


def steps() -> list[dict]:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["runs"]["steps"]


def script(containing: str) -> str:
    return next(s["run"] for s in steps() if containing in s.get("run", ""))


def python_wrapper(directory) -> str:
    """A `python` that is this test run's interpreter (as setup-python's python-path would be)."""
    bin_dir = directory / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    path = bin_dir / "python"
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def bash(code: str, cwd, env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LISTKEEPER_", "PYTHON"))}
    base["PATH"] = os.path.dirname(sys.executable) + os.pathsep + base.get("PATH", "")
    base["PYTHONPATH"] = str(ROOT)  # an action.yml without -I would import this tree's code too
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", code], cwd=cwd,
                          env={**base, **env}, capture_output=True, text=True, timeout=300)


def plant(directory) -> None:
    """What a hostile artifact would bring: a `pip` package and a rules.yaml of its own."""
    (directory / "pip").mkdir(parents=True, exist_ok=True)
    (directory / "pip" / "__main__.py").write_text(
        "import pathlib\npathlib.Path(__file__).with_name('RAN').write_text('planted code ran')\n",
        encoding="utf-8")
    (directory / "pip" / "__init__.py").write_text("", encoding="utf-8")
    (directory / "rules.yaml").write_text("extends: default\nreview:\n  request_changes_on: never\n",
                                          encoding="utf-8")


def tiny_wheel(directory) -> str:
    """A wheel with no dependencies, so the install step runs offline."""
    path = directory / "tiny-0.0.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("tiny/__init__.py", "")
        wheel.writestr("tiny-0.0.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: tiny\nVersion: 0.0.0\n")
        wheel.writestr("tiny-0.0.0.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        wheel.writestr("tiny-0.0.0.dist-info/RECORD", "")
    return str(path)


def test_setup_python_leaves_the_callers_python_alone():
    setup = next(s for s in steps() if "actions/setup-python" in s.get("uses", ""))
    assert setup["with"]["update-environment"] is False
    assert any("actions/cache" in s.get("uses", "") for s in steps())  # pip's cache


def test_the_install_step_never_runs_a_planted_pip(tmp_path):
    workspace = tmp_path / "workspace"
    plant(workspace)  # as if an artifact had been downloaded into the checkout
    done = bash(script("pip install"), workspace, {
        "PYTHON": python_wrapper(tmp_path / "setup-python"), "VENV": str(tmp_path / "venv"),
        "ACTION_PATH": tiny_wheel(tmp_path), "PIP_CACHE_DIR": str(tmp_path / "pip-cache"),
        "PIP_NO_INDEX": "1"})
    assert not (workspace / "pip" / "RAN").exists(), "the artifact's pip/__main__.py ran"
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(("args", "expected"), [
    ("--format json 'my list.md'", ["my list.md"]),
    ("--format json\n'my list.md'\nother.md", ["my list.md", "other.md"]),
])
def test_arguments_with_spaces_and_several_lines_arrive_whole(tmp_path, args, expected):
    entry = "- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Quantization\n"
    for name in expected:  # an exact duplicate: an error in each file
        (tmp_path / name).write_text("# A\n\n## B\n\n" + entry + entry, encoding="utf-8")
    (tmp_path / "rules.yaml").write_text("extends: default\n", encoding="utf-8")
    python_wrapper(tmp_path / "venv")
    done = bash(script("LISTKEEPER_COMMAND"), tmp_path, {
        "VENV": str(tmp_path / "venv"), "LISTKEEPER_COMMAND": "check", "LISTKEEPER_ARGS": args})
    assert done.returncode == 1, done.stderr + done.stdout
    paths = {f["path"] for f in json.loads(done.stdout)["findings"]}
    assert sorted(paths) == sorted(expected)


def test_unbalanced_quotes_stop_the_step(tmp_path):
    python_wrapper(tmp_path / "venv")
    done = bash(script("LISTKEEPER_COMMAND"), tmp_path, {
        "VENV": str(tmp_path / "venv"), "LISTKEEPER_COMMAND": "check", "LISTKEEPER_ARGS": "'open"})
    assert done.returncode != 0 and "quotation" in done.stderr


def test_a_planted_artifact_neither_runs_nor_configures_the_review(github, tmp_path):
    """The comment job: trusted checkout in the workspace, the artifact in runner.temp."""
    number = setup_pr(github)
    workspace, runner_temp = tmp_path / "workspace", tmp_path / "runner-temp"
    workspace.mkdir()
    (workspace / "rules.yaml").write_text("extends: default\n", encoding="utf-8")
    plan_dir = runner_temp / "listkeeper-plan"
    plan_dir.mkdir(parents=True)
    plant(plan_dir)
    plant(workspace / "stray")  # and a pip package beside it, for good measure
    code, _ = review("--repo", REPO, "--pr", str(number), "--offline", "--findings-out",
                     str(plan_dir / "plan.json"), config=str(workspace / "rules.yaml"))
    assert code == 1
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"workflow_run": {"head_sha": github.head_sha(REPO, number),
                                                  "pull_requests": []},
                                 "repository": {"full_name": REPO}}))
    python_wrapper(tmp_path / "venv")
    env = {"VENV": str(tmp_path / "venv"), "LISTKEEPER_COMMAND": "review",
           "LISTKEEPER_ARGS": f"--findings-in {plan_dir / 'plan.json'}", "GITHUB_EVENT_PATH": str(event),
           "GITHUB_API_URL": github.url, "GITHUB_TOKEN": "test-token", "LISTKEEPER_GITHUB_THROTTLE": "0",
           "LISTKEEPER_BOT_LOGIN": "github-actions[bot]"}
    done = bash(script("LISTKEEPER_COMMAND"), workspace, env)
    assert done.returncode == 0, done.stderr + done.stdout
    assert [r["state"] for r in github.repos[REPO].reviews] == ["CHANGES_REQUESTED"]  # trusted rules.yaml
    assert not (plan_dir / "pip" / "RAN").exists()
    # run from the artifact's own directory, the rules.yaml lying next to the plan is refused
    done = bash(script("LISTKEEPER_COMMAND"), plan_dir, env)
    assert done.returncode == 2 and "next to the review plan" in done.stderr
    assert len(github.repos[REPO].reviews) == 1
