"""Shared test set-up: every test runs with its own data folder and offscreen Qt."""
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"
# ../shared sits beside the repo for developers and CI, not in a user's clone: tests that need
# the real seeds (their gold scores) skip without them; everything else uses notices in the repo.
HAVE_SEEDS = any(SEEDS.glob("*.txt"))
needs_seeds = pytest.mark.skipif(
    not HAVE_SEEDS, reason="the real seed notices (../shared/seeds) are not beside this clone")
SAMPLE = ROOT / "resources" / "sample" / "sample_notice.txt"
GENRE = ROOT / "tests" / "fixtures" / "genre"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Point data/cache/log folders at a temporary folder; jieba's cache is shared per session."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ZGTZ_HOME", str(home))
    monkeypatch.delenv("ZGTZ_DB", raising=False)
    yield home


def pytest_collection_modifyitems(config, items):
    """Every test under tests/gui is marked ``gui`` (``-m "not gui"`` runs the rest without Qt)."""
    gui_dir = ROOT / "tests" / "gui"
    for item in items:
        if gui_dir in Path(item.fspath).parents:
            item.add_marker(pytest.mark.gui)


def seed_paths():
    """The real seed notices of ../shared (empty in a user's clone)."""
    return sorted(SEEDS.glob("*.txt"))


def notice_paths():
    """Real-style notices inside the repo, the same in every clone: the bundled sample (a real
    published notice) first, then the genre fixtures written after real layouts."""
    return [SAMPLE, *sorted(GENRE.glob("*.txt"))]
