"""List texts and a runner shared by the GitHub tests."""

from __future__ import annotations

import argparse
import io

from bot.github import review_command

HEADER = """# Awesome Efficient AI

## Language

### 2024

**Quantization**

"""
ENTRIES = [
    "- [[ArXiv](https://arxiv.org/abs/2402.05445)] Accurate LoRA-Finetuning Quantization of LLMs via Information Retention",
    "- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training Quantization for LLMs",
    "- [[ArXiv](https://arxiv.org/abs/2402.11960)] DB-LLM: Accurate Dual-Binarization for Efficient LLMs",
]
FOOTER = """
## Vision

- [[ArXiv](https://arxiv.org/abs/2304.04262)] A Comprehensive Survey on Knowledge Distillation of Diffusion Models
"""
DUPLICATE = ENTRIES[1]  # an exact duplicate line in the same section: fixable (remove it)
BADGE_MISMATCH = ("- [[ArXiv](https://arxiv.org/abs/2401.06118)] Extreme Compression of Large Language "
                  "Models via Additive Quantization [[code](https://github.com/Vahe1994/AQLM)]"
                  "![GitHub Repo stars](https://img.shields.io/github/stars/htqin/IR-QLoRA)")
CLEAN = "- [[ArXiv](https://arxiv.org/abs/2401.18079)] KVQuant: Towards 10 Million Context Length LLM Inference"


def list_text(entries: list[str]) -> str:
    return HEADER + "\n".join(entries) + "\n" + FOOTER


BASE = list_text(ENTRIES)
HEAD = list_text(ENTRIES + [DUPLICATE, BADGE_MISMATCH, CLEAN])


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    found = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line == needle:
            found += 1
            if found == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found {occurrence} times")


def review(*argv: str, config: str | None = None) -> tuple[int, str]:
    """Run `listkeeper review` in-process; (exit code, stdout)."""
    parser = argparse.ArgumentParser()
    review_command.add_arguments(parser)
    args = parser.parse_args(list(argv) + (["--config", config] if config else []))
    out = io.StringIO()
    return review_command.run(args, out=out), out.getvalue()


def setup_pr(github, *, head: str = HEAD, fork: bool = False, title: str = "Add three papers",
             repo: str = "lab/awesome") -> int:
    github.create_repo(repo, {"README.md": BASE, "rules.yaml": "extends: default\n"})
    head_repo = repo
    if fork:
        head_repo = "contributor/awesome"
        github.fork(repo, head_repo)
    github.push(head_repo, "add-papers", {"README.md": head}, "Add papers")
    return github.open_pull(repo, head_repo, "add-papers", title=title)


def write_config(tmp_path, text: str = "extends: default\n") -> str:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)
