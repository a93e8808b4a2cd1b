"""``main.py extract FILE [--json]``."""
import json
import subprocess
import sys

import pytest

from core.cli import main
from tests.conftest import ROOT

NOTICE = (
    "中共某某区委关于巡察整改进展情况的通报\n"
    "根据区委统一部署，区委第一巡察组对某某局开展了巡察，反馈问题3个。\n"
    "一、巡察整改组织领导情况\n局党组高度重视，成立领导小组。\n"
    "二、巡察反馈问题整改情况\n"
    "1.关于“学习不深入”的问题\n整改情况：一是已完成补学。二是建立学习制度。\n"
    "2.关于“宣传不到位”的问题\n整改情况：正在推进宣传专栏建设。\n"
    "中共某某局党组\n2024年7月18日\n"
)


@pytest.fixture
def notice_file(tmp_path):
    path = tmp_path / "通报.txt"
    path.write_bytes(NOTICE.encode("gb18030"))
    return path


def test_json_is_the_contract_and_nothing_else(notice_file, capsys):
    assert main(["extract", str(notice_file), "--json"]) == 0
    out, _ = capsys.readouterr()
    result = json.loads(out)
    assert result["text"] == NOTICE.rstrip("\n")
    assert result["source"]["encoding"] == "gb18030"
    assert [p["title"] for p in result["problems"]] == ["学习不深入", "宣传不到位"]
    assert [len(p["measures"]) for p in result["problems"]] == [2, 1]
    assert "学习不深入" in out  # ensure_ascii=False: Chinese as is


def test_outline_in_chinese(notice_file, capsys):
    assert main(["extract", str(notice_file)]) == 0
    out, _ = capsys.readouterr()
    assert "共识别出 2 个问题、3 项整改措施" in out
    assert "1. 学习不深入" in out and "2) 建立学习制度。" in out
    assert "发布单位：中共某某局党组" in out
    assert "通报称反馈问题3个，识别出2个" in out


@pytest.mark.parametrize("name, content", [("missing.txt", None), ("notice.xls", b"abc"), ("empty.txt", b"  ")])
def test_unreadable_file_exits_2_with_one_line(tmp_path, capsys, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert main(["extract", str(path), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("错误：") and err.count("\n") == 1


def test_main_py_prints_utf8_json(notice_file):
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "extract", str(notice_file), "--json"],
                          capture_output=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert json.loads(done.stdout.decode("utf-8"))["problems"][1]["title"] == "宣传不到位"
