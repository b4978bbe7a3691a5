"""Output formats: JSON, SARIF paths and fingerprints, the GC after an in-process check."""

from __future__ import annotations

import gc
import json

import pytest

from bot import cli
from bot.output.sarif import artifact_uri
from tests.test_cli import CLEAN, DUPLICATE, TRAILING, main, write


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def _sarif(argv, capsys):
    code, out, _ = main(["check", "--format", "sarif", *argv], capsys)
    return json.loads(out)["runs"][0]["results"]


def test_sarif_uri_keeps_a_leading_dot_directory(work, capsys):
    (work / ".github").mkdir()
    write(work / ".github" / "README.md", CLEAN + TRAILING)
    for given in (".github/README.md", "./.github/README.md", str(work / ".github/README.md")):
        (result,) = _sarif([given], capsys)
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
            ".github/README.md", given
    assert artifact_uri("./docs/../docs/a b.md") == "docs/../docs/a%20b.md"
    assert artifact_uri("<stdin>") == "stdin"


def test_sarif_fingerprints_follow_content_not_line_numbers(work, capsys):
    write(work / "list.md", CLEAN + TRAILING + DUPLICATE)
    before = {r["message"]["text"].split(" (")[0]: r["partialFingerprints"]["listkeeper/v1"]
              for r in _sarif(["list.md"], capsys)}
    # two new entries above: every finding moves down two lines
    moved = CLEAN.replace("## 2024\n\n", "## 2024\n\n- [[ArXiv](https://arxiv.org/abs/2401.00001)]"
                          " One New Paper Title\n- [[ArXiv](https://arxiv.org/abs/2401.00002)] "
                          "Another New Paper Title\n")
    write(work / "list.md", moved + TRAILING + DUPLICATE)
    after_results = _sarif(["list.md"], capsys)
    after = {r["message"]["text"].split(" (")[0]: r["partialFingerprints"]["listkeeper/v1"]
             for r in after_results}
    assert "trailing whitespace" in before
    assert after["trailing whitespace"] == before["trailing whitespace"]
    assert len({fp for fp in after.values()}) == len(after)


def test_json_is_one_finding_a_line_and_exact(work, capsys):
    write(work / "list.md", CLEAN + TRAILING)
    code, out, _ = main(["check", "--format", "json", "list.md"], capsys)
    assert code == 0
    assert out == (
        '{\n  "findings": [\n'
        '    {"rule": "whitespace", "level": "warning", "path": "list.md", "line": 7, '
        '"column": 100, "end_line": 7, "message": "trailing whitespace", "fixable": true}\n'
        '  ],\n  "summary": {"files": 1, "findings": 1, "error": 0, "warning": 1, "info": 0, '
        '"fixable": 1}\n}\n')
    write(work / "list.md", CLEAN)
    _, out, _ = main(["check", "--format", "json", "list.md"], capsys)
    assert json.loads(out)["findings"] == []


def test_check_in_process_leaves_the_garbage_collector_as_it_found_it(work, capsys):
    write(work / "list.md", CLEAN + TRAILING)
    gc.enable()
    cli.main(["check", "list.md"])
    assert gc.isenabled()
    gc.disable()
    try:
        cli.main(["check", "list.md"])
        assert not gc.isenabled()
    finally:
        gc.enable()
    capsys.readouterr()
