"""Notice records in the shape of ``Store.get_notice()`` (docs/architecture.md), for ledger tests."""
from __future__ import annotations

STATUSES = ("已完成", "推进中", "长期坚持")
WARNINGS = ("红", "黄", "绿", None)


def make_notice(notice_id=1, problems=3, measures=2, *, issuer="中共某某区委", kind="巡察",
                category_every=2, **fields) -> dict:
    """A notice whose text really contains every title and measure at the spans given."""
    lines = ["根据区委统一部署，区委第一巡察组对某某单位开展了巡察。", "二、巡察反馈问题整改情况"]
    problem_rows = []
    for p in range(1, problems + 1):
        title = f"第{notice_id}号通报问题{p}落实不够到位"
        start = sum(len(line) + 1 for line in lines)
        lines.append(f"{p}.关于“{title}”的问题")
        measure_rows = []
        for m in range(1, measures + 1):
            text = f"措施{p}-{m}：召开专题会议研究部署，建立长效机制。"
            m_start = sum(len(line) + 1 for line in lines)
            lines.append(text)
            measure_rows.append({
                "id": notice_id * 10000 + p * 100 + m, "problem_id": notice_id * 1000 + p, "seq": m,
                "text": text, "span": [m_start, m_start + len(text)], "status": STATUSES[(p + m) % 3],
                "units": ["区发改局"], "dates": [], "quantities": [], "checked": False,
                "person": None, "deadline": None, "progress": None,
                "edited_fields": [], "extracted": {},
            })
        end = sum(len(line) + 1 for line in lines) - 1
        problem_rows.append({
            "id": notice_id * 1000 + p, "notice_id": notice_id, "seq": p, "number": str(p),
            "category": f"方面{(p - 1) // category_every + 1}", "group": None, "title": title,
            "span": [start, end], "title_span": [start + 4, start + 4 + len(title)], "confidence": 0.9,
            "status": STATUSES[p % 3], "rectify_type": "限期整改", "deadline": "2024-12-31",
            "leader": "张三", "units": "区发改局", "person": "李四", "effect": "已建立制度2项",
            "closed": p % 2 == 0, "closed_at": "2024-10-01" if p % 2 == 0 else None, "remark": None,
            "checked": p == 1, "checked_at": None, "warning": WARNINGS[p % 4],
            "evidence": [{"id": 1, "name": f"会议纪要{p}.pdf", "path": "/tmp/x.pdf", "added_at": "2024-10-01"}],
            "edited_fields": [], "extracted": {}, "measures": measure_rows,
        })
    notice = {
        "id": notice_id, "title": f"中共某某区委关于巡察整改进展情况的通报（{notice_id}）", "kind": kind,
        "issuer": issuer, "inspector": "区委第一巡察组", "round": "第四轮",
        "inspection_start": "2024-03-01", "inspection_end": "2024-04-30", "feedback_date": "2024-06-15",
        "published": "2024-12-28", "disclosure": None, "contact": None, "text": "\n".join(lines),
        "source": {"path": f"/data/notice{notice_id}.txt", "name": f"notice{notice_id}.txt",
                   "sha256": "0" * 64, "encoding": "utf-8", "format": "txt"},
        "imported_at": "2026-01-01T10:00:00", "review_status": "待审核", "warnings": [],
        "outcomes": [{"id": 1, "text": "党纪处分2人", "quantity": 2, "unit": "人", "span": [0, 6]},
                     {"id": 2, "text": "清退资金3.5万元", "quantity": 3.5, "unit": "万元", "span": [0, 9]}],
        "edited_fields": [], "extracted": {}, "problems": problem_rows,
    }
    notice.update(fields)
    return notice
