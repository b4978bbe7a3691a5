"""The README's workflow recipes work when copied as they are (apart from the commit SHA).

They must pass actionlint and zizmor like our own workflows, download the untrusted artifact
to `runner.temp` (never the workspace), and hand the action the plan from there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.conftest import ROOT

SHA = "0123456789abcdef0123456789abcdef01234567"


def recipes() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# \.github/workflows/(\S+)\n.*?)```", readme, re.S)
    return {name: text.replace("<commit-sha>", SHA) for text, name in blocks}


def tool(name: str) -> str:
    found = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (the dev extra has it)")
    return found


def test_every_recipe_is_there():
    assert set(recipes()) >= {"listkeeper-check.yml", "listkeeper-pr.yml", "listkeeper-comment.yml",
                              "listkeeper-weekly.yml"}


def test_the_artifact_goes_to_runner_temp_and_the_plan_is_read_from_there():
    comment = yaml.safe_load(recipes()["listkeeper-comment.yml"])
    steps = comment["jobs"]["comment"]["steps"]
    download = next(s for s in steps if "download-artifact" in s.get("uses", ""))
    assert download["with"]["path"].startswith("${{ runner.temp }}/")
    action = next(s for s in steps if s.get("uses", "").startswith("listkeeper/listkeeper@"))
    assert action["with"]["args"] == f"--findings-in {download['with']['path']}/plan.json"


@pytest.mark.parametrize("linter", ["actionlint", "zizmor"])
def test_the_recipes_pass_the_workflow_linters(tmp_path, linter):
    directory = tmp_path / ".github" / "workflows"
    directory.mkdir(parents=True)
    for name, text in recipes().items():
        (directory / name).write_text(text, encoding="utf-8")
    files = sorted(str(p) for p in directory.iterdir())
    argv = [tool(linter), *files] if linter == "actionlint" else [tool(linter), "--offline", str(directory)]
    done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
