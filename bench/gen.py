"""Generate realistic paper lists in the seed's format, deterministically from a seed.

The layout follows Awesome Efficient AIGC: an H1 with a badge, an intro, a table of contents,
``## Domain`` / ``### Year`` / ``**Category**`` sections, and entries such as::

    - [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit ... [[code](https://github.com/o/r)]![GitHub Repo stars](https://img.shields.io/github/stars/o/r)

A share of entries carries the defects real lists have (``defect_rate``), so that every rule
has findings: an exact duplicate line or a duplicate arXiv ID in another category (duplicate),
a ``browse.arxiv.org`` or ``http://arxiv.org`` host, a placeholder code link or an extra ``)``
(link-format), a double space or the code link on a continuation line (entry-format), trailing
spaces or a tab (whitespace), a year or an alias in the venue label (venue), a missing, glued or
wrong stars badge (badge-format), an arXiv ID from another year (section-placement) and a link to
an anchor no heading has (toc). With ``order="random"`` the entries of a category are in random
venue order (the ordering rule then reports about half of them); the default keeps the
maintainers' order, venue papers before ArXiv preprints.

    python bench/gen.py 1000 --seed 1 -o /tmp/list.md
    python bench/gen.py 100000 --order random --defect-rate 0.05 -o /tmp/big.md
"""

from __future__ import annotations

import argparse
import random
import re
import sys

DOMAINS = ("Language", "Vision", "Audio", "Multimodal", "Video", "3D", "Speech", "Code")
CATEGORIES = ("Quantization", "Pruning and Sparsity", "Distillation", "Fine-tuning",
              "Efficient Attention", "Other")
VENUES = (  # (label, url template) ; {aid} is an arXiv id, {oid} an OpenReview id
    ("ArXiv", "https://arxiv.org/abs/{aid}"),
    ("ArXiv", "https://arxiv.org/abs/{aid}"),
    ("ArXiv", "https://arxiv.org/abs/{aid}"),
    ("ArXiv", "https://arxiv.org/abs/{aid}"),
    ("ICLR", "https://openreview.net/forum?id={oid}"),
    ("NeurIPS", "https://arxiv.org/abs/{aid}"),
    ("ICML", "https://arxiv.org/abs/{aid}"),
    ("CVPR", "https://arxiv.org/abs/{aid}"),
    ("ACL", "https://arxiv.org/abs/{aid}"),
    ("DAC", "https://arxiv.org/abs/{aid}"),
)
WORDS = (
    "Accurate Efficient Scalable Sparse Low-Rank Post-Training Quantization Pruning Distillation "
    "Large Language Models Diffusion Transformers Attention Inference Training Fine-Tuning "
    "Memory Compute Adaptive Mixed-Precision Binary Ternary Weight Activation KV Cache "
    "Outlier Token Structured Unstructured Knowledge Teacher Student Lightweight Edge Devices "
    "Hardware Aware Data-Free Zero-Shot Few-Shot Calibration Rotation Hessian Second-Order "
    "Gradient Layer-Wise Block-Wise Channel Group Search Architecture Parameter Generation "
    "Image Video Speech Multimodal Vision Retrieval Serving Throughput Latency Decoding "
    "Speculative Parallel Context Long Sequence Compression Reconstruction Error Towards "
    "Rethinking Understanding Revisiting Unified Simple Fast Robust Extreme Lossless"
).split()
CONNECTORS = ("for", "via", "with", "in", "of", "and", "on", "through")
OWNERS = ("htqin", "mit-han-lab", "IST-DASLab", "microsoft", "qualcomm-ai-research", "facebookresearch",
          "Aaronhuang-778", "jy-yuan", "DD-DuDa", "shawnricecake", "ModelTC", "hahnyuan", "OpenGVLab")
DEFECTS = ("duplicate", "browse_host", "http_arxiv", "trailing", "tab", "double_space",
           "continuation", "venue_year", "badge_gap", "venue_alias", "badge_repo", "no_badge",
           "placeholder", "extra_paren", "wrong_year", "bad_anchor", "cross_duplicate")


def _acronym(n: int) -> str:
    """A unique, pronounceable-enough acronym for entry number ``n``."""
    letters = []
    n += 26 * 26  # at least three letters
    while n:
        n, r = divmod(n, 26)
        letters.append(chr(ord("A") + r))
    return "".join(reversed(letters))


def _title(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(4, 9))]
    cut = rng.randint(1, len(words) - 2)
    words.insert(cut, rng.choice(CONNECTORS))
    return f"{_acronym(n)}: {' '.join(words)}"


def _entry(rng: random.Random, n: int, year: int) -> str:
    label, template = rng.choice(VENUES)
    aid = f"{year % 100:02d}{rng.randint(1, 12):02d}.{n % 100000:05d}"
    oid = "".join(rng.choice("abcdefghijkLMNOPQRSTuvwxyz0123456789") for _ in range(10))
    url = template.format(aid=aid, oid=oid)
    line = f"- [[{label}]({url})] {_title(rng, n)}"
    if rng.random() < 0.35:
        repo = f"{rng.choice(OWNERS)}/{_acronym(n)}-{rng.choice(WORDS)}"
        line += (f" [[code](https://github.com/{repo})]"
                 f" ![GitHub Repo stars](https://img.shields.io/github/stars/{repo})")
    return line


def _defect(rng: random.Random, line: str, year: int) -> tuple[str, str]:
    kind = rng.choice(DEFECTS)
    if kind == "browse_host" and "https://arxiv.org/" in line:
        return kind, line.replace("https://arxiv.org/", "https://browse.arxiv.org/", 1)
    if kind == "http_arxiv" and "https://arxiv.org/" in line:
        return kind, line.replace("https://arxiv.org/", "http://arxiv.org/", 1)
    if kind == "trailing":
        return kind, line + "   "
    if kind == "tab":
        return kind, line.replace("] ", "]\t", 1)
    if kind == "double_space":
        return kind, line.replace(" ", "  ", 3).replace("  ", " ", 2)
    if kind == "continuation" and " [[code]" in line:
        return kind, line.replace(" [[code]", "\n  [[code]", 1)
    if kind == "venue_year" and not line.startswith("- [[ArXiv]"):
        return kind, line.replace("](", f" {year}](", 1)
    if kind == "badge_gap" and ") ![" in line:
        return kind, line.replace(") ![", ")![", 1)
    if kind == "venue_alias" and line.startswith("- [[ArXiv]"):
        return kind, line.replace("[[ArXiv]", "[[Arxiv]", 1)
    if kind == "badge_repo" and "/github/stars/" in line:
        return kind, line.replace("/github/stars/", "/github/stars/someone-else-", 1)
    if kind == "no_badge" and " ![GitHub Repo stars]" in line:
        return kind, line.split(" ![GitHub Repo stars]", 1)[0]
    if kind == "placeholder":
        return kind, line + " [[project](https://github.com/)]"
    if kind == "extra_paren" and "[[code](" in line:
        return kind, line.replace(")]", "))]", 2).replace("))]", ")]", 1)
    if kind == "wrong_year" and "arxiv.org/abs/" in line:
        return kind, re.sub(r"abs/\d{2}", f"abs/{(year - 3) % 100:02d}", line, count=1)
    if kind == "bad_anchor":
        return kind, line + f" (see [notes](#notes-{year}))"
    if kind == "cross_duplicate":
        return kind, line
    return "duplicate", line
def generate(n_entries: int, seed: int = 0, defect_rate: float = 0.01,
             order: str = "sorted") -> str:
    """A list of ``n_entries`` entries (duplicates included in the count).

    ``order``: ``sorted`` (venue papers before ArXiv preprints, as the maintainers keep them)
    or ``random`` (random venue order in every category).
    """
    rng = random.Random(seed)
    per_category = max(8, min(400, n_entries // 30))
    n_categories = max(1, -(-n_entries // per_category))
    # spread the categories over domains and years, newest year first
    years_per_domain = max(1, min(30, -(-n_categories // (len(DOMAINS) * len(CATEGORIES)))))
    layout: list[tuple[str, int, str]] = []
    for domain in DOMAINS:
        for year in range(2024, 2024 - years_per_domain, -1):
            for category in CATEGORIES:
                layout.append((domain, year, category))
    layout = layout[:n_categories]
    domains = list(dict.fromkeys(d for d, _, _ in layout))

    out = ["# Awesome Efficient AIGC [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)",
           "",
           "This repo collects efficient approaches for AIGC to cope with its huge demand for "
           "computing resources. Welcome to PR the works (papers, repositories) missed by the "
           "repo. Special thanks to [Xingyu Zheng](https://github.com/Xingyu-Zheng) and all "
           "researchers who have contributed to this project!",
           "", "## Table of Contents", ""]
    seen_year_anchor: dict[int, int] = {}
    for domain in domains:
        out.append(f"  - [{domain}](#{domain.lower()})")
        for year in dict.fromkeys(y for d, y, _ in layout if d == domain):
            k = seen_year_anchor.get(year, 0)
            seen_year_anchor[year] = k + 1
            out.append(f"    - [{year}](#{year}{'-' + str(k) if k else ''})")
    out.append("")

    written = 0
    counter = 0
    previous: list[str] = []
    current_domain = current_year = None
    for domain, year, category in layout:
        if written >= n_entries:
            break
        if domain != current_domain:
            out += [f"## {domain}", ""]
            current_domain, current_year = domain, None
        if year != current_year:
            out += [f"### {year}", ""]
            current_year = year
        out += [f"**{category}**", ""]
        section: list[str] = []
        count = min(per_category, n_entries - written)
        # the maintainers' order: venue papers before ArXiv preprints
        fresh = [_entry(rng, counter + k, year) for k in range(count)]
        if order == "sorted":
            fresh.sort(key=lambda line: line.startswith("- [[ArXiv]"))
        counter += count
        for line in fresh:
            if section and rng.random() < defect_rate:
                kind, changed = _defect(rng, line, year)
                if kind == "duplicate":
                    changed = rng.choice(section)
                    if "\n" in changed:
                        changed = line
                elif kind == "cross_duplicate" and previous:
                    changed = rng.choice(previous)  # the same paper in another category
                line = changed
            section.append(line)
            written += 1
        previous = [line for line in section if "\n" not in line][-50:]
        out += section
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("entries", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--defect-rate", type=float, default=0.01)
    parser.add_argument("--order", choices=("sorted", "random"), default="sorted")
    parser.add_argument("-o", "--output", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    text = generate(args.entries, args.seed, args.defect_rate, args.order)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
