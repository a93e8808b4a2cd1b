"""``extract FILE [--json]``: show what the extractor finds in one notice, without storing it."""
from __future__ import annotations

import json
import sys

_MEASURE_WIDTH = 60


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("extract", help="提取一份通报中的问题和整改措施（不写入数据库）")
    p.add_argument("file", metavar="FILE", help=".txt/.htm/.html/.docx/.pdf 通报文件")
    p.add_argument("--json", action="store_true", help="输出完整的提取结果 JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    from core.extract import extract_file

    result = extract_file(args.file)
    if args.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(outline(result))
    return 0


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def outline(result: dict) -> str:
    """A readable Chinese summary of an extraction."""
    m = result["meta"]
    lines = [
        f"标题：{m.get('title') or '（未识别）'}",
        f"类型：{m.get('kind') or '（未识别）'}    发布单位：{m.get('issuer') or '（未识别）'}",
        f"巡视巡察组：{m.get('inspector') or '（未识别）'}    反馈日期：{m.get('feedback_date') or '（未识别）'}"
        f"    发布日期：{m.get('published') or '（未识别）'}",
    ]
    problems = result["problems"]
    lines.append(f"共识别出 {len(problems)} 个问题、{sum(len(p['measures']) for p in problems)} 项整改措施")
    category = group = None
    for p in problems:
        if p["category"] and p["category"] != category:
            category = p["category"]
            lines.append(f"【{category}】")
        if p["group"] and p["group"] != group:
            group = p["group"]
            lines.append(f"  〔{group}〕")
        status = f"  [{p['status']}]" if p["status"] else ""
        lines.append(f"{p['seq']}. {p['title']}{status}  （可信度 {p['confidence']:.2f}）")
        for ms in p["measures"]:
            lines.append(f"    {ms['seq']}) {_clip(ms['text'], _MEASURE_WIDTH)}")
    if result["warnings"]:
        lines.append("提示：")
        lines += [f"  - {w}" for w in result["warnings"]]
    return "\n".join(lines) + "\n"
