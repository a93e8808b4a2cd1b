"""The import, list, search and backup verbs, run in-process as main.py runs them."""
import sqlite3

import pytest

from core import paths
from core.cli import main
from core.store import Store

SAMPLE = paths.sample_notice_path().read_text(encoding="utf-8")


@pytest.fixture
def db(tmp_path):
    return tmp_path / "cli.sqlite3"


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    for i in (1, 2):
        (root / f"n{i}.txt").write_text(SAMPLE + f"\n副本编号：{i}\n", encoding="utf-8")
    return root


def test_import_prints_results_summary_and_progress(db, folder, tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["import", str(folder), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[-1] == "导入 2 份，重复 0 份，失败 0 份"
    assert "n1.txt" in out and "n2.txt" in out
    assert "2/2" in err

    assert main(["import", str(folder / "n1.txt"), str(empty), "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[-1] == "导入 0 份，重复 1 份，失败 1 份"
    assert any(line.startswith("失败") and "empty.txt" in line for line in out.splitlines())


def test_import_takes_the_days_backup_first(db, folder, capsys):
    from core.backup import list_backups

    main(["import", str(folder / "n1.txt"), "--db", str(db)])
    assert list_backups(db) == []            # nothing to back up before the first import
    main(["import", str(folder / "n2.txt"), "--db", str(db)])
    [backup] = list_backups(db)
    saved = sqlite3.connect(backup)          # taken before the second import wrote
    assert saved.execute("SELECT count(*) FROM notices").fetchone() == (1,)
    saved.close()
    main(["import", str(folder / "n1.txt"), "--db", str(db)])
    assert list_backups(db) == [backup]      # one a day


def test_list_prints_a_table(db, folder, capsys):
    main(["import", str(folder), "--db", str(db)])
    capsys.readouterr()
    assert main(["list", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "标题", "发布单位", "日期", "问题数", "措施数", "已核对", "状态"]
    store = Store.open(db)
    notices = store.list_notices()
    store.close()
    assert len(lines) == 1 + len(notices) == 3
    for line, notice in zip(lines[1:], notices):
        cells = line.split()
        assert cells[0] == str(notice["id"])
        assert notice["title"] in line
        assert str(notice["problem_count"]) in cells and notice["review_status"] == cells[-1]


def test_list_of_an_empty_database(db, capsys):
    assert main(["list", "--db", str(db)]) == 0
    assert capsys.readouterr().out == ""


def test_search_prints_notice_problem_and_snippet(db, folder, capsys):
    main(["import", str(folder / "n1.txt"), "--db", str(db)])
    capsys.readouterr()
    assert main(["search", "招商引资", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    store = Store.open(db)
    notice = store.get_notice(store.notice_ids()[0])
    store.close()
    assert f"#{notice['id']} {notice['title']}" in out
    assert "问题 " in out and "招商" in out
    assert out.splitlines()[-1].startswith("共 ")


def test_backup_verb_makes_lists_and_restores(db, folder, capsys):
    main(["import", str(folder / "n1.txt"), "--db", str(db)])
    capsys.readouterr()
    assert main(["backup", "--db", str(db)]) == 0
    made = capsys.readouterr().out.strip().removeprefix("已备份到 ")
    main(["import", str(folder / "n2.txt"), "--db", str(db)])
    assert main(["backup", "--list", "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == made

    assert main(["backup", "--restore", made, "--db", str(db)]) == 0
    store = Store.open(db)
    assert len(store.notice_ids()) == 1
    store.close()


def test_backup_restore_of_a_bad_file_is_an_expected_error(db, folder, tmp_path, capsys):
    main(["import", str(folder / "n1.txt"), "--db", str(db)])
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("不是数据库", encoding="utf-8")
    capsys.readouterr()
    assert main(["backup", "--restore", str(bad), "--db", str(db)]) == 2
    assert capsys.readouterr().err.startswith("错误：")
