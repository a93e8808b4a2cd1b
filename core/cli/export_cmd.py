"""``export``: write the ledger (整改台账) of stored notices, or of notice files directly.

    export --all -o 台账.xlsx                     every notice, 上报版 (A4, the leader's columns)
    export 3 5 -o 台账.xlsx --profile 工作版       notices 3 and 5, every column, A3
    export --all --per-unit 分发/ --layout measure  one workbook per 责任单位, for the units to fill
    export 通报.txt -o 台账.xlsx                   a file, extracted on the spot (no database)
"""
from __future__ import annotations

from pathlib import Path

from core import ledger, paths
from core.cli.progress import ProgressLine
from core.errors import ExportError

def add_parser(subparsers) -> None:
    p = subparsers.add_parser("export", help="导出整改台账（Excel / CSV / JSON）")
    p.add_argument("targets", nargs="*", metavar="ID|FILE",
                   help="通报编号（见 list 命令），或直接给出通报文件（不经数据库）")
    p.add_argument("--all", action="store_true", help="导出数据库中的全部通报")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("-o", "--output", metavar="FILE", help="导出到的文件（.xlsx/.csv/.json）")
    out.add_argument("--per-unit", metavar="DIR",
                     help="按责任单位分别导出：每个单位一个工作簿，只含它的问题，写入这个文件夹")
    p.add_argument("--profile", choices=list(ledger.PROFILE_NAMES), default=ledger.DEFAULT_PROFILE.name,
                   help="上报版：领导阅看的列，A4 横向（默认）；工作版：全部列，A3 横向")
    p.add_argument("--layout", choices=ledger.LAYOUTS, default="problem",
                   help="problem：每个问题一行（默认）；measure：每项措施一行")
    p.add_argument("--format", choices=ledger.FORMATS, help="导出格式（默认按文件后缀）")
    p.add_argument("--hide", nargs="+", default=[], metavar="COL", choices=ledger.COLUMN_KEYS,
                   help="不导出的列：" + "、".join(f"{c.key}={c.header}" for c in ledger.COLUMNS))
    p.add_argument("--show", nargs="+", default=[], metavar="COL", choices=sorted(ledger.ASKED_ONLY),
                   help="另外导出平时不印的列：checked=核对，location=原文位置")
    p.add_argument("--edit-log", action="store_true", help="附上修改记录工作表（仅 Excel）")
    p.add_argument("--db", metavar="PATH", help="数据库文件（默认在用户数据目录）")
    p.set_defaults(run=run)


def run(args) -> int:
    fmt = args.format or (ledger.format_of(args.output) if args.output else "xlsx")
    if fmt is None:
        raise ExportError("无法识别导出格式，请用 --format 指定，或使用 .xlsx、.csv、.json 文件名",
                          path=args.output)
    files = [t for t in args.targets if Path(t).is_file()]
    if files and (args.all or len(files) < len(args.targets)):
        raise ExportError("不能把通报文件和数据库中的通报编号混在一起导出")
    if files:
        from core.extract import extract_file

        notices, edit_logs, database_id = [ledger.record_from_extraction(extract_file(f)) for f in files], None, None
    else:
        notices, edit_logs, database_id = _from_store(args)
    options = {"fmt": fmt, "profile": args.profile, "layout": args.layout, "hidden_columns": args.hide,
               "shown_columns": args.show, "database_id": database_id}
    if args.per_unit:
        written = ledger.export_per_unit(notices, args.per_unit, progress=ProgressLine("导出"), **options)
        for unit, path, count in written:
            print(f"{unit}：{count} 个问题 → {path}")
        print(f"已按责任单位导出 {len(written)} 个文件到 {args.per_unit}")
        return 0
    target = ledger.export(notices, args.output, edit_logs=edit_logs, progress=ProgressLine("导出"), **options)
    problems = sum(len(n["problems"]) for n in notices)
    print(f"已导出 {len(notices)} 份通报、{problems} 个问题到 {target}")
    return 0


def _from_store(args):
    from core.store import Store

    if not args.all and not args.targets:
        raise ExportError("请给出要导出的通报编号，或用 --all 导出全部通报")
    bad = [t for t in args.targets if not t.isdigit()]
    if bad:
        raise ExportError(f"找不到文件，也不是通报编号：{'、'.join(bad)}")
    db_path = paths.default_db_path(args.db)
    if not db_path.exists():
        raise ExportError("数据库还不存在，请先导入通报", path=str(db_path))
    store = Store.open(db_path)
    try:
        known = store.notice_ids()
        ids = known if args.all else list(dict.fromkeys(int(t) for t in args.targets))  # each once
        missing = [str(i) for i in ids if i not in set(known)]
        if missing:
            raise ExportError(f"数据库中没有这些编号的通报：{'、'.join(missing)}")
        if not ids:
            raise ExportError("数据库中还没有通报")
        notices = [store.get_notice(i) for i in ids]
        edit_logs = {i: store.edit_log(i) for i in ids} if args.edit_log else None
        db_id = ledger.identity.database_id(store)
    finally:
        store.close()
    return notices, edit_logs, db_id
