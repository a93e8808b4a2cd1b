"""Review effort: how many window actions turn the extraction into the gold, per fixture.

    .venv/bin/python bench/review_effort.py [--root DIR] [FOLDER ...]

FOLDER holds notices and a gold/ folder in the seed gold format (default: the repo's
tests/fixtures/{genre,genre_files,blind} and ../shared/seeds with ../shared/gold). ``--root``
reads with another checkout's extractor (e.g. an older commit unpacked somewhere) to compare.

Problems are aligned by title as ../shared/tools/score.py aligns them. The actions counted:

without the structural actions (one item at a time)
  add       a gold problem the extraction lacks: 1, plus 1 per measure typed in
  delete    an extracted problem the gold lacks: 1
  split     one per measure missing from an aligned problem (a measure left whole)
  merge     one per measure too many
  category  one per aligned problem whose 类别 differs; group likewise
  title     one per aligned problem whose title differs (after score.py's normalisation)
with the structural actions
  relevel   1 for reading the notice with another layout (调整层级), when that costs less
  heading   1 to turn an extracted problem into the category heading of the problems after
            it (instead of deleting it and setting each category)
  split-run 1 per aligned problem to split a measure at every 一是/①/；-run
  category  1 per run of neighbouring problems given the same 类别 (multi-select), group likewise

Printed: one line per fixture, then the mean actions per 10 gold problems with and without.
"""
from __future__ import annotations

import argparse
import difflib
import importlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_PUNCT = re.compile(r"[\s“”‘’\"'「」『』《》〈〉（）()【】\[\]，,。.、：:；;！!？?·\-—…]")


def norm(s):
    return _PUNCT.sub("", s or "")


def similar(a, b):
    a, b = norm(a), norm(b)
    if not a or not b:
        return 0.0
    return 1.0 if a == b else difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def align(gold, pred, threshold=0.85):
    """Monotonic alignment of gold to predicted problems by title (as score.py does)."""
    n, m = len(gold), len(pred)
    sim = [[similar(g["title"], p["title"]) for p in pred] for g in gold]
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = best[i + 1][j + 1] + 1 if sim[i][j] >= threshold else -1
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if sim[i][j] >= threshold and best[i][j] == best[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i += 1
            j += 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def _same(a, b):
    return (not a and not b) or similar(a, b) >= 0.85


def actions(gold: list[dict], pred: list[dict], structural: bool) -> dict:
    """Action counts that turn ``pred`` (extracted problems) into ``gold``."""
    pairs = align(gold, pred)
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    count = {"add": 0, "delete": 0, "split": 0, "merge": 0, "category": 0, "group": 0, "title": 0, "heading": 0}
    for i, g in enumerate(gold):
        if i not in matched_g:
            count["add"] += 1 + g["measures"]
    gold_categories = {norm(g.get("category")) for g in gold if g.get("category")}
    headings = set()
    for j, p in enumerate(pred):
        if j in matched_p:
            continue
        if structural and norm(p["title"]) in gold_categories:
            count["heading"] += 1  # 设为类别标题: its problems below take it as their category
            headings.add(norm(p["title"]))
        else:
            count["delete"] += 1
    need_cat, need_grp = [], []
    for i, j in pairs:
        g, p = gold[i], pred[j]
        have, want = len(p["measures"]), g["measures"]
        if have < want:
            count["split"] += 1 if structural else want - have
        elif have > want:
            count["merge"] += have - want
        if norm(g["title"]) != norm(p["title"]):
            count["title"] += 1
        cat_ok = _same(g.get("category"), p.get("category"))
        if not cat_ok and not (structural and norm(g.get("category")) in headings):
            need_cat.append((i, norm(g.get("category"))))
        if not _same(g.get("group"), p.get("group")):
            need_grp.append((i, norm(g.get("group"))))
    for key, needs in (("category", need_cat), ("group", need_grp)):
        if structural:  # one action per run of neighbours set to the same value
            count[key] = sum(1 for k, (i, v) in enumerate(needs) if k == 0 or needs[k - 1] != (i - 1, v))
        else:
            count[key] = len(needs)
    count["total"] = sum(count.values())
    return count


def _notices(folder: Path):
    gold_dir = folder / "gold"
    if not gold_dir.is_dir() and folder.name == "seeds":
        gold_dir = folder.parent / "gold"
    for gpath in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        yield folder / gold["file"], gold


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--root", type=Path, default=ROOT, help="the checkout whose extractor is measured")
    ap.add_argument("--quiet", action="store_true", help="only the fixtures that need any action")
    args = ap.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    extract_mod = importlib.import_module("core.extract")
    from core.ingest import read_file

    folders = args.folders or [ROOT / "tests/fixtures/genre", ROOT / "tests/fixtures/genre_files",
                               ROOT / "tests/fixtures/blind", ROOT.parent / "shared" / "seeds"]
    totals = {"plain": 0, "structural": 0, "problems": 0, "relevel": 0}
    print(f"{'fixture':<36}{'gold':>6}{'plain':>7}{'struct':>8}  actions with the structural ones")
    for folder in folders:
        if not folder.is_dir():
            print(f"{folder}: not found, skipped")
            continue
        for path, gold in _notices(folder):
            ingested = read_file(path)
            result = extract_mod.extract(ingested.text, source=ingested.source, title_hint=ingested.title_hint)
            plain = actions(gold["problems"], result["problems"], structural=False)
            best = actions(gold["problems"], result["problems"], structural=True)
            relevel = None
            for alt in (result.get("layout") or {}).get("alternatives", []):
                other = extract_mod.extract(ingested.text, source=ingested.source, title_hint=ingested.title_hint,
                                            layout_choice=alt["name"])
                cost = actions(gold["problems"], other["problems"], structural=True)
                if cost["total"] + 1 < best["total"]:
                    best, relevel = {**cost, "relevel": 1, "total": cost["total"] + 1}, alt["name"]
            totals["plain"] += plain["total"]
            totals["structural"] += best["total"]
            totals["problems"] += len(gold["problems"])
            totals["relevel"] += relevel is not None
            if plain["total"] or not args.quiet:
                detail = ", ".join(f"{k} {v}" for k, v in best.items() if v and k != "total")
                print(f"{path.name:<36}{len(gold['problems']):>6}{plain['total']:>7}{best['total']:>8}  {detail}")
    n = max(1, totals["problems"])
    print(f"overall: {totals['problems']} gold problems; mean actions per 10 problems: "
          f"{totals['plain'] / n * 10:.2f} one item at a time, {totals['structural'] / n * 10:.2f} with the "
          f"structural actions ({totals['relevel']} notices re-levelled)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
