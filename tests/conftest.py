"""Shared test set-up: every test runs with its own data folder and offscreen Qt."""
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Point data/cache/log folders at a temporary folder; jieba's cache is shared per session."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ZGTZ_HOME", str(home))
    monkeypatch.delenv("ZGTZ_DB", raising=False)
    yield home


def seed_paths():
    return sorted(SEEDS.glob("*.txt"))
