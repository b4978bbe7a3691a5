"""Shared test helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples (a red CI must be reproducible);
# locally every run draws new ones. `LISTKEEPER_HYPOTHESIS=ci` selects the CI profile.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("LISTKEEPER_HYPOTHESIS", "default"))

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("LISTKEEPER_CORPUS", ROOT.parent / "shared" / "corpus"))
SEED = ROOT.parent / "shared" / "seed" / "README.md"


def corpus_lists() -> list[Path]:
    directory = CORPUS / "lists"
    return sorted(directory.glob("*.md")) if directory.is_dir() else []


def corpus_histories() -> list[Path]:
    directory = CORPUS / "history"
    return sorted(p for p in directory.iterdir() if p.is_dir()) if directory.is_dir() else []


needs_corpus = pytest.mark.skipif(not corpus_lists(), reason="corpus ../shared/corpus is absent")
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="seed ../shared/seed is absent")
