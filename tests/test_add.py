"""`listkeeper add` offline: every entry style writes an entry that `check` finds nothing in,
placed by the year rule, the category keywords and the sort policy; a listed paper is refused."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import pytest

from bot import cli
from bot.config import load_config
from bot.conventions import infer, render
from bot.engine import check_text
from bot.parse import parse_document
from bot.styles import STYLES, reader_for

NEW_TITLE = "BitStack: Any-Size Compression of Large Language Models in Variable Memory Environments"
TITLES = [
    "Accurate LoRA-Finetuning Quantization of LLMs via Information Retention",
    "DB-LLM: Accurate Dual-Binarization for Efficient LLMs",
    "Extreme Compression of Large Language Models via Additive Quantization",
    "Quantized Side Tuning: Fast and Memory-Efficient Tuning of Quantized Large Language Models",
    "KVQuant: Towards 10 Million Context Length LLM Inference with KV Cache Quantization",
    "LQER: Low-Rank Quantization Error Reconstruction for LLMs",
    "OneBit: Towards Extremely Low-bit Large Language Models",
    "GPTVQ: The Blessing of Dimensionality for LLM Quantization",
    "ApiQ: Finetuning of 2-Bit Quantized Large Language Model",
    "WKVQuant: Quantising Weight and Key/Value Cache for Large Language Models Gains More",
    "Evaluating Quantized Large Language Models",
    "QuaRot: Outlier-Free 4-Bit Inference in Rotated LLMs",
]


def _id(year: int, i: int) -> str:
    return f"{year % 100:02d}{i % 12 + 1:02d}.{10000 + i * 7:05d}"


def _entry(style: str, year: int, i: int, title: str) -> str:
    url = f"https://arxiv.org/abs/{_id(year, i)}"
    code = f"https://github.com/lab{i}/repo{i}"
    badge = f"![GitHub Repo stars](https://img.shields.io/github/stars/lab{i}/repo{i})"
    venue = "ArXiv" if i % 3 else "ICLR"
    if style == "venue-tag":
        return f"- [[{venue}]({url})] {title} [[code]({code})] {badge}"
    if style == "bold-title":
        return f"- **{title}**  \n  [[{venue}]({url})] [[code]({code})] {badge}"
    if style == "quoted-title":
        return f"- \"{title}\", {venue}, {year}. [[paper]({url})] [[code]({code})] {badge}"
    if style == "link-title":
        return f"- [{title}]({url}) [[code]({code})] {badge}"
    if style == "title-first":
        return f"- {title} [[Paper]({url})] [[code]({code})] {badge}"
    if style == "name-tag":
        name = title.split(":")[0] if ":" in title else " ".join(title.split()[:3])
        month = f"{year}/{i % 12 + 1:02d}"
        return f"- [**{name}**]: \"{title}\";\n  - {month} | {venue} | [[Paper]({url})] [[code]({code})] {badge}"
    if style == "table-row":
        return f"| [{title}]({url}) | {venue} | [code]({code}) |"
    raise AssertionError(style)


def sample(style: str) -> str:
    """A clean list in `style`: two year sections of one category each."""
    out = ["# Awesome Efficient LLMs", ""]
    for year in (2024, 2023):
        out += [f"## {year}", ""]
        if style == "table-row":
            out += ["| Title | Venue | Code |", "| --- | --- | --- |"]
        for i, title in enumerate(TITLES[:6] if year == 2024 else TITLES[6:]):
            out.append(_entry(style, year, i + (0 if year == 2024 else 6), title))
        out.append("")
    return "\n".join(out)


STYLE_IDS = [s for s in STYLES if s != "details"]  # details: the facts line of a name-tag entry


def add(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["add", *argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def lst(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def make(text: str, config: str | None = None) -> tuple[str, str]:
        path = tmp_path / "README.md"
        path.write_text(text, encoding="utf-8")
        rules = tmp_path / "rules.yaml"
        rules.write_text(config or render(infer(parse_document(text, "README.md"), "README.md")),
                         encoding="utf-8")
        return str(path), str(rules)

    return make


@pytest.mark.parametrize("style", STYLE_IDS)
def test_every_style_writes_an_entry_check_finds_nothing_in(style, lst):
    text = sample(style)
    written = None
    if style == "name-tag":  # init sees no papers in name-tag entries (their links are nested): say it
        written = "extends: default\nrules:\n  entry-format: {style: name-tag}\n  ordering: warning\n" \
                  "  badge-format: {require_stars_badge: true}\n" \
                  "sections:\n  ordering:\n    - {match: '20*', keys: [arxiv]}\n"
    path, rules = lst(text, written)
    config = load_config(rules)
    assert config.rules["entry-format"].options["style"] == style  # what init found (or was told)
    assert check_text(text, "README.md", config) == []  # the sample is clean to start with
    code, diff, err = add("2402.17762", path, "--config", rules, "--title", NEW_TITLE,
                          "--code", "https://github.com/newlab/bitstack", "--write")
    assert code == 0, err
    new = open(path, encoding="utf-8").read()
    assert check_text(new, "README.md", config) == []
    doc = parse_document(new, "README.md")
    [entry] = [e for e in doc.entries if e.title == NEW_TITLE]
    assert reader_for(entry).ID == style
    assert entry.section_path == ("2024",)
    assert entry.arxiv_id == "2402.17762"
    assert f"+{new.splitlines()[entry.line - 1]}" in diff.splitlines()
    if style != "table-row":  # badges where the list has them (on the next line for some styles)
        written = doc.line_text(entry.line + (style in ("name-tag", "bold-title")))
        assert "img.shields.io/github/stars/newlab/bitstack" in written
    assert len(doc.entries) == len(parse_document(text, "README.md").entries) + 1 + (style == "name-tag")


def test_the_seed_layout_category_keywords_and_sort_policy(lst):
    text = ("# Awesome\n\n## Language\n\n### 2024\n\n**Quantization**\n\n"
            "- [[ICLR](https://arxiv.org/abs/2402.00858)] AffineQuant: Affine Transformation Quantization for LLMs\n"
            "- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training Quantization\n"
            "- [[ArXiv](https://arxiv.org/abs/2402.15319)] GPTVQ: The Blessing of Dimensionality for LLM Quantization\n"
            "\n**Pruning**\n\n"
            "- [[ArXiv](https://arxiv.org/abs/2401.15024)] SliceGPT: Compress Large Language Models by Deleting Rows\n"
            "\n### 2023\n\n**Quantization**\n\n"
            "- [[ArXiv](https://arxiv.org/abs/2306.00978)] AWQ: Activation-aware Weight Quantization for LLMs\n")
    config = ("extends: default\nrules:\n  venue: {allow_year: false}\n  ordering: warning\n"
              "sections:\n  ordering:\n    - match: '* › 20* › *'\n      keys: [published, arxiv]\n"
              "  categories:\n    Quantization: [quantiz]\n    Pruning: [prun, slice]\n")
    path, rules = lst(text, config)
    code, diff, err = add("2402.11960", path, "--config", rules, "--title",
                          "DB-LLM: Accurate Dual-Binarization for Efficient LLM Quantization", "--write")
    assert code == 0, err
    new = open(path, encoding="utf-8").read()
    # Quantization of 2024 (by its keyword), between 2402.04291 and 2402.15319 (by arXiv id)
    assert "2402.04291)] BiLLM: Pushing the Limit of Post-Training Quantization\n" \
           "- [[ArXiv](https://arxiv.org/abs/2402.11960)] DB-LLM: Accurate Dual-Binarization for " \
           "Efficient LLM Quantization\n- [[ArXiv](https://arxiv.org/abs/2402.15319)]" in new
    assert "README.md:11 (Language › 2024 › Quantization)" in err
    assert check_text(new, "README.md", load_config(rules)) == []
    # a venue paper goes before the preprints, with the list's label for it
    code, _, err = add("2402.02750", path, "--config", rules, "--title", "KIVI: A Tuning-Free 2bit Quantization "
                       "for KV Cache", "--venue", "ICML 2024", "--write")
    assert code == 0, err
    new = open(path, encoding="utf-8").read()
    assert "2402.00858)] AffineQuant: Affine Transformation Quantization for LLMs\n" \
           "- [[ICML](https://arxiv.org/abs/2402.02750)] KIVI" in new
    assert check_text(new, "README.md", load_config(rules)) == []


def test_no_fitting_section_asks_for_one_and_lists_the_candidates(lst):
    text = ("# Awesome\n\n## Language\n\n### 2024\n\n"
            "- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training Quantization\n"
            "\n## Vision\n\n### 2024\n\n"
            "- [[ArXiv](https://arxiv.org/abs/2402.05445)] Q-Diffusion: Quantizing Diffusion Models Well\n")
    path, rules = lst(text, "extends: default\n")
    code, out, err = add("2402.11960", path, "--config", rules, "--title", "DB-LLM: Dual-Binarization", "--date", "2024-02")
    assert code == 2 and out == ""
    assert "several sections fit: pass --section with one of\n  Language › 2024\n" \
           "  Vision › 2024" in err
    code, out, err = add("2501.00001", path, "--config", rules, "--title", "A Paper From Next Year")
    assert code == 2 and "no section for 2025" in err
    code, out, err = add("2402.11960", path, "--config", rules, "--title", "DB-LLM: Dual-Binarization",
                         "--section", "Language › 2024")
    assert code == 0 and "+- [[ArXiv](https://arxiv.org/abs/2402.11960)] DB-LLM: Dual-Binarization" in out
    assert open(path, encoding="utf-8").read() == text  # no --write: nothing written
    code, out, err = add("2402.11960", path, "--config", rules, "--title", "DB-LLM", "--section", "Audio")
    assert code == 2 and "no section 'Audio'" in err


def test_a_listed_paper_is_refused_with_its_line(lst):
    text = ("# Awesome\n\n## 2024\n\n"
            "- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training Quantization\n")
    path, rules = lst(text, "extends: default\n")
    for paper, title in (("https://arxiv.org/pdf/2402.04291v2.pdf", "Another Title Entirely For This"),
                         ("2402.99999", "BiLLM: Pushing the Limit of Post-Training Quantization")):
        code, out, err = add(paper, path, "--config", rules, "--title", title, "--write")
        assert code == 1 and out == ""
        assert "README.md:5: already lists this paper: BiLLM" in err
    assert open(path, encoding="utf-8").read() == text


@pytest.mark.parametrize(("arg", "message"), [
    ("not-a-paper", "is no arXiv id, OpenReview URL or DOI"),
    ("https://example.org/x", "is no arXiv id"),
])
def test_bad_input_is_a_clear_error(lst, arg, message):
    path, rules = lst("# A\n\n## 2024\n\n- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: A Title Here\n",
                      "extends: default\n")
    code, _, err = add(arg, path, "--config", rules)
    assert code == 2 and message in err
    code, _, err = add("https://example.org/x", path, "--config", rules, "--title", "Some Paper", "--date", "20x4")
    assert code == 2 and "--date 20x4" in err
    code, _, err = add("https://example.org/x", path, "--config", rules, "--title", "Some Paper")
    assert code == 2 and "the date is needed" in err


def test_an_empty_section_gets_its_first_entry(lst):
    text = "# A\n\n## 2025\n\n## 2024\n\n- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: A Title Here\n"
    path, rules = lst(text, "extends: default\n")
    code, _, err = add("https://openreview.net/forum?id=AbCd123", path, "--config", rules, "--title",
                       "A Paper On OpenReview Only", "--date", "2025-01-20", "--venue", "ICLR", "--write")
    assert code == 0, err
    assert open(path, encoding="utf-8").read() == (
        "# A\n\n## 2025\n\n- [[ICLR](https://openreview.net/forum?id=AbCd123)] A Paper On OpenReview Only\n\n"
        "## 2024\n\n- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: A Title Here\n")


def test_section_names_with_slashes_emoji_and_back_links(lst):
    text = ("# A\n\n## Language\n\n### 📖Weight/Activation Quantize/Compress ([©️back👆🏻](#a))\n\n"
            "- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training Quantization\n"
            "\n## Vision\n\n### 2024\n\n"
            "- [[ArXiv](https://arxiv.org/abs/2402.05445)] Q-Diffusion: Quantizing Diffusion Models Well\n"
            "\n## Audio\n\n### 2024\n\n"
            "- [[ArXiv](https://arxiv.org/abs/2402.05446)] Q-Speech: Quantizing Speech Models Well\n")
    path, rules = lst(text, "extends: default\n")
    new = "- [[ArXiv](https://arxiv.org/abs/2402.11960)] DB-LLM: Dual-Binarization"
    for name in ("Weight/Activation Quantize/Compress", "weight/activation quantize/compress",
                 "Language › 📖Weight/Activation Quantize/Compress (©️back👆🏻)"):
        code, out, err = add("2402.11960", path, "--config", rules, "--title", "DB-LLM: Dual-Binarization",
                             "--section", name)
        assert code == 0, (name, err)
        assert f" BiLLM: Pushing the Limit of Post-Training Quantization\n+{new}\n" in out, name
        assert "README.md:8 (Language › 📖Weight/Activation Quantize/Compress (©️back👆🏻))" in err
    # a slash between parts when no heading has one; a name two sections have is a question
    code, out, err = add("2402.11960", path, "--config", rules, "--title", "DB-LLM: Dual-Binarization",
                         "--section", "Vision/2024")
    assert code == 0 and "README.md:14 (Vision › 2024)" in err
    code, out, err = add("2402.11960", path, "--config", rules, "--title", "DB-LLM: Dual-Binarization",
                         "--section", "2024")
    assert code == 2 and out == ""
    assert "several sections are '2024': pass --section with one of\n  Vision › 2024\n  Audio › 2024\n" in err


TABLE_DATED = """# A

## 📖Weight/Activation Quantize/Compress ([©️back👆🏻](#paperlist))

|Date|Title|Paper|Code|Recom|
|:---:|:---:|:---:|:---:|:---:|
|2022.06|🔥[**ZeroQuant**] Efficient and Affordable Post-Training Quantization for Large-Scale Transformers(@Microsoft) |[[pdf]](https://arxiv.org/pdf/2206.01861.pdf)|[[DeepSpeed]](https://github.com/microsoft/DeepSpeed) ![](https://img.shields.io/github/stars/microsoft/DeepSpeed.svg?style=social)|⭐️⭐️ |
|2022.08|[FP8-Quantization] FP8 Quantization: The Power of the Exponent(@Qualcomm AI Research) | [[pdf]](https://arxiv.org/pdf/2208.09225.pdf) | [[FP8-quantization]](https://github.com/Qualcomm-AI-research/FP8-quantization) ![](https://img.shields.io/github/stars/Qualcomm-AI-research/FP8-quantization.svg?style=social) |⭐️ |
|2022.09|[EE-Tuning] EE-Tuning: An Economical yet Scalable Solution for Tuning Early-Exit LLMs | [[pdf]](https://arxiv.org/pdf/2209.00001.pdf) | [[EE-Tuning]](https://github.com/pan-x-c/EE-LLM) ![](https://img.shields.io/github/stars/pan-x-c/EE-LLM.svg?style=social) |⭐️ |
"""

TABLE_LINKS = """# A

| Title | Date | Venue | Type | Links |
| --- | --- | --- | --- | --- |
| [Snap Video: Scaled Spatiotemporal Transformers for Text-to-Video Synthesis](https://arxiv.org/abs/2402.14797) | 22 Feb 2024 | arXiv | ![](./assets/video.svg) | [![](./assets/website.svg)](https://snap-research.github.io/snapvideo/) |
| [FineDiffusion: Scaling up Diffusion Models for Fine-grained Image Generation with 10,000 Classes](https://arxiv.org/abs/2402.18331) | 28 Feb 2024 | arXiv | ![](./assets/image.svg) | [![](./assets/website.svg)](https://finediffusion.github.io/) [![](./assets/code.svg)](https://github.com/FineDiffusion/FineDiffusion) |
| [Open-Sora-Plan: An Open Reproduction of Sora for Video Generation](https://pku-yuangroup.github.io/Open-Sora-Plan/) | 01 Mar 2024 | GitHub | ![](./assets/video.svg) | [![](./assets/website.svg)](https://pku-yuangroup.github.io/Open-Sora-Plan/) [![](./assets/code.svg)](https://github.com/PKU-YuanGroup/Open-Sora-Plan) |
"""

TABLE_NUMBERED = """# A

## 2021

| No. | Title   | Venue | Type | Algorithm Name | Code | APP | Year |
|:----:|:---- |:-----:|:-------:|:----:|:----:|:----:|:----:|
| 01 | [Enabling Retrain-free Deep Neural Network Pruning Using Surrogate Lagrangian Relaxation](https://arxiv.org/abs/2012.10079) | IJCAI | `W` | - | - | Image Classification | 2021 |
| 02 | [Accelerated Sparse Neural Training: A Provable and Efficient Method](https://arxiv.org/abs/2102.08124) | NeurIPS | N:M | AdaPrune | [PyTorch(Author)](https://github.com/papers-submission/structured_transposable_masks) | Image Classification | 2021 |
| 03 | [Layer-adaptive Sparsity for the Magnitude-based Pruning](https://arxiv.org/abs/2010.07611) | ICLR | `W` | LAMP | [PyTorch(Author)](https://github.com/jaeho-lee/layer-adaptive-sparsity) | Image Classification | 2021 |
"""


@pytest.mark.parametrize(("text", "date", "row"), [
    # each cell as the table's rows write it: the date, the plain title, the paper link named
    # [pdf], the code link by its own name (a name no other row has) with its repository's stars
    # badge as the list writes badges
    (TABLE_DATED, "2021-06-03", "| 2021.06 | Rotation and Permutation for Outlier Management in Quantized LLMs | "
     "[[pdf]](https://arxiv.org/abs/2106.01721) | [[rotquant]](https://github.com/newlab/rotquant) "
     "![](https://img.shields.io/github/stars/newlab/rotquant?style=social) |  |"),
    # a day written with two digits, the list's own spelling of arXiv, the code link's icon
    # without the other entry's project page
    (TABLE_LINKS, "2021-06-03", "| [Rotation and Permutation for Outlier Management in Quantized LLMs]"
     "(https://arxiv.org/abs/2106.01721) | 03 Jun 2021 | arXiv |  | "
     "[![](./assets/code.svg)](https://github.com/newlab/rotquant) |"),
    # a column of short names is no title column; the code links' shared name
    (TABLE_NUMBERED, "2021-06-03", "|  | [Rotation and Permutation for Outlier Management in Quantized LLMs]"
     "(https://arxiv.org/abs/2106.01721) | ArXiv |  |  | [PyTorch(Author)](https://github.com/newlab/rotquant) "
     "|  | 2021 |"),
], ids=["dated", "links", "numbered"])
def test_a_table_row_is_written_as_the_tables_rows_write_their_cells(lst, text, date, row):
    path, rules = lst(text)
    config = load_config(rules)
    before = check_text(text, "README.md", config)
    code, out, err = add("2106.01721", path, "--config", rules, "--title",
                         "Rotation and Permutation for Outlier Management in Quantized LLMs", "--date", date,
                         "--code", "https://github.com/newlab/rotquant", "--write")
    assert code == 0, err
    new = open(path, encoding="utf-8").read()
    assert new == text + row + "\n"
    assert f"\n+{row}\n" in out
    assert check_text(new, "README.md", config) == before


NAME_TAGS = """# A

## Timestep Distillation

- [**Catch-Up Distillation**]: "Catch-Up Distillation: You Only Need to Train Once for Accelerating Sampling";
    - 2023/05 | ArXiv | [[Paper](https://arxiv.org/abs/2305.10769)]

- [**ReDi**]: "ReDi: Efficient Learning-Free Diffusion Inference via Trajectory Retrieval";
    - Skip intermediate steps
    - 2023/02 | ICML | [[Paper](https://arxiv.org/abs/2302.02285)]

- [**Consistency Model**]: "Consistency Models";
    - 2023/03 | ArXiv | [[Paper](https://arxiv.org/abs/2303.01469)]
"""


def test_a_section_of_name_tags_gets_one_as_they_are_written(lst):
    # init sees no style in nested facts lines (rules.yaml says link-title); the section's
    # entries all are name tags, four spaces in, a blank line apart: the new one is too
    path, rules = lst(NAME_TAGS)
    config = load_config(rules)
    before = check_text(NAME_TAGS, "README.md", config)
    code, out, err = add("2306.01721", path, "--config", rules, "--title",
                         "Rotation and Permutation for Outlier Management in Quantized LLMs", "--date", "2023-06-03",
                         "--code", "https://github.com/newlab/rotquant", "--write")
    assert code == 0, err
    new = open(path, encoding="utf-8").read()
    assert new == NAME_TAGS + (
        "\n- [**Rotation and Permutation**]: \"Rotation and Permutation for Outlier Management in Quantized LLMs\";\n"
        "    - 2023/06 | ArXiv | [[Paper](https://arxiv.org/abs/2306.01721)] [[code](https://github.com/newlab/rotquant)]\n")
    assert "README.md:15 (Timestep Distillation)" in err
    assert check_text(new, "README.md", config) == before


@pytest.mark.parametrize(("sample", "date", "written"), [
    ("", "2024-02-06", "2024/02"), ("2023/05", "2024-02-06", "2024/02"), ("2022.06", "2024-02-06", "2024.02"),
    ("2023-11-30", "2024-02-06", "2024-02-06"), ("2023-11-30", "2024-02", "2024-02"),
    ("22 Feb 2024", "2024-03-02", "2 Mar 2024"), ("01 Mar 2024", "2024-03-02", "02 Mar 2024"),
    ("Nov 2023", "2024-03-02", "Mar 2024"), ("2023", "2024-03-02", "2024"), ("2023/05", "2024", "2024"),
])
def test_dates_are_written_as_the_list_writes_them(sample, date, written):
    from bot.styles._format import Conventions, NewPaper, date_text

    assert date_text(NewPaper("T", "u", date=date, year=2024), Conventions(date_sample=sample)) == written


def test_a_code_link_that_is_its_stars_badge_is_written_so(lst):
    text = ("# A\n\n## 2024\n\n"
            "1. [**MiniCache: KV Cache Compression in Depth Dimension for Large Language Models.**](https://arxiv.org/abs/2405.14366) "
            "_Akide Liu, Jing Liu._ NeurIPS 2024. [![GitHub Repo stars](https://img.shields.io/github/stars/AkideLiu/MiniCache)]"
            "(https://github.com/AkideLiu/MiniCache)\n\n"
            "2. [**When Precision Meets Position: BFloat16 Breaks Down RoPE in Long-Context Training.**](https://arxiv.org/abs/2411.13476) "
            "_Haonan Wang, Qian Liu._ Arxiv 2024. [![GitHub Repo stars](https://img.shields.io/github/stars/haonan3/AnchorContext)]"
            "(https://github.com/haonan3/AnchorContext)\n")
    path, rules = lst(text)
    config = load_config(rules)
    code, out, err = add("2406.01721", path, "--config", rules, "--title", "Rotation and Permutation for Outlier "
                         "Management in Quantized LLMs", "--date", "2024-06-03", "--code",
                         "https://github.com/newlab/rotquant", "--write")
    assert code == 0, err
    new = open(path, encoding="utf-8").read()
    line = "[![GitHub Repo stars](https://img.shields.io/github/stars/newlab/rotquant)](https://github.com/newlab/rotquant)"
    assert new.count("newlab/rotquant") == 2 and line in new  # one badge, of the new repository
    assert check_text(new, "README.md", config) == check_text(text, "README.md", config)


BOLD_LAYOUTS = {
    # authors on a line of their own, venue and year, the paper link, the date on the last line
    "stacked": ("# A\n\n## Segmentation\n\n"
                "**SegDiff: Image Segmentation with Diffusion Probabilistic Models** \\\n"
                "*Tomer Amit, Eliya Nachmani, Tal Shaharbany, Lior Wolf* \\\n"
                "arXiv 2021. [[Paper](https://arxiv.org/abs/2112.00390)] [[Github](https://github.com/tomeramit/SegDiff)] \\\n"
                "1 Dec 2021\n",
                "\n\n**Rotation and Permutation for Outlier Management in Quantized LLMs** \\\n"
                "arXiv 2021. [[Paper](https://arxiv.org/abs/2106.01721)] [[Github](https://github.com/newlab/rotquant)] \\\n"
                "3 Jun 2021\n"),
    # the title is the paper link; authors, venue and year after it; a code link that is its stars badge
    "linked": ("# A\n\n## 2021\n\n"
               "1. [**MiniCache: KV Cache Compression in Depth Dimension for Large Language Models.**](https://arxiv.org/abs/2105.14366) "
               "_Akide Liu, Jing Liu._ Arxiv 2021. [![GitHub Repo stars](https://img.shields.io/github/stars/AkideLiu/MiniCache)]"
               "(https://github.com/AkideLiu/MiniCache)\n",
               "2. [**Rotation and Permutation for Outlier Management in Quantized LLMs.**](https://arxiv.org/abs/2106.01721) "
               "Arxiv 2021. [![GitHub Repo stars](https://img.shields.io/github/stars/newlab/rotquant)](https://github.com/newlab/rotquant)\n"),
    # authors, links and the month after a hard break; the entry's own badges left out
    "speculative": ("# A\n\n## Long-Context\n\n"
                    "- **SpecExtend: A Drop-in Enhancement for Speculative Decoding of Long Sequences**  \n"
                    "  *Jungyoub Cha, Hyunjong Kim, Sungzoon Cho*. [[pdf](https://arxiv.org/pdf/2105.20776)], "
                    "[[code](https://github.com/jycha98/SpecExtend)], 2021.05. ![](https://img.shields.io/badge/Arxiv-orange) "
                    "![](https://img.shields.io/badge/SpecExtend-blue)\n",
                    "- **Rotation and Permutation for Outlier Management in Quantized LLMs**  \n"
                    "  [[pdf](https://arxiv.org/abs/2106.01721)], [[code](https://github.com/newlab/rotquant)], 2021.06.\n"),
}


@pytest.mark.parametrize("layout", sorted(BOLD_LAYOUTS))
def test_a_bold_title_entry_is_written_as_its_neighbours_are(lst, layout):
    text, added = BOLD_LAYOUTS[layout]
    path, rules = lst(text)
    config = load_config(rules)
    code, out, err = add("2106.01721", path, "--config", rules, "--title",
                         "Rotation and Permutation for Outlier Management in Quantized LLMs", "--date", "2021-06-03",
                         "--code", "https://github.com/newlab/rotquant", "--write")
    assert code == 0, err
    new = open(path, encoding="utf-8").read()
    assert new == text.rstrip("\n") + ("\n" if not added.startswith("\n") else "") + added
    assert check_text(new, "README.md", config) == check_text(text, "README.md", config)


def test_a_neighbour_with_words_of_its_own_is_not_copied(lst):
    # a summary (or a category tag) belongs to its entry: the new one is written by the style
    text = ("# A\n\n## 2021\n\n"
            "**SegDiff: Image Segmentation with Diffusion Probabilistic Models** \\\n"
            "A diffusion model that segments images by denoising their masks step by step. \\\n"
            "arXiv 2021. [[Paper](https://arxiv.org/abs/2112.00390)]\n")
    path, rules = lst(text)
    code, out, err = add("2106.01721", path, "--config", rules, "--title",
                         "Rotation and Permutation for Outlier Management in Quantized LLMs", "--date", "2021-06-03",
                         "--write")
    assert code == 0, err
    assert open(path, encoding="utf-8").read() == text + (
        "\n**Rotation and Permutation for Outlier Management in Quantized LLMs**  \n"
        "[[ArXiv](https://arxiv.org/abs/2106.01721)]\n")


def test_an_ordered_list_gets_the_next_number_and_badges_sit_as_most_do(lst):
    text = ("# A\n\n## 2024\n\n"
            "1. [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training Quantization "
            "[[code](https://github.com/a/billm)]![GitHub Repo stars](https://img.shields.io/github/stars/a/billm)\n"
            "2. [[ArXiv](https://arxiv.org/abs/2402.05445)] Accurate LoRA-Finetuning Quantization of LLMs "
            "[[code](https://github.com/b/irqlora)]![GitHub Repo stars](https://img.shields.io/github/stars/b/irqlora)\n"
            "3. [[ArXiv](https://arxiv.org/abs/2402.11960)] DB-LLM: Accurate Dual-Binarization for Efficient LLMs "
            "[[code](https://github.com/c/dbllm)] ![GitHub Repo stars](https://img.shields.io/github/stars/c/dbllm)\n")
    path, rules = lst(text, "extends: default\nrules:\n  badge-format: {require_stars_badge: true, any_separator: true}\n")
    code, out, err = add("2406.01721", path, "--config", rules, "--title", "Rotation and Permutation for "
                         "Outlier Management in Quantized LLMs", "--code", "https://github.com/newlab/rotquant", "--write")
    assert code == 0, err
    assert open(path, encoding="utf-8").read() == text + (
        "4. [[ArXiv](https://arxiv.org/abs/2406.01721)] Rotation and Permutation for Outlier Management in Quantized "
        "LLMs [[code](https://github.com/newlab/rotquant)]![GitHub Repo stars](https://img.shields.io/github/stars/newlab/rotquant)\n")
    assert check_text(open(path, encoding="utf-8").read(), "README.md", load_config(rules)) == []
