"""Entry styles: each reader finds the title, the venue and the primary paper link of its shape."""

from __future__ import annotations

import pytest

from bot.parse import parse_document
from bot.styles import READERS, STYLES

CASES = [
    ("venue-tag",
     "- [[NeurIPS](https://arxiv.org/abs/2305.14314)] QLoRA: Efficient Finetuning "
     "[[code](https://github.com/artidoro/qlora)]",
     "QLoRA: Efficient Finetuning", "NeurIPS", "https://arxiv.org/abs/2305.14314", "artidoro/qlora"),
    ("bold-title",
     "- **Hydra: Sequentially-Dependent Draft Heads**  \n  *Z. Ankner, R. Parthasarathy*. "
     "[[pdf](https://arxiv.org/pdf/2402.05109.pdf)], [[code](https://github.com/zankner/hydra)], 2024.02.",
     "Hydra: Sequentially-Dependent Draft Heads", None, "https://arxiv.org/pdf/2402.05109.pdf",
     "zankner/hydra"),
    ("quoted-title",
     '- "LoftQ: LoRA-Fine-Tuning-aware Quantization", ICLR, 2024. '
     "[[paper](https://openreview.net/forum?id=LzPWWPAdY4)]",
     "LoftQ: LoRA-Fine-Tuning-aware Quantization", "ICLR",
     "https://openreview.net/forum?id=LzPWWPAdY4", None),
    ("name-tag",
     '- [**DDIM**]: "Denoising Diffusion Implicit Models";',
     "Denoising Diffusion Implicit Models", None, None, None),
    ("link-title",
     "- [websockets](https://github.com/python-websockets/websockets) - A library for "
     "[asyncio](https://docs.python.org/3/library/asyncio.html) servers.",
     "websockets", None, "https://github.com/python-websockets/websockets", None),
    ("title-first",
     "- Sleep-time compute: Beyond inference scaling [[Paper]](https://arxiv.org/pdf/2504.13171) "
     "![](https://img.shields.io/badge/pdf-2025.04-red)",
     "Sleep-time compute: Beyond inference scaling", None, "https://arxiv.org/pdf/2504.13171", None),
]


@pytest.mark.parametrize(("style", "text", "title", "venue", "paper", "code"), CASES,
                         ids=[c[0] for c in CASES])
def test_each_style_reads_its_entry(style, text, title, venue, paper, code):
    (entry,) = [e for e in parse_document(f"# L\n\n{text}\n", "README.md").entries if not e.details]
    assert (entry.style, entry.title, entry.venue, entry.paper_url, entry.code_repo) == \
        (style, title, venue, paper, code)


def test_a_description_link_is_no_identity_of_a_link_title_entry():
    text = CASES[4][1]
    (entry,) = parse_document(f"# L\n\n{text}\n", "README.md").entries
    assert [link.url for link in entry.paper_links] == [
        "https://github.com/python-websockets/websockets"]


def test_nested_details_lend_their_paper_link_to_the_entry_above():
    text = ('# L\n\n- [**DDIM**]: "Denoising Diffusion Implicit Models";\n'
            "    - 2020/10 | ICLR21 | [[Paper](https://arxiv.org/abs/2010.02502)]\n"
            "    - deterministic sampling\n")
    entries = parse_document(text, "README.md").entries
    assert [(e.style, e.details) for e in entries][:2] == [("name-tag", False), ("details", True)]
    assert entries[0].arxiv_id == "2010.02502" and entries[1].title == ""


def test_table_rows_and_bold_title_paragraphs_are_entries():
    text = ("# L\n\n| Title | Venue |\n| --- | --- |\n"
            "| [Scalable Diffusion Models with Transformers](https://arxiv.org/abs/2212.09748) | ICCV |\n"
            "\n**Denoising Diffusion Probabilistic Models** \\\n*J. Ho, A. Jain, P. Abbeel* \\\n"
            "[[Paper](https://arxiv.org/abs/2006.11239)]\n")
    entries = parse_document(text, "README.md").entries
    assert [(e.kind, e.style, e.line, e.end_line, e.title, e.arxiv_id) for e in entries] == [
        ("row", "table-row", 5, 5, "Scalable Diffusion Models with Transformers", "2212.09748"),
        ("block", "bold-title", 7, 9, "Denoising Diffusion Probabilistic Models", "2006.11239")]
    assert entries[0].venue == "ICCV"


def test_every_style_is_a_module_with_the_contract():
    for module in READERS:
        assert isinstance(module.ID, str) and isinstance(module.PRIORITY, int)
        assert isinstance(module.MULTILINE, bool) and isinstance(module.EXAMPLE, str)
        assert callable(module.claims) and callable(module.read) and module.__doc__
    assert STYLES["title-first"] is READERS[-1]  # the fallback is tried last


def test_a_table_whose_rows_have_other_cell_counts_is_one_table_of_rows():
    # horseee/Awesome-Efficient-LLM: rows with a missing "|"; GFM ends a table only at a blank
    # line or another block, mistune 3.3 starts a second table there and 3.4 a paragraph
    text = ("# L\n\n## Pruning\n\n| Title | Links |\n|:--|:--:|\n"
            "| [SparseGPT: Massive Language Models](https://arxiv.org/abs/2301.00774) | x |\n"
            "|[Wanda: A Simple and Effective Pruning](https://arxiv.org/abs/2306.11695) | x | y |\n"
            "|[Sheared LLaMA: Accelerating Pre-training](https://arxiv.org/abs/2310.06694) | x |\n")
    doc = parse_document(text, "list.md")
    assert [(e.line, e.kind, e.title) for e in doc.entries] == [
        (7, "row", "SparseGPT: Massive Language Models"),
        (8, "row", "Wanda: A Simple and Effective Pruning"),
        (9, "row", "Sheared LLaMA: Accelerating Pre-training")]
