"""Verbs on the local store: ``import``, ``list``, ``search`` and ``backup``."""
from __future__ import annotations

import sys
import unicodedata

from core import paths

LIST_COLUMNS = ("id", "标题", "发布单位", "日期", "问题数", "措施数", "已核对", "状态")


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("import", help="导入通报文件或文件夹")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR", help=".txt/.htm/.html/.docx/.pdf 文件或文件夹")
    _add_db(p)
    p.set_defaults(run=run_import)

    p = subparsers.add_parser("list", help="列出已导入的通报")
    p.add_argument("--filter", default="", help="只列出标题或发布单位含此文字的通报")
    _add_db(p)
    p.set_defaults(run=run_list)

    p = subparsers.add_parser("search", help="全文搜索问题和措施")
    p.add_argument("words", nargs="+", metavar="WORDS")
    p.add_argument("--limit", type=int, default=50, help="最多显示多少条（默认 50）")
    _add_db(p)
    p.set_defaults(run=run_search)

    p = subparsers.add_parser("backup", help="立即备份数据库，或从备份恢复")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--restore", metavar="FILE", help="用此备份文件替换数据库（先备份当前数据库）")
    group.add_argument("--list", action="store_true", help="列出已有备份")
    _add_db(p)
    p.set_defaults(run=run_backup)


def _add_db(parser) -> None:
    parser.add_argument("--db", metavar="PATH", help="数据库文件（默认在用户数据目录）")


def _open(args, *, write: bool = False):
    """The store, saying on stderr while another program holds the database; ``write``
    refuses a read-only database at once, before any work is done."""
    from core.cli.progress import ProgressLine
    from core.errors import ReadOnlyDatabaseError
    from core.store import Store
    from core.store_open import READ_ONLY

    line = ProgressLine("", interval=1.0)

    def waiting(waited: float, limit: float) -> None:
        line.show(f"数据库正被其他程序占用，等待中（{waited:.0f}/{limit:.0f} 秒）")

    store = Store.open(paths.default_db_path(args.db), on_wait=waiting)
    line.end()
    if write and store.read_only:
        store.close()
        raise ReadOnlyDatabaseError(READ_ONLY, path=str(store.path))
    return store


def run_import(args) -> int:
    from core.backup import rolling_backup
    from core.cli.progress import ProgressLine
    from core.errors import StoreError
    from core.importer import import_paths

    progress = ProgressLine("进度")
    rolling_backup(paths.default_db_path(args.db))   # the day's backup before writing, if none yet
    store = _open(args, write=True)
    try:
        report = import_paths(store, args.paths, progress=progress)
    except StoreError as exc:  # the database stopped the batch: say what was finished first
        progress.end()
        if getattr(exc, "report", None):
            _print_report(exc.report)
        raise
    finally:
        store.close()
    _print_report(report)
    return 1 if report.failed else 0


def _print_report(report) -> None:
    for path, notice_id in report.imported:
        print(f"已导入  #{notice_id}  {path}")
    for path, notice_id in report.duplicates:
        print(f"重复    #{notice_id}  {path}（已导入过，未重复导入）")
    for path, message in report.failed:
        print(f"失败    {path}：{message}")
    print(f"导入 {len(report.imported)} 份，重复 {len(report.duplicates)} 份，失败 {len(report.failed)} 份")


def run_list(args) -> int:
    store = _open(args)
    try:
        notices = store.list_notices(args.filter)
    finally:
        store.close()
    if not notices:
        print("数据库中还没有通报", file=sys.stderr)
        return 0
    rows = [
        (
            str(n["id"]), n["title"] or "（无标题）", n["issuer"] or "", n["published"] or "",
            str(n["problem_count"]), str(n["measure_count"]),
            f"{n['checked_count']}/{n['problem_count']}", n["review_status"],
        )
        for n in notices
    ]
    print(_table(LIST_COLUMNS, rows))
    return 0


def run_search(args) -> int:
    store = _open(args)
    try:
        hits = store.search(" ".join(args.words), limit=args.limit)
        problems = {}
        for notice_id in {h["notice_id"] for h in hits if h["problem_id"]}:
            for problem in store.get_notice(notice_id)["problems"]:
                problems[problem["id"]] = problem
    finally:
        store.close()
    if not hits:
        print("没有找到匹配的内容", file=sys.stderr)
        return 0
    for hit in hits:
        print(f"#{hit['notice_id']} {hit['notice_title'] or '（无标题）'}")
        problem = problems.get(hit["problem_id"])
        if problem:
            print(f"  问题 {problem['seq']}：{problem['title']}")
        print(f"  {hit['snippet']}")
    print(f"共 {len(hits)} 条")
    return 0


def run_backup(args) -> int:
    from core import backup

    db_path = paths.default_db_path(args.db)
    if args.list:
        for path in backup.list_backups(db_path):
            print(path)
        return 0
    if args.restore:
        saved = backup.restore(args.restore, db_path)
        if saved:
            print(f"原数据库已备份到 {saved}")
        print(f"已从 {args.restore} 恢复数据库 {db_path}")
        return 0
    print(f"已备份到 {backup.backup_now(db_path)}")
    return 0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(header, rows) -> str:
    widths = [max(_width(row[i]) for row in (header, *rows)) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)).rstrip()
        for row in (header, *rows)
    )
