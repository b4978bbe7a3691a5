"""The false findings of the first hand-check, and the defects it missed, one test each.

Each names the list and the kind of mistake it comes from (issue 9); positions and fixed texts
are stated in full.
"""

from __future__ import annotations

from bot.fixer import fix_text
from tests.ruletest import config_for, findings


def where(found):
    return [(f.line, f.column, f.level, f.message) for f in found]


# a whole-list check leaves info cross-listings alone (a change that adds one is asked): at
# warning every one is reported, so a false one in a test that expects none would show
EVERY = {"rules": {"duplicate": {"cross_section_level": "warning"}}}


# ---- duplicate ---------------------------------------------------------------------------

def test_a_link_in_a_description_is_no_identity():
    # vinta/awesome-python: asyncio "a duplicate of" an entry that only mentions asyncio
    text = ("# L\n\n## WebSocket\n\n- [autobahn](https://github.com/crossbario/autobahn-python) - "
            "WebSocket for Twisted and [asyncio](https://docs.python.org/3/library/asyncio.html).\n"
            "\n## Async\n\n- [asyncio](https://docs.python.org/3/library/asyncio.html) - "
            "Asynchronous I/O.\n")
    assert findings(text, "duplicate", EVERY) == []


def test_a_venue_listing_page_shared_by_papers_is_no_identity():
    page = "https://acmmm2025.org/accepted-regular-papers/"
    text = "# L\n\n## 2025\n\n" + "".join(
        f"- [[MM]({page})] Paper {name} About Quantized Diffusion Models\n"
        for name in ("Alpha", "Beta", "Gamma"))
    assert findings(text, "duplicate", EVERY) == []


def test_a_date_line_is_no_title():
    # A-suozhang: "2023/05 | Arxiv2305" was taken as the title of two nested items
    text = ('# L\n\n- [**A**]: "First Paper On Diffusion";\n    - 2023/05 | Arxiv2305\n'
            '- [**B**]: "Second Paper On Diffusion";\n    - 2023/05 | Arxiv2305\n')
    assert findings(text, "duplicate", EVERY) == []


def test_same_arxiv_id_under_another_title_is_a_copied_link():
    text = ("# L\n\n## 2022\n\n- [[ACL](https://arxiv.org/abs/2204.00408)] Structured Pruning "
            "Learns Compact and Accurate Models\n- [[NeurIPS](https://arxiv.org/abs/2204.00408)] "
            "Gradient-Free Structured Pruning with Unlabeled Data\n")
    assert where(findings(text, "duplicate")) == [
        (6, 1, "warning", "same arXiv ID 2204.00408 as line 5 ('Structured Pruning Learns Compact "
                          "and Accurate Models') under another title: one of the two links is "
                          "probably wrong, or the paper was renamed and is listed twice")]


def test_two_categories_are_info_two_year_sections_a_finding():
    paper = "- [[ICLR](https://arxiv.org/abs/2306.00978)] AWQ: Activation-aware Weight Quantization\n"
    categories = f"# L\n\n## 2023\n\n**Quantization**\n\n{paper}\n**Inference**\n\n{paper}"
    assert [(f.line, f.level) for f in findings(categories, "duplicate", changed={11})] == [(11, "info")]
    assert findings(categories, "duplicate") == []  # the whole list: the list's business
    years = f"# L\n\n## 2024\n\n{paper}\n## 2023\n\n{paper}"
    assert where(findings(years, "duplicate")) == [
        (9, 1, "error", "duplicate of line 5 in 2024 (another year) (same arXiv ID: 2306.00978)")]


def test_two_short_names_in_one_section_with_one_link_is_a_copied_link():
    # A-suozhang/awesome-quantization-and-fixed-point-training: "1606-DoReFa" under a group
    # bullet links WRPN's arXiv ID, copied from the line above (DoReFa is 1606.06160)
    group = ("# L\n\n## Binary\n\n* Follow-ups\n"
             "  * [1709-WRPN-Intel-ICLR2018](https://arxiv.org/abs/1709.01134)\n"
             "  * [1606-DoReFa](https://arxiv.org/abs/1709.01134)\n")
    assert where(findings(group, "duplicate")) == [
        (7, 1, "warning", "same arXiv ID 1709.01134 as line 6 ('1709-WRPN-Intel-ICLR2018') under "
                          "another title: one of the two links is probably wrong, or the paper "
                          "was renamed and is listed twice")]
    # the same name twice is the same paper twice
    twice = group.replace("[1606-DoReFa]", "[1709-WRPN]")
    assert where(findings(twice, "duplicate")) == [
        (7, 1, "error", "duplicate of line 6 in the same section (same arXiv ID: 1709.01134)")]
    # in another section a short name spells the other's initials (TWN, BNN): a cross-listing
    views = ("# L\n\n## Methods\n\n* Ternary\n  * [1605-Ternary Weighted Network]"
             "(https://arxiv.org/abs/1605.04711)\n\n## Ideas\n\n* [1605-TWN](https://arxiv.org/abs/1605.04711)\n")
    assert where(findings(views, "duplicate", EVERY)) == [
        (10, 1, "warning", "duplicate of line 6 in Methods (same arXiv ID: 1605.04711)")]


def test_a_preprint_label_the_list_contradicts_elsewhere_is_out_of_date():
    text = ("# L\n\n## 2023\n\n**Quantization**\n\n- [[NeurIPS](https://arxiv.org/abs/2305.14314)] "
            "QLoRA: Efficient Finetuning of Quantized LLMs\n\n**Fine-tuning**\n\n"
            "- [[ArXiv](https://arxiv.org/abs/2305.14314)] QLoRA: Efficient Finetuning of Quantized LLMs\n")
    stale = [f for f in findings(text, "duplicate") if "published" in f.message]
    assert where(stale) == [(11, 1, "warning", "labelled ArXiv here but NeurIPS at line 7: the "
                                               "paper is published")]
    assert stale[0].fix is None  # relabel or remove: the maintainer's choice


def test_a_code_link_copied_from_another_paper():
    text = ("# L\n\n- [[ICLR](https://arxiv.org/abs/2210.17323)] GPTQ: Accurate Post-Training "
            "Quantization [[code](https://github.com/IST-DASLab/gptq)]\n"
            "- [[ArXiv](https://arxiv.org/abs/2210.06313)] The Lazy Neuron Phenomenon "
            "[[code](https://github.com/IST-DASLab/gptq)]\n")
    assert where(findings(text, "duplicate")) == [
        (4, 82, "info", "code link IST-DASLab/gptq is the repository of line 3 ('GPTQ: Accurate "
                        "Post-Training Quantization'): check that it is this paper's")]
    # a folder of a repository that holds several papers' code is not questioned
    folder = text.replace(
        "Phenomenon [[code](https://github.com/IST-DASLab/gptq)]",
        "Phenomenon [[code](https://github.com/IST-DASLab/gptq/tree/main/lazy)]")
    assert findings(folder, "duplicate", EVERY) == []


# ---- venue -------------------------------------------------------------------------------

def test_short_acronyms_get_no_guess_and_unknown_labels_are_info():
    text = ("# L\n\n- [[CoRR](https://arxiv.org/abs/1)] A\n- [[PR](https://x.org/a)] B\n"
            "- [[IPDPS](https://x.org/b)] C\n")
    assert [(f.line, f.level, f.message) for f in findings(text, "venue")] == [
        (3, "info", "unknown venue label 'CoRR'"), (4, "info", "unknown venue label 'PR'"),
        (5, "info", "unknown venue label 'IPDPS'")]


def test_bold_concept_tags_are_no_labels():
    text = "# L\n\n- [**`PTQ`**] [**ToMe**]: \"Token Merging for Fast Stable Diffusion\";\n"
    assert findings(text, "venue") == []


# ---- badge-format ------------------------------------------------------------------------

def test_a_second_repository_badge_in_its_own_link_is_fine():
    text = ("# L\n\n- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM "
            "[[code](https://github.com/Aaronhuang-778/BiLLM)] "
            "[![stars](https://img.shields.io/github/stars/Aaronhuang-778/BiLLM)](https://github.com/Aaronhuang-778/BiLLM) "
            "[[toolkit](https://github.com/htqin/toolkit)] "
            "[![stars](https://img.shields.io/github/stars/htqin/toolkit)](https://github.com/htqin/toolkit)\n")
    assert findings(text, "badge-format") == []


def test_a_badge_url_with_svg_names_its_repository():
    text = ("# L\n\n- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM "
            "[[code](https://github.com/o/r)] ![](https://img.shields.io/github/stars/o/r.svg?style=social)\n")
    assert findings(text, "badge-format", {"rules": {"badge-format": {"normalize": False}}}) == []


# ---- section-placement -------------------------------------------------------------------

def test_a_journal_and_a_workshop_are_not_judged_by_their_arxiv_year():
    text = ("# L\n\n## 2024\n\n- [[TPAMI](https://arxiv.org/abs/2101.00001)] A Journal Paper\n"
            "- [[ICLR Workshop](https://arxiv.org/abs/2101.00002)] A Workshop Paper\n")
    assert findings(text, "section-placement", {"rules": {"section-placement": {"tolerance": 1}}}) == []


def test_a_move_needs_strong_evidence_and_a_section_that_does_not_have_the_paper():
    # a 2019 preprint under 2022 (one year allowed): reported, not moved (it may be published)
    one = {"rules": {"section-placement": {"tolerance": 1}}}
    weak = ("# L\n\n## 2022\n\n- [[ArXiv](https://arxiv.org/abs/1901.00001)] Old Paper\n"
            "- [[ArXiv](https://arxiv.org/abs/2201.00002)] New Paper\n\n## 2019\n\n"
            "- [[ArXiv](https://arxiv.org/abs/1901.00003)] Other Paper\n")
    (found,) = findings(weak, "section-placement", one)
    assert found.line == 5 and found.fix is None
    # the label's year is strong, but 2023 already lists the paper: no move into a duplicate
    dup = ("# L\n\n## 2024\n\n- [[ICLR 2023](https://arxiv.org/abs/2301.00001)] Paper A\n"
           "- [[ICLR](https://arxiv.org/abs/2401.00002)] Paper B\n\n## 2023\n\n"
           "- [[ICLR](https://arxiv.org/abs/2301.00001)] Paper A\n")
    (found,) = findings(dup, "section-placement")
    assert found.line == 5 and found.fix is None
    # the only entry of its section stays: moving it would leave an empty heading
    alone = ("# L\n\n## 2024\n\n- [[ICLR 2023](https://arxiv.org/abs/2301.00001)] Paper A\n\n"
             "## 2023\n\n- [[ICLR](https://arxiv.org/abs/2301.00009)] Paper C\n")
    (found,) = findings(alone, "section-placement")
    assert found.fix is None


# ---- whitespace and link-format ----------------------------------------------------------

def test_the_comment_idiom_and_badges_in_empty_links_are_no_findings():
    text = ("# L\n\n[//]: # (This is a comment)\n\n"
            "- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM [![Publish](https://img.shields.io/badge/ICML-blue)]()\n")
    assert findings(text, "link-format") == []


def test_http_is_a_warning_and_tracking_git_and_versions_are_fixed():
    text = ("# L\n\n- [[JSA](https://www.sciencedirect.com/science/article/pii/S13?casa_token=abc&x=1)] A\n"
            "- [[ArXiv](http://arxiv.org/abs/2402.04291)] B [[code](https://github.com/o/r.git)]\n"
            "- [[ArXiv](https://arxiv.org/abs/2402.04292v2)] C\n")
    opts = {"rules": {"link-format": {"arxiv_versions": False}}}
    assert where(findings(text, "link-format", opts)) == [
        (3, 10, "warning", "tracking parameters in https://www.sciencedirect.com/science/article/"
                           "pii/S13?casa_token=abc&x=1"),
        (4, 12, "warning", "use https://arxiv.org, not http://arxiv.org/"),
        (4, 56, "warning", "'.git' at the end of the repository link https://github.com/o/r.git"),
        (5, 12, "warning", "versioned arXiv link (v2); this list links the latest version")]
    fixed = fix_text(text, "list.md", config_for(opts), select=["link-format"]).text
    assert fixed == ("# L\n\n- [[JSA](https://www.sciencedirect.com/science/article/pii/S13?x=1)] A\n"
                     "- [[ArXiv](https://arxiv.org/abs/2402.04291)] B [[code](https://github.com/o/r)]\n"
                     "- [[ArXiv](https://arxiv.org/abs/2402.04292)] C\n")


def test_a_relative_link_outside_a_git_checkout_is_not_judged(tmp_path):
    from bot.cli import list_root
    from bot.engine import run
    from bot.parse import parse_document

    path = tmp_path / "README.md"
    text = "# L\n\n![logo](./assets/logo.png)\n"
    path.write_text(text, encoding="utf-8")

    def found():
        doc = parse_document(text, str(path))
        doc.root = list_root(str(path))  # as check reads a list from disk
        return [f for f in run(doc, config_for()) if f.rule == "link-format"]

    assert found() == []  # a list copied alone into a folder: its files are elsewhere
    (tmp_path / ".git").mkdir()
    assert where(found()) == [(3, 9, "error", "relative link './assets/logo.png' points to "
                                              "nothing in the repo")]
    # a PR's text (no folder at all) is never judged, whatever the working directory holds
    assert [f for f in run(parse_document(text, "README.md"), config_for())
            if f.rule == "link-format"] == []


# ---- fix: list-wide rewrites only when asked ---------------------------------------------

def test_fix_on_a_whole_list_inserts_no_badges_unless_asked():
    text = ("# L\n\n- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM "
            "[[code](https://github.com/o/r)]\n")
    config = config_for({"rules": {"badge-format": {"require_stars_badge": True}}})
    assert fix_text(text, "list.md", config).text == text
    badge = " ![GitHub Repo stars](https://img.shields.io/github/stars/o/r)"
    want = text.replace("(https://github.com/o/r)]", "(https://github.com/o/r)]" + badge)
    assert fix_text(text, "list.md", config, sweep=["badge-format"]).text == want
    asked = config_for({"rules": {"badge-format": {"require_stars_badge": True}},
                        "fix": ["badge-format"]})
    assert fix_text(text, "list.md", asked).text == want
    assert fix_text(text, "list.md", config, changed={3}).text == want  # a PR's new line


def test_a_toc_that_also_lists_the_title_and_itself_is_complete():
    # avelino/awesome-go: "- [Awesome Go](#awesome-go)" and "- [Contents](#contents)" lead the TOC
    text = ("# Awesome Go\n\n## Contents\n\n- [Awesome Go](#awesome-go)\n  - [Contents](#contents)\n"
            "  - [Actors](#actors)\n  - [Audio](#audio)\n\n## Actors\n\n## Audio\n")
    assert findings(text, "toc", {"rules": {"toc": {"levels": [2]}}}) == []


def test_a_featured_group_above_a_sorted_list_gets_no_sort_policy():
    # Hannibal046/Awesome-LLM: four featured leaderboards, then 26 in title order
    from bot.conventions import infer
    from bot.parse import parse_document

    featured = ["Chatbot Arena", "LiveBench", "Open LLM Leaderboard", "AlpacaEval"]
    sorted_names = [f"Board {chr(65 + i)}{chr(65 + j)}" for i in range(2) for j in range(13)]
    text = ("# L\n\n## Leaderboards\n\n" + "".join(f"- [{n}](https://example.org/{n[:3]})\n"
                                                    for n in featured)
            + "\n<details>\n\n" + "".join(f"- [{n}](https://example.org/{i})\n"
                                          for i, n in enumerate(sorted_names)) + "\n</details>\n")
    assert "sections" not in infer(parse_document(text, "README.md")).data()


def test_one_name_for_two_links_is_two_things():
    # sindresorhus/awesome: "Must-Watch Talks" under JavaScript and under CSS
    text = ("# L\n\n- JavaScript\n\t- [Must-Watch Talks](https://github.com/bolshchikov/js-must-watch#readme)\n"
            "- CSS\n\t- [Must-Watch Talks](https://github.com/AllThingsSmitty/must-watch-css#readme)\n")
    assert findings(text, "duplicate", EVERY) == []


def test_a_list_that_respelled_a_venue_everywhere_has_moved_on():
    # htqin/awesome-model-quantization: one commit relabels every "arxiv" as "arXiv"
    entries = "".join(f"- [[arXiv](https://arxiv.org/abs/2402.{10000 + i})] Paper {i} On Binarization\n"
                      for i in range(12))
    text = "# L\n\n## 2024\n\n" + entries + "- [[arxiv](https://arxiv.org/abs/2402.20000)] Old Label\n"
    before = {"venues": {"spelling": {"ArXiv": "arxiv"}}}  # what init saw before the commit
    assert where(findings(text, "venue", before)) == [
        (17, 5, "warning", "venue label 'arxiv' is written 'arXiv' in this list")]


def test_a_suggestion_that_joins_lines_spans_both_and_equals_the_fix():
    from bot.engine import check_text
    from bot.fixer import apply_edits, fixed_lines
    from bot.parse import parse_document

    text = ("# L\n\n- [[ArXiv](https://arxiv.org/abs/2305.14864)] Distillation Without a Teacher\n"
            "[[code](https://github.com/o/r)]\n- [[ArXiv](https://arxiv.org/abs/2305.15717)] Next\n")
    doc = parse_document(text, "list.md")
    (found,) = [f for f in check_text(text, "list.md", config_for()) if f.rule == "entry-format"]
    first, last, lines = fixed_lines(doc, found)
    assert (first, last) == (3, 4)
    assert lines == ["- [[ArXiv](https://arxiv.org/abs/2305.14864)] Distillation Without a Teacher "
                     "[[code](https://github.com/o/r)]"]
    applied, _ = apply_edits(text, [found])
    assert applied.splitlines()[2:3] == lines  # the suggestion is what the fix writes


# ---- the second hand-check ---------------------------------------------------------------

def test_a_paper_linked_at_two_versions_on_purpose_keeps_them():
    text = ("# L\n\n- [[ArXiv](https://arxiv.org/abs/2404.02747v1)] TGATE-V1\n"
            "- [[ArXiv](https://arxiv.org/abs/2404.02747v2)] TGATE-V2\n"
            "- [[ArXiv](https://arxiv.org/abs/2404.01111v3)] Another\n")
    found = findings(text, "link-format", {"rules": {"link-format": {"arxiv_versions": False}}})
    assert [(f.line, f.message) for f in found] == [
        (5, "versioned arXiv link (v3); this list links the latest version")]


def test_a_hand_written_star_count_is_star_information():
    # htqin: "[387⭐]" and "[31:fire:]"-style notes; no shields badge is added beside them
    text = ("# L\n\n- [[ArXiv](https://arxiv.org/abs/2211.10438)] SmoothQuant "
            "[[code](https://github.com/mit-han-lab/smoothquant)] [387⭐]\n")
    assert findings(text, "badge-format", {"rules": {"badge-format": {"require_stars_badge": True}}}) == []


def test_an_inserted_badge_is_written_the_way_the_list_writes_them():
    text = ("# L\n\n- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM "
            "[[code](https://github.com/o/r)]\n")
    opts = {"rules": {"badge-format": {"require_stars_badge": True, "alt": "GitHub stars",
                                       "link": True, "query": "?style=social"}}}
    fixed = fix_text(text, "list.md", config_for(opts), sweep=["badge-format"]).text
    assert fixed == text.replace("(https://github.com/o/r)]", "(https://github.com/o/r)] "
                                 "[![GitHub stars](https://img.shields.io/github/stars/o/r?style=social)]"
                                 "(https://github.com/o/r)")


def test_a_next_line_that_is_its_own_item_or_a_nav_link_is_no_wrap():
    text = ("# L\n\n- [PortAudio](https://github.com/a/b) - Audio I/O.\n-[voxrai](https://github.com/c/d) - x\n"
            "- [Zog](https://github.com/e/f) - Schemas.\n  **[⬆ back to top](#l)**\n")
    assert [f for f in findings(text, "entry-format") if "continues" in f.message] == []


def test_a_list_placeholder_label_and_a_short_bold_title_are_the_lists_style():
    text = ("# L\n\n- [[paper](https://arxiv.org/abs/2106.00001)] [43:fire:] BNN+: Improved Binary Nets\n"
            + "".join(f"- [[ICLR](https://arxiv.org/abs/2106.{10000 + i})] Paper {i} On Binary Nets\n"
                      for i in range(3)))
    assert findings(text, "entry-format", {"rules": {"entry-format": {"style": "venue-tag"}}}) == []
    bold = ("# L\n\n1. [**Olmo 3.**](https://arxiv.org/abs/2512.13961) _Team Olmo._ Arxiv 2025.\n"
            "2. [**T5Gemma 2: Seeing, Reading.**](https://arxiv.org/abs/2512.14856) _B. Zhang._ Arxiv 2025.\n"
            "3. [**QwenLong: Post-Training.**](https://arxiv.org/abs/2512.12967) _W. Shen._ Arxiv 2025.\n")
    assert findings(bold, "entry-format", {"rules": {"entry-format": {"style": "bold-title"}}}) == []


def test_a_link_label_is_no_venue_and_a_table_title_is_the_linked_cell():
    from bot.parse import parse_document

    block = ("# L\n\n**Diffusion Illusions: Hiding Images in Plain Sight** \\\n"
             "[[Website-Part 1](https://arxiv.org/abs/2312.03817)]\n")
    (entry,) = parse_document(block, "README.md").entries
    assert entry.venue is None and entry.arxiv_id == "2312.03817"
    table = ("# L\n\n| Date | Name | Org | Paper |\n| --- | --- | --- | --- |\n"
             "| 2023-12 | Mamba | CMU&Princeton | [Mamba: Linear-Time Sequence Modeling](https://arxiv.org/pdf/2312.00752) |\n"
             "| 2024-05 | Mamba2 | CMU&Princeton | [Transformers are SSMs](https://arxiv.org/abs/2405.21060) |\n")
    rows = parse_document(table, "README.md").entries
    assert [r.title for r in rows] == ["Mamba: Linear-Time Sequence Modeling", "Transformers are SSMs"]
    assert findings(table, "duplicate", EVERY) == []


def test_entries_that_show_a_date_are_ordered_by_it():
    from bot.conventions import infer
    from bot.parse import parse_document

    # diff-usion: newest first by the date line; arXiv IDs disagree where a paper was held
    days = [(28, "Dec"), (20, "Dec"), (11, "Dec"), (2, "Dec"), (25, "Nov"), (17, "Nov"),
            (9, "Nov"), (1, "Nov")]
    ids_ = [2312.9, 2312.5, 2312.1, 2311.9, 2312.2, 2311.5, 2311.3, 2311.1]
    blocks = "".join(f"**A Paper Number {i} About Diffusion** \\\n*A. Author* \\\n"
                     f"[[Paper](https://arxiv.org/abs/{int(a)}.{int(a * 10 % 10) * 1000 + 10000})] \\\n"
                     f"{d} {m} 2023\n\n" for i, ((d, m), a) in enumerate(zip(days, ids_, strict=True)))
    data = infer(parse_document("# L\n\n## Papers\n\n" + blocks, "README.md")).data()
    assert data["sections"]["ordering"] == [{"match": ["Papers"], "keys": ["-date"]}]


# ---- third hand-check ----------------------------------------------------------------------

def test_a_showcase_section_repeats_on_purpose():
    # Hannibal046/Awesome-LLM: "Trending LLM Projects" above the TOC repeats entries of the body
    text = ("# L\n\n## Trending Projects\n\n- [DeepSeek-V3](https://github.com/deepseek-ai/DeepSeek-V3)"
            " - An open model.\n- [Kimi-K2](https://github.com/MoonshotAI/Kimi-K2) - Another.\n\n"
            "## Open LLM\n\n- [DeepSeek-V3](https://github.com/deepseek-ai/DeepSeek-V3) - An open "
            "model.\n- [Mistral](https://github.com/mistralai/mistral-src) - A third.\n")
    assert findings(text, "duplicate", EVERY) == []


def test_a_section_that_mostly_repeats_the_list_is_no_category():
    # htqin/awesome-model-quantization: the team's publications are all listed in the body too
    papers = [("2402.04291", "BiLLM: Pushing the Limit of Post-Training Quantization"),
              ("2404.14047", "How Good Are Low-bit Quantized LLaMA3 Models"),
              ("2405.14917", "SliM-LLM: Salience-Driven Mixed-Precision Quantization")]
    team = "".join(f"- [[ArXiv](https://arxiv.org/abs/{i})] {t}\n" for i, t in papers)
    body = team + "- [[ArXiv](https://arxiv.org/abs/2306.00978)] AWQ: Activation-aware Weight Quantization\n"
    text = f"# L\n\n## Publications of the Group\n\n{team}\n## 2024\n\n{body}"
    assert findings(text, "duplicate", EVERY) == []
    # two ordinary categories sharing one paper out of three still get their info
    other = team.replace("2404.14047", "2310.11453").replace("How Good", "BitNet Scaling") \
        .replace("2405.14917", "2402.17764").replace("SliM-LLM", "The Era of 1-bit LLMs")
    text = f"# L\n\n## Quantization\n\n{team}\n## Inference\n\n{other}"
    assert where(findings(text, "duplicate", changed={11})) == [
        (11, 1, "info", "duplicate of line 5 in Quantization (same arXiv ID: 2402.04291)")]


def test_one_title_over_two_arxiv_ids_is_a_wrong_title_not_a_duplicate():
    # hrcheng1066/awesome-pruning: "Channel Gating Neural Networks" over the RNP paper's link
    text = ("# L\n\n## 2019\n\n- [[NeurIPS](https://arxiv.org/abs/1805.12549)] Channel Gating "
            "Neural Networks\n- [[NeurIPS](https://arxiv.org/abs/1707.06342)] Channel Gating "
            "Neural Networks\n")
    found = findings(text, "duplicate")
    assert where(found) == [
        (6, 1, "warning", "same title as line 5 ('Channel Gating Neural Networks') but another "
                          "arXiv ID (1707.06342, there 1805.12549): one of the two titles or "
                          "links is probably wrong")]
    assert found[0].fix is None


def test_a_badge_beside_a_docs_link_shows_that_projects_stars():
    # DefTruth/Awesome-LLM-Inference: [[transformers]](docs page) ![](stars of huggingface/transformers)
    row = ("|2021.04|RoFormer: Enhanced Transformer with Rotary Position Embedding|"
           "[[pdf]](https://arxiv.org/pdf/2104.09864.pdf)|[[transformers]](https://huggingface.co/"
           "docs/transformers/model_doc/roformer) ![](https://img.shields.io/github/stars/"
           "huggingface/transformers.svg?style=social)|\n")
    head = "# L\n\n|Date|Title|Paper|Code|\n|:---:|:---:|:---:|:---:|\n"
    assert findings(head + row, "badge-format") == []
    # a badge with no link before it but the paper's still says the code link is missing
    bare = row.replace("[[transformers]](https://huggingface.co/docs/transformers/model_doc/"
                       "roformer) ", "")
    assert where(findings(head + bare, "badge-format")) == [
        (5, 118, "error", "stars badge for huggingface/transformers but the entry has no GitHub "
                          "code link")]


def test_a_repository_named_for_the_papers_family_is_no_copied_link():
    # Xnhyacinth/Awesome-LLM-Long-Context-Modeling: SecurityLingua's code is microsoft/LLMLingua
    text = ("# L\n\n## 2023\n\n- [[EMNLP](https://arxiv.org/abs/2310.05736)] LLMLingua: Compressing "
            "Prompts for Accelerated Inference [[code](https://github.com/microsoft/LLMLingua)]\n"
            "- [[ArXiv](https://arxiv.org/abs/2510.01234)] SecurityLingua: Efficient Defense of "
            "Jailbreak Attacks [[code](https://github.com/microsoft/LLMLingua)]\n"
            "- [[ArXiv](https://arxiv.org/abs/2304.01234)] Selective Context Pruning for Long "
            "Prompts [[code](https://github.com/microsoft/LLMLingua)]\n")
    assert where(findings(text, "duplicate")) == [
        (7, 98, "info", "code link microsoft/LLMLingua is the repository of line 5 ('LLMLingua: "
                        "Compressing Prompts for Accelerated Inference'): check that it is this "
                        "paper's")]


def test_a_follow_up_in_its_predecessors_repository_is_no_copied_link():
    # Xnhyacinth/Awesome-LLM-Long-Context-Modeling: Mamba-2 (SSD) is in state-spaces/mamba, by
    # the same authors; wangkai930418/awesome-diffusion-categorized: DiffEditor (2402) in
    # MC-E/DragonDiffusion (2307), a later paper of the same group, with no authors listed
    mamba = ("# L\n\n1. [**Mamba: Linear-Time Sequence Modeling with Selective State Spaces.**]"
             "(https://arxiv.org/abs/2312.00752) _Albert Gu, Tri Dao._ Arxiv 2023. "
             "[![GitHub Repo stars](https://img.shields.io/github/stars/state-spaces/mamba)]"
             "(https://github.com/state-spaces/mamba)\n"
             "2. [**Transformers are SSMs: Generalized Models and Efficient Algorithms.**]"
             "(https://arxiv.org/abs/{id}) _Tri Dao, Albert Gu._ Arxiv 2024. "
             "[![GitHub Repo stars](https://img.shields.io/github/stars/state-spaces/mamba)]"
             "(https://github.com/state-spaces/mamba)\n")
    assert findings(mamba.format(id="2405.21060"), "duplicate") == []
    # shared authors alone are enough (an earlier ID: the workshop version, say)
    assert findings(mamba.format(id="2305.21060"), "duplicate") == []
    strangers = mamba.format(id="2305.21060").replace("_Tri Dao, Albert Gu._", "_Ann Lee._")
    assert where(findings(strangers, "duplicate")) == [
        (4, 214, "info", "code link state-spaces/mamba is the repository of line 3 ('Mamba: "
                         "Linear-Time Sequence Modeling with Selective State Sp'): check that it "
                         "is this paper's")]
    dragon = ("# L\n\n**DragonDiffusion: Enabling Drag-style Manipulation on Diffusion Models** \\\n"
              "[[ICLR 2024](https://arxiv.org/abs/2307.02421)]\n"
              "[[Code](https://github.com/MC-E/DragonDiffusion)]\n\n"
              "**DiffEditor: Boosting Accuracy and Flexibility on Diffusion-based Image Editing** "
              "\\\n[[CVPR 2024](https://arxiv.org/abs/{id})]\n"
              "[[Code](https://github.com/MC-E/DragonDiffusion)]\n")
    assert findings(dragon.format(id="2402.02583"), "duplicate") == []
    assert where(findings(dragon.format(id="2302.02583"), "duplicate")) == [
        (9, 9, "info", "code link MC-E/DragonDiffusion is the repository of line 3 "
                       "('DragonDiffusion: Enabling Drag-style Manipulation on Diffusi'): "
                       "check that it is this paper's")]


def test_a_model_in_a_catalogue_of_models_is_not_its_paper_again():
    # Hannibal046/Awesome-LLM: a table of milestone papers, then "Open LLM" lists the models
    text = ("# L\n\n## Milestone Papers\n\n| Date | Name | Paper |\n|---|---|---|\n"
            "| 2022-05 | OPT | [OPT: Open Pre-trained Transformer Language Models]"
            "(https://arxiv.org/pdf/2205.01068.pdf) |\n\n## Open LLM\n\n"
            "- [Llama 2-7|13|70B](https://llama.meta.com/llama2/)\n"
            "- [OPT-1.3|6.7|13|30|66B](https://arxiv.org/abs/2205.01068)\n")
    assert findings(text, "duplicate", EVERY) == []
    # the paper itself listed in a second category is still reported
    paper = text.replace("[OPT-1.3|6.7|13|30|66B]",
                         "[OPT: Open Pre-trained Transformer Language Models]")
    assert where(findings(paper, "duplicate", changed={12})) == [
        (12, 1, "info", "duplicate of line 7 in Milestone Papers (same arXiv ID: 2205.01068)")]


def test_a_note_that_cites_a_paper_in_a_sentence_is_no_entry():
    # A-suozhang/awesome-quantization-and-fixed-point-training: an "Ideas" section of notes
    text = ("# L\n\n## Papers\n\n- [Entropy Constraint Scalar Quantization]"
            "(https://www.mdpi.com/1099-4300/18/12/449)\n\n## Ideas\n\n"
            "- Important weighing\n  - 通过评估每个参数的重要程度，比如[这篇文章]"
            "(https://www.mdpi.com/1099-4300/18/12/449)\n"
            "- Analytical correction: see [this paper](https://www.mdpi.com/1099-4300/18/12/449)\n")
    assert findings(text, "duplicate", EVERY) == []
    # a title with a [pdf] link is an entry: the same paper listed twice
    entry = text.replace("Analytical correction: see [this paper]",
                         "Entropy Constraint Scalar Quantization [pdf]")
    assert [(f.line, f.level) for f in findings(entry, "duplicate", changed={11})] == [(11, "info")]


def test_spaces_before_a_comment_close_are_the_comments():
    # wangkai930418/awesome-diffusion-categorized: "[[Code](...)]  -->" closes a hidden block
    text = ("# L\n\n<!-- - [[ArXiv](https://arxiv.org/abs/2301.00001)] A Hidden Paper On Diffusion "
            "-->\n- [[ArXiv](https://arxiv.org/abs/2301.00002)] A Shown Paper On Diffusion  -->\n")
    assert findings(text, "entry-format") == []


def test_a_teams_own_publications_repeat_the_list_on_purpose():
    # htqin/awesome-model-quantization: "## Our_Team › ### Publications" lists the team's papers
    team = ("- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training "
            "Quantization\n- [[ICLR](https://arxiv.org/abs/2203.06390)] BiFSMN: Binary Neural "
            "Network for Keyword Spotting\n- [[ICLR](https://arxiv.org/abs/2203.05740)] QDrop: "
            "Randomly Dropping Quantization\n")
    body = ("- [[ICLR](https://arxiv.org/abs/2203.06390)] BiFSMN: Binary Neural Network for Keyword "
            "Spotting\n- [[ICML](https://arxiv.org/abs/2306.00978)] AWQ: Activation-aware Weight "
            "Quantization\n")
    text = f"# L\n\n## Papers\n\n{body}\n## Our_Team\n\n### Publications\n\n{team}"
    assert findings(text, "duplicate", EVERY) == []


def test_a_project_under_each_language_it_serves_is_the_lists_structure():
    # josephmisiti/awesome-machine-learning: MXNet under six languages on purpose
    text = ("# L\n\n## Python\n\n- [MXNet](https://github.com/apache/mxnet) - Deep learning "
            "framework.\n- [scikit-learn](https://github.com/scikit-learn/scikit-learn) - ML.\n\n"
            "## R\n\n- [MXNet](https://github.com/apache/mxnet) - Deep learning framework.\n"
            "- [caret](https://github.com/topepo/caret) - Training.\n\n## Python again\n\n"
            "- [MXNet](https://github.com/apache/mxnet) - Deep learning framework.\n")
    # the same project twice in one category is still a duplicate
    text += "- [MXNet](https://github.com/apache/mxnet) - Deep learning framework.\n"
    assert where(findings(text, "duplicate")) == [
        (16, 1, "error", "duplicate of line 15 in the same section (same paper URL: "
                         "github.com/apache/mxnet)")]


# ---- fourth hand-check --------------------------------------------------------------------

DATED = "# L\n\n## Generation\n\n" + "".join(
    f"**{title}** \\\n*A. Author* \\\narXiv {year}. [[Paper](https://arxiv.org/abs/{aid})] \\\n{date}\n\n"
    for title, aid, year, date in (
        ("Denoising Diffusion Implicit Sampling Method", "2112.10752", 2021, "20 Dec 2021"),
        ("DiffuseMorph Unsupervised Deformable Registration", "2112.05149", 2021, "9 Dec 2021"),
        ("Diffusion Autoencoders Toward a Meaningful Code", "2111.15640", 2021, "30 Dec 2021"),
        ("Score-Based Generative Modeling in Latent Space", "2111.10001", 2021, "18 Nov 2021")))


def test_a_date_that_contradicts_its_arxiv_month_is_the_date_not_the_order():
    # diff-usion/Awesome-Diffusion-Models: "30 Dec 2021" on arXiv 2111.15640 (30 Nov 2021)
    config = {"rules": {"ordering": {"keys": ["-date"]}}}
    found = findings(DATED, "ordering", config)
    assert where(found) == [
        (15, 1, "warning", "the date 30 Dec 2021 is not the month of arXiv 2111.15640: a typo? "
                           "(by its arXiv month the entry is in order)")]
    assert found[0].fix is None


def test_an_exact_copy_is_left_to_duplicate_not_reported_out_of_order():
    # diff-usion: a second copy of Phoenix "belongs after line 11692, Phoenix", i.e. after itself
    entry = "- [[ArXiv](https://arxiv.org/abs/2401.00005)] Phoenix: A Paper About Motion\n"
    text = ("# L\n\n## 2024\n\n- [[ArXiv](https://arxiv.org/abs/2401.00009)] Zeta: A Later Paper\n"
            + entry + "- [[ArXiv](https://arxiv.org/abs/2401.00001)] Alpha: An Early Paper\n"
            + entry)
    config = {"rules": {"ordering": {"keys": ["-arxiv"]}}}
    assert [f.line for f in findings(text, "ordering", config)] == [7]


def test_a_plus_plus_extension_is_another_paper():
    # diff-usion/Awesome-Diffusion-Models: "ISS++" (2303.15181) extends "ISS" (2209.04145)
    text = ("# L\n\n## 2023\n\n- [[ArXiv](https://arxiv.org/abs/2209.04145)] ISS: Image as "
            "Stepping Stone for Text-Guided 3D Shape Generation\n"
            "- [[ArXiv](https://arxiv.org/abs/2303.15181)] ISS++: Image as Stepping Stone for "
            "Text-Guided 3D Shape Generation\n")
    assert findings(text, "duplicate", EVERY) == []
    same = text.replace("ISS++:", "ISS:")
    assert where(findings(same, "duplicate")) == [
        (6, 1, "warning", "same title as line 5 ('ISS: Image as Stepping Stone for Text-Guided 3D "
                          "Shape Genera') but another arXiv ID (2303.15181, there 2209.04145): one "
                          "of the two titles or links is probably wrong")]


def test_an_item_without_a_space_after_its_marker_is_reported_and_fixed():
    # avelino/awesome-go: "-[voxrai-ai](...)" renders as the end of the PortAudio item
    text = ("# L\n\n## Audio\n\n- [PortAudio](https://github.com/gordonklaus/portaudio) - Go "
            "bindings for PortAudio.\n-[voxrai-ai](https://github.com/Voxray-AI/Voxray) - AI "
            "voice agents.\n")
    assert where(findings(text, "entry-format")) == [
        (6, 1, "warning", "no space after the list marker '-': this line is not an item of its "
                          "own, it renders as part of line 5")]
    fixed = fix_text(text, "list.md", config_for({}), select=["entry-format"]).text
    assert fixed == text.replace("\n-[voxrai", "\n- [voxrai")
    assert findings(fixed, "entry-format") == []
    # a hyphen that continues a wrapped sentence is no marker
    wrapped = text.replace("-[voxrai-ai](https://github.com/Voxray-AI/Voxray)", "-based tools")
    assert [f.message for f in findings(wrapped, "entry-format")] == [
        "entry continues on line 6; keep an entry on one line"]


def test_spaces_around_a_link_target_are_commonmark():
    # hrcheng1066/awesome-pruning: "[PyTorch(Author)]( https://github.com/varunnair18/FISH)"
    text = ("# L\n\n- [[NeurIPS](https://arxiv.org/abs/2111.09839)] Training Neural Networks with "
            "Fixed Sparse Masks [PyTorch(Author)]( https://github.com/varunnair18/FISH)\n")
    assert findings(text, "link-format") == []
    broken = text.replace("( https://github.com/varunnair18/FISH)",
                          "(https://github.com/varunnair18/FISH\n)")
    # wangkai930418/awesome-diffusion-categorized: a line break before the ")" renders the same
    assert findings(broken, "link-format") == []
    # ...and a padded http link is still upgraded
    plain = text.replace("( https://github.com", "( http://github.com")
    assert [f.message for f in findings(plain, "link-format")] == ["use https for github.com"]


def test_the_blog_version_of_a_paper_in_a_blogs_section_is_no_duplicate():
    # Xnhyacinth/Awesome-LLM-Long-Context-Modeling: FlashAttention-3 as a paper and as a blog post
    text = ("# L\n\n## Attention\n\n1. [**FlashAttention-3: Fast and Accurate Attention with "
            "Asynchrony and Low-precision.**](https://arxiv.org/abs/2407.08608) _Jay Shah, Tri "
            "Dao._ Arxiv 2024.\n\n## Blogs & Tutorials\n\n1. [**FlashAttention-3: Fast and "
            "Accurate Attention with Asynchrony and Low-precision.**]"
            "(https://tridao.me/blog/2024/flash3/) _Jay Shah, Tri Dao._ 2024.\n")
    assert findings(text, "duplicate", EVERY) == []
    # the paper itself under the blogs heading is listed twice
    paper = text.replace("https://tridao.me/blog/2024/flash3/", "https://arxiv.org/abs/2407.08608")
    assert where(findings(paper, "duplicate", changed={9})) == [
        (9, 1, "info", "duplicate of line 5 in Attention (same arXiv ID: 2407.08608)")]
    # outside such a section the same title is still the same paper
    elsewhere = text.replace("## Blogs & Tutorials", "## Kernels")
    assert [f.level for f in findings(elsewhere, "duplicate", changed={9})] == ["info"]


def test_a_change_that_writes_both_copies_of_a_cross_listing_is_not_asked():
    # horseee/Awesome-Efficient-LLM: one change updated both copies' code links
    text = ("# L\n\n## Knowledge Distillation\n\n- [[ArXiv](https://arxiv.org/abs/2411.15927)] "
            "Generative Prompt Internalization\n\n## Text Compression\n\n"
            "- [[ArXiv](https://arxiv.org/abs/2411.15927)] Generative Prompt Internalization\n")
    config = config_for({})
    from bot.engine import check_text
    def dup(changed):
        return [(f.line, f.level) for f in check_text(text, "README.md", config, changed=changed)
                if f.rule == "duplicate"]
    assert dup({5, 9}) == []
    assert dup({9}) == [(9, "info")]  # a change that adds the second copy is asked
    # the same paper twice in one section is an error even when the change wrote both
    same = text.replace("\n\n## Text Compression\n\n", "\n")
    assert same.splitlines()[5] == same.splitlines()[4]
    assert [(f.line, f.level) for f in check_text(same, "README.md", config, changed={5, 6})
            if f.rule == "duplicate"] == [(6, "error")]


def test_blank_lines_between_html_blocks_are_spacing():
    # hemingkx/SpeculativeDecodingPapers: two blank lines between the header's <div> blocks
    text = ("<div align=\"center\">\n  <h2>Title</h2>\n</div>\n\n\n<div align=\"center\">\n"
            "<b>A. Author</b>\n</div>\n\n\n# L\n\n- [a](https://example.org/a)\n\n\n"
            "- [b](https://example.org/b)\n")
    assert where(findings(text, "whitespace")) == [(15, 1, "warning", "more than 1 blank line(s)")]


def test_a_view_that_repeats_the_methods_is_no_cross_listing():
    # A-suozhang/awesome-quantization-and-fixed-point-training: "Ideas" cites the Methods' papers
    papers = [f"- [Paper number {i} on quantization](https://arxiv.org/abs/1901.{10000 + i})"
              for i in range(6)]
    ideas = "\n".join(f"  - idea {i}: [Paper number {i} on quantization]"
                      f"(https://arxiv.org/abs/1901.{10000 + i})" for i in range(3))
    text = ("# Methods\n\n## A. PTQ\n\n" + "\n".join(papers[:3]) + "\n\n## B. QAT\n\n"
            + "\n".join(papers[3:]) + "\n\n# Ideas\n\n## PTQ\n\n- Analytical correction\n"
            + ideas + "\n\n## QAT\n\n- [Paper number 3 on quantization]"
            "(https://arxiv.org/abs/1901.10003)\n- [A new idea paper](https://arxiv.org/abs/1902.1)\n")
    assert findings(text, "duplicate", EVERY) == []
    # one paper of a category listed again in another category is still asked about
    single = text[:text.index("# Ideas")] + "# Other\n\n- [Paper number 0 on quantization]" \
        "(https://arxiv.org/abs/1901.10000)\n- [A new idea paper](https://arxiv.org/abs/1902.1)\n" \
        "- [Another new paper](https://arxiv.org/abs/1902.2)\n"
    assert [f.level for f in findings(single, "duplicate", EVERY)] == ["warning"]


def test_a_link_inside_a_chinese_sentence_cites_a_paper():
    # A-suozhang/awesome-quantization-and-fixed-point-training: notes that cite PACT
    text = ("# L\n\n## Papers\n\n- [PACT: Parameterized Clipping Activation]"
            "(https://arxiv.org/abs/1805.06085)\n\n## Ideas\n\n"
            "* 限制动态范围\n  * 从训练角度就不要让参数分布的太散，比如[PACT](https://arxiv.org/abs/1805.06085)\n"
            "* 学习量化中的各种值\n  * [PACT](https://arxiv.org/abs/1805.06085)学习了Relu的ClippingValue\n")
    assert findings(text, "duplicate", EVERY) == []
    # an entry written in Chinese with a space before its link is an entry
    entry = text.replace("比如[PACT]", "比如 [PACT]")
    assert [f.line for f in findings(entry, "duplicate", EVERY)] == [10]


def test_a_day_that_contradicts_the_arxiv_order_is_the_date_not_the_order():
    # diff-usion/Awesome-Diffusion-Models: "17 Jun 2022" on 2206.10875, between 2206.11xxx
    # (22 Jun) and 2206.10550 (21 Jun) in a newest-first section
    config = {"rules": {"ordering": {"keys": ["-date"]}}}
    text = DATED.replace("9 Dec 2021", "29 Dec 2021").replace("2111.15640", "2112.03000") \
        .replace("30 Dec 2021", "7 Dec 2021")
    found = findings(text, "ordering", config)
    assert where(found) == [
        (10, 1, "warning", "the date 29 Dec 2021 is out of order, but arXiv 2112.05149 is in "
                           "order between its neighbours: a typo in the day?")]
    assert found[0].fix is None
    # a day out: a submission and an announcement date, nothing to report
    assert findings(text.replace("29 Dec 2021", "21 Dec 2021"), "ordering", config) == []
    # against the arXiv order too, the entry is out of place: a move
    moved = text.replace("2112.05149", "2112.20000")
    assert [f.message.split(":")[0] for f in findings(moved, "ordering", config)] == [
        "out of order (by -date)"]


def test_a_follow_up_with_its_arxiv_link_named_otherwise_is_no_copied_link():
    # wangkai930418/awesome-diffusion-categorized: "[[Website](arxiv)]" names the paper link
    text = ("# L\n\n**ColorizeDiffusion: Adjustable Sketch Colorization with Reference Image** \\\n"
            "[[Website](https://arxiv.org/abs/2401.01456)]\n"
            "[[Code](https://github.com/tellurion-kanata/colorizeDiffusion)]\n\n"
            "**Image Referenced Sketch Colorization Based on Animation Creation Workflow** \\\n"
            "[[Website](https://arxiv.org/abs/{id})]\n"
            "[[Code](https://github.com/tellurion-kanata/colorizeDiffusion)]\n")
    assert findings(text.format(id="2502.19937"), "duplicate") == []
    assert [f.level for f in findings(text.format(id="2302.19937"), "duplicate")] == ["info"]
