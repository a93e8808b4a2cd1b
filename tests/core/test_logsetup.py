import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from core import logsetup, paths


def _ours():
    return [h for h in logging.getLogger().handlers if getattr(h, logsetup._MARK, False)]


@pytest.fixture(autouse=True)
def _restore_root():
    root = logging.getLogger()
    level = root.level
    yield
    for handler in _ours():
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_writes_to_app_log_in_log_folder():
    log_path = logsetup.setup_logging()
    assert log_path == paths.log_dir() / "app.log"
    logging.getLogger("zgtz.test").info("导入完成 %d 份", 3)
    for handler in _ours():
        handler.flush()
    assert "导入完成 3 份" in log_path.read_text(encoding="utf-8")


def test_rotates_at_one_megabyte_keeping_five():
    logsetup.setup_logging()
    (file_handler,) = [h for h in _ours() if isinstance(h, RotatingFileHandler)]
    assert file_handler.maxBytes == 1_000_000
    assert file_handler.backupCount == 5
    line = "x" * 1000
    for _ in range(7_000):
        logging.getLogger("zgtz.test").info(line)
    names = sorted(p.name for p in paths.log_dir().iterdir())
    assert names == ["app.log"] + [f"app.log.{i}" for i in range(1, 6)]


def test_stderr_gets_warnings_only(capsys):
    logsetup.setup_logging()
    logging.getLogger("zgtz.test").info("只进日志文件")
    logging.getLogger("zgtz.test").warning("也显示在终端")
    err = capsys.readouterr().err
    assert "也显示在终端" in err
    assert "只进日志文件" not in err


def test_idempotent():
    first = logsetup.setup_logging()
    second = logsetup.setup_logging()
    assert first == second
    assert len(_ours()) == 2


def test_follows_a_new_log_folder(tmp_path, monkeypatch):
    logsetup.setup_logging()
    monkeypatch.setenv("ZGTZ_HOME", str(tmp_path / "other"))
    log_path = logsetup.setup_logging()
    assert log_path == tmp_path / "other" / "logs" / "app.log"
    assert len(_ours()) == 2
    assert [Path(h.baseFilename) for h in _ours() if isinstance(h, RotatingFileHandler)] == [log_path]
