"""Small notices built for GUI tests: text plus an extraction dict with exact spans."""
from __future__ import annotations

CATEGORIES = ["贯彻落实党中央决策部署方面", "全面从严治党方面"]


def make_extraction(problems: int = 3, measures: int = 2, tag: str = "甲", confidence=None) -> dict:
    """A notice of ``problems`` problems with ``measures`` measures each; ``tag`` makes it unique."""
    parts = [f"中共{tag}区委关于巡察整改进展情况的通报\n", "一、整改情况\n"]
    offset = sum(map(len, parts))
    items = []
    for p in range(1, problems + 1):
        title = f"关于“{tag}问题{p}学习研究不够深入”的问题"
        heading = f"{p}.{title}\n"
        title_span = [offset + 2, offset + 2 + len(title)]
        body_start = offset
        offset += len(heading)
        parts.append(heading)
        prefix = "整改情况："
        parts.append(prefix)
        offset += len(prefix)
        ms = []
        for m in range(1, measures + 1):
            text = f"{'一二三四五六七八九十'[(m - 1) % 10]}是{tag}单位召开第{p}-{m}次专题会议，完善制度{m}项。"
            ms.append({"seq": m, "text": text, "span": [offset, offset + len(text)],
                       "status": "已完成" if m % 2 else "推进中", "units": [f"{tag}区委办"],
                       "dates": ["2024-06-30"], "quantities": []})
            parts.append(text)
            offset += len(text)
        parts.append("\n")
        offset += 1
        items.append({
            "seq": p, "number": str(p), "category": CATEGORIES[(p - 1) % 2], "group": None,
            "title": f"{tag}问题{p}学习研究不够深入", "span": [body_start, offset - 1],
            "title_span": title_span, "status": "推进中",
            "confidence": confidence[p - 1] if confidence else 0.9, "measures": ms,
        })
    parts.append(f"中共{tag}区委\n2024年7月18日\n")
    return {
        "text": "".join(parts),
        "source": {"path": None, "sha256": None, "encoding": "utf-8", "format": "text"},
        "meta": {"title": f"中共{tag}区委关于巡察整改进展情况的通报", "kind": "巡察", "issuer": f"中共{tag}区委",
                 "published": "2024-07-18"},
        "warnings": [], "outcomes": [], "problems": items,
    }


def notice_text(tag: str = "甲", problems: int = 2) -> str:
    return make_extraction(problems, 2, tag)["text"]


def add_notice(store, **kwargs) -> int:
    notice_id, _duplicate = store.add_extraction(make_extraction(**kwargs))
    return notice_id


def open_window(qtbot, db_path, select_id=None):
    """A shown, loaded main window on its own exclusive Store."""
    from core.store import Store
    from gui.main_window import MainWindow

    window = MainWindow(Store.open(db_path, exclusive=True))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.load(select_id)
    return window


def notices_db(path, tags=("甲",), **kwargs) -> list[int]:
    """A database at ``path`` holding one made-up notice per tag; their ids."""
    from core.store import Store

    with Store.open(path) as store:
        return [add_notice(store, tag=tag, **kwargs) for tag in tags]


def select_text(view, start: int, end: int) -> None:
    """Select characters start..end of a text view, as a drag with the mouse would."""
    from PySide6.QtGui import QTextCursor

    cursor = view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.KeepAnchor)
    view.setTextCursor(cursor)
