"""``merge-ledger``: bring back what a unit filled into an exported ledger (回填).

    merge-ledger 发改局.xlsx --dry-run     show every change, conflict and flagged row; write nothing
    merge-ledger 发改局.xlsx               apply (reviewer 回填：发改局.xlsx), one undo step per notice
    merge-ledger 分发/                     every .xlsx in the folder (the per-unit files) in one go
"""
from __future__ import annotations

import sys

from core import paths
from core.errors import ExpectedError


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("merge-ledger", help="把各单位填好的整改台账合并回数据库")
    p.add_argument("source", metavar="FILE.xlsx|DIR", help="导出后由单位填写的台账，或装着多个台账的文件夹")
    p.add_argument("--db", metavar="PATH", help="数据库文件（默认在用户数据目录）")
    p.add_argument("--dry-run", action="store_true", help="只列出将要做的修改，不写入数据库")
    p.add_argument("--take-file", action="store_true",
                   help="冲突（导出后程序中也改过的单元格）也采用文件中的值；默认保留程序中的值")
    p.set_defaults(run=run)


def run(args) -> int:
    from core.ledger import merge
    from core.store import Store

    db_path = paths.default_db_path(args.db)
    if not db_path.exists():
        raise ExpectedError("数据库还不存在，请先导入通报", path=str(db_path))
    files = merge.ledger_files(args.source)
    with Store.open(db_path) as store:
        result = merge.preview(store, files)
        if args.take_file:
            for change in result.conflicts:
                change.apply = True
        print_preview(result)
        if args.dry_run:
            print("（试运行：没有写入数据库）")
            return 0
        if result.is_empty():
            print("没有要合并的修改")
            return 1 if result.flags else 0
        counts = merge.apply(store, result)
    print(f"已合并 {counts['changes']} 处修改、{counts['new_measures']} 项新措施"
          f"（{counts['steps']} 步，可在程序中按通报撤销）")
    return 1 if result.flags else 0


def print_preview(result) -> None:
    out = sys.stdout
    for note in result.notes:
        print(f"注意：{note}", file=out)
    plain = [c for c in result.changes if not c.conflict]
    if plain:
        print(f"修改 {len(plain)} 处：", file=out)
        for c in plain:
            note = f"（{c.note}）" if c.note else ""
            print(f"  {c.source} · {c.notice} · {c.label}：{_text(c.old)} → {_text(c.new)}{note}", file=out)
    if result.conflicts:
        print(f"冲突 {len(result.conflicts)} 处（导出后程序中也改过）：", file=out)
        for c in result.conflicts:
            choice = "采用文件中的值" if c.apply else "保留程序中的值"
            print(f"  {c.source} · {c.notice} · {c.label}：导出时 {_text(c.base)}；程序中 {_text(c.old)}；"
                  f"文件中 {_text(c.new)} → {choice}", file=out)
    if result.new_measures:
        print(f"新增措施 {len(result.new_measures)} 项：", file=out)
        for n in result.new_measures:
            print(f"  {n.source} · {n.notice} · {n.item}：{n.text}", file=out)
    if result.flags:
        print(f"未合并的行 {len(result.flags)} 处：", file=out)
        for flag in result.flags:
            print(f"  {flag}", file=out)


def _text(value) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    return "（空）" if value in (None, "") else str(value)
