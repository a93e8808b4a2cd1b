"""Per-item fields: status, responsible units, dates and quantities of a measure;
整改类型 and deadline of a problem; the status roll-up of a problem.

Also the small parsers (Chinese numerals, dates, quantities) that ``meta.py`` shares.
Regexes run first; jieba's part-of-speech cut, the dearest step of an extraction, runs only on
the stretches of a clause that can hold a name (up to 16 characters before an organisation
suffix), and a stretch seen before is not cut again.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from core import textutil
from core.vocab import RECTIFY_DEADLINE, RECTIFY_IMMEDIATE, RECTIFY_LONG_TERM
from core.vocab import STATUS_DONE as DONE, STATUS_LONG_TERM as LONG_TERM, STATUS_ONGOING as ONGOING

# ---------------------------------------------------------------- numbers

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUM = "[〇零一二两三四五六七八九十百千]+"
NUM = rf"(?:\d+(?:\.\d+)?|{CN_NUM})"


def cn_to_number(s: str) -> int | float | None:
    """Arabic or Chinese numeral → number ("12.6" → 12.6, "一百六十" → 160, "二〇二四" → 2024)."""
    s = s.strip()
    if re.fullmatch(r"\d+", s):
        return int(s)
    if re.fullmatch(r"\d+\.\d+", s):
        return float(s)
    if not s or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in s):
        return None
    if all(ch in _CN_DIGITS for ch in s) and len(s) > 1:  # digit by digit: 二〇二四
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total = section = digit = 0
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
        else:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return total + section + digit


# ---------------------------------------------------------------- dates

_YEAR = r"\d{4}|[〇零一二三四五六七八九]{4}"
_MON = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY = r"3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"
# The look-ahead names the characters a date can start with (a digit, a Chinese digit, 十, the
# 底/末 after 年, 年 of 年底): it matches nothing new and lets the scan skip every other position
# quickly (5× faster over a notice).
DATE_RE = re.compile(
    rf"(?=[\d〇零一二三四五六七八九十底末年])(?:"
    rf"(?:(?P<y>{_YEAR})年)?(?:(?P<m>{_MON})月(?:(?P<d>{_DAY})[日号]|(?P<me>底|末))?|(?<=年)(?P<ye>底|末))"
    rf"|(?P<iy>\d{{4}})[-./](?P<im>1[0-2]|0?[1-9])(?:[-./](?P<id>3[01]|[12]\d|0?[1-9]))?(?!\d)"
    rf"|(?P<bare>年底|年末))"
)


# Full-width digits and date separators → ASCII, one character for one, so that offsets
# found in the translated copy index the original text.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")


_DATE_CHARS = re.compile(r"[年月\-./－．／]")


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1900 <= year <= 2100:
        return None
    if month is None:
        return f"{year:04d}-12-31"  # 年底 / 年末
    if day is None:
        return f"{year:04d}-{month:02d}"
    if day > calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def iter_dates(text: str, year: int | None = None) -> Iterator[tuple[str, int, int]]:
    """(ISO date, start, end) for every date in ``text``, left to right.

    A date without a year takes the last year seen before it, else ``year``; dates that
    stay without a year are skipped. "6月" → "YYYY-06"; "6月底" → the month's last day;
    "2023年底" / "年底" → "YYYY-12-31"; "2024-07-18", "2024.7.18" and full-width digits are read too.
    """
    if not _DATE_CHARS.search(text):  # most clauses hold no date at all
        return
    current = year
    for m in DATE_RE.finditer(text.translate(_HALF_WIDTH)):
        if m["iy"]:
            y, mon, day = int(m["iy"]), int(m["im"]), m["id"] and int(m["id"])
            current = y
            iso = _iso(y, mon, day or None)
        else:
            if m["y"]:
                current = cn_to_number(m["y"])
            if current is None:
                continue
            if m["bare"] or m["ye"]:
                iso = _iso(current)
            else:
                mon = cn_to_number(m["m"])
                if m["me"]:
                    day = calendar.monthrange(current, mon)[1] if 1900 <= current <= 2100 else None
                else:
                    day = m["d"] and cn_to_number(m["d"])
                iso = _iso(current, mon, day or None)
        if iso:
            yield iso, m.start(), m.end()


def first_date(text: str, year: int | None = None) -> str | None:
    return next((iso for iso, _, _ in iter_dates(text, year)), None)


# ---------------------------------------------------------------- quantities

UNITS = (
    "万平方米", "平方米", "平方公里", "公里", "千米", "万千瓦", "千瓦", "万元", "亿元", "元", "万人次", "人次",
    "个百分点", "%", "人", "名", "个", "项", "场", "次", "期", "件", "条", "家", "户", "处", "份", "篇",
    "宗", "笔", "起", "批", "所", "吨", "亩", "米", "小时", "天", "本", "台", "辆", "套", "栋", "间", "座",
    "支", "轮", "类", "张", "册", "门",
)
_UNIT_RE = "|".join(re.escape(u) for u in sorted(set(UNITS), key=len, reverse=True))
QUANTITY_RE = re.compile(rf"(?=\d)(?<![第\d.])(?P<num>\d+(?:\.\d+)?)(?P<about>余|多)?(?P<unit>{_UNIT_RE})")


def quantities(text: str) -> list[dict]:
    """Counted amounts: "611场", "12.6万元" (unit 万元), "77.27%" (unit %), "40余万平方米"."""
    return [{"text": m.group(0), "quantity": cn_to_number(m["num"]), "unit": m["unit"]}
            for m in QUANTITY_RE.finditer(text)]


# ---------------------------------------------------------------- status

# Precedence: an in-progress cue wins (work is still going on even if parts are done),
# then a completion cue, then a long-term cue; no cue leaves the status unknown.
_ONGOING_RE = re.compile(r"正在|正加快|持续推进|加快推进|稳步推进|有序推进|积极推进|推进中|尚未完成|未完成|逐步推进")
_DONE_RE = re.compile(r"已完成|已全部|完成了|已建成|已整改到位|整改到位|已整改|整改完成|已办结|已销号|全部完成|均已完成")
_LONG_RE = re.compile(r"长期坚持|常态化|长效机制|持续")


def status_of(text: str) -> str | None:
    for pattern, status in ((_ONGOING_RE, ONGOING), (_DONE_RE, DONE), (_LONG_RE, LONG_TERM)):
        if pattern.search(text):
            return status
    return None


# A status the notice states for a whole problem: 整改状态：正在推进, 该项整改已完成, 该问题已整改到位.
_STATED_STATUS_RE = re.compile(
    r"(?:(?:整改|进展|完成|办结)状态\s*[：:]\s*|(?:该|此)(?:项(?:问题)?|问题)(?:整改)?)([^\n。；;]{1,20})"
)


# A status line: a progress label whose first clause is a short status (整改进展：持续推进。…,
# 【整改结果】已完成整改。, 整改完成情况：已完成整改，…), not a measure written under that label.
_STATUS_LINE_RE = re.compile(
    r"^[ \t\u3000]*(?:【(?P<b>整改(?:进展(?:情况)?|结果|完成情况)|完成情况|进展情况)】"
    r"|(?:整改(?:进展(?:情况)?|结果|完成情况)|完成情况|进展情况)\s*[：:])"
    r"\s*(?P<v>[^\n。；;：:]{2,300})(?=[\n。；;]|$)",
    re.M,
)
_COMMA_RE = re.compile(r"[，,]")


def _status_line_value(sentence: str) -> str | None:
    """The status a status line's first sentence states (基本完成，持续推进), or its first clause
    (已完成整改，相关项目已补办用地手续); a longer sentence is a measure's text."""
    if len(sentence) <= 16:
        return sentence
    clause = _COMMA_RE.split(sentence, 1)[0]
    return clause if len(clause) <= 10 else None


def stated_status(text: str) -> str | None:
    """The last status the text states for the problem as a whole, or None."""
    found = [(m.start(), m.group(1)) for m in _STATED_STATUS_RE.finditer(text)]
    found += [(m.start(), v) for m in _STATUS_LINE_RE.finditer(text) if (v := _status_line_value(m.group("v")))]
    statuses = [status_of(value) for _, value in sorted(found)]
    return next((s for s in reversed(statuses) if s), None)


def rollup_status(statuses: Iterable[str | None]) -> str | None:
    """A problem's status from its measures': all done → done; any ongoing → ongoing;
    else long-term if any; else unknown (an unknown measure keeps the problem from being done)."""
    statuses = list(statuses)
    if statuses and all(s == DONE for s in statuses):
        return DONE
    if ONGOING in statuses:
        return ONGOING
    if LONG_TERM in statuses:
        return LONG_TERM
    return None


# ---------------------------------------------------------------- units

_ORG_SUFFIXES = (
    "党工委", "管委会", "委员会", "委会", "办公室", "分局", "街道", "公司", "集团", "中心", "大队", "中队",
    "支队", "服务队", "社区", "党委", "事务所", "派出所",
    "局", "委", "办", "组", "部", "厅", "院", "所", "站", "处", "科", "镇", "乡", "村", "室",
)
_SUFFIX_RE = "|".join(sorted(_ORG_SUFFIXES, key=len, reverse=True))
# Endings that look like an organisation but are not one (格局, 干部, 落到实处, 领导带队 …).
_NOT_UNIT_ENDINGS = tuple(
    "干部 全部 内部 外部 局部 北部 南部 东部 西部 中部 格局 布局 大局 全局 开局 变局 当局 带队 实处 "
    "各处 到处 之处 好处 难处 用处 此处 处室 场所 住所 处所 小组 分组 班组 专家组 业务组 中心组 "
    "支部 科室 副中心 巡视组 巡察组 学科 本科 专科 乡村 农村 城镇 乡镇 网站 车站 会议室".split()
)
# A clause is worth cutting when an organisation suffix ends a word there: not in a common
# word that starts with a suffix character (组织, 部署, 处理, 所有 …) nor in a known non-unit ending.
_WORD_GOES_ON = {
    "组": "织建成合", "部": "署门分长", "处": "理置分长", "所": "有属在以谓需得", "办": "理法好事学结",
    "局": "面限", "委": "托", "院": "校士", "科": "学技研级长", "站": "位稳点", "室": "内外",
    "村": "民级集", "乡": "村镇",
}
# (The leading look-aheads here and in QUANTITY_RE name the first character of any match: they
# change no match and let the scan pass over the other positions fast.)
_CANDIDATE_RE = re.compile(
    rf"(?=[{''.join(sorted({s[0] for s in _ORG_SUFFIXES}))}])"
    rf"(?<=[\u4e00-\u9fa5]{{2}})(?:{_SUFFIX_RE})"
    rf"(?<!{'|'.join(w for w in _NOT_UNIT_ENDINGS if len(w) == 2)})"
    rf"(?!{'|'.join(f'(?<={k})[{v}]' for k, v in _WORD_GOES_ON.items())})"
)
# Bodies too generic to name a responsible unit.
_GENERIC_UNITS = frozenset(
    "党组 局党组 党委 委员会 领导小组 工作组 巡察组 巡视组 督导组 办公室 街道 社区 中心 "
    "各单位 部门 单位 有限公司".split()
)
# Verbs and prepositions jieba sometimes glues to the front of a name (会同市科创局).
_LEADING_VERBS = re.compile(r"^(?:会同|联合|组织|协调|督促|指导|推动|配合|牵头|函商|商请|提请|对接|联系|利用|依托|请|由|与|及|向|对|经)+")
_NAME_FLAGS = ("n", "j", "nt", "nz", "ns", "ng", "nrt", "b", "l")
_CLAUSE_RE = re.compile(r"[^,，;；。、:：()（）《》“”\"\s!！?？]+")  # a clause: the text between marks


def _is_org_word(word: str) -> bool:
    return word.endswith(_ORG_SUFFIXES)


def _name_start(words: list[tuple[str, str]], i: int) -> int:
    """Index of the first word of the organisation name that ends at ``words[i]``: the run of
    noun-like words before it. A verbal noun joins a bare suffix (改革+局), and "和" joins
    two parts of one name when more than a ready-made name follows it (发展和改革局, not 机制和党组)."""
    j = i
    while j > 0:
        word, flag = words[j - 1]
        if word == "和" and j > 1 and i - j >= 1 and words[j - 2][1].startswith(("n", "vn")) \
                and not _is_org_word(words[j - 2][0]):
            j -= 2
        elif flag.startswith(_NAME_FLAGS) or (flag == "vn" and j == i and len(words[i][0]) == 1) \
                or (_is_org_word(word) and not flag.startswith(("v", "m", "q"))):
            j -= 1
        else:
            break
    return j


@lru_cache(maxsize=4096)
def _cut_pos(stretch: str) -> tuple[tuple[str, str], ...]:
    """jieba's part-of-speech cut, the costly step of a measure's fields; names recur in a notice."""
    return tuple(textutil.cut_pos(stretch))


def _stretches(clause: str) -> list[tuple[tuple[str, str], ...]]:
    """jieba's cut of the stretches of ``clause`` that can hold a name: up to 16 characters
    before a suffix to a few after it (less the word cut off there: 党组|织), overlapping
    stretches merged. Cutting these instead of whole clauses halves jieba's work."""
    windows: list[list[int]] = []
    for m in _CANDIDATE_RE.finditer(clause):
        lo, hi = max(0, m.end() - 17), m.end() + 6
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    out = []
    for lo, hi in windows:
        words = _cut_pos(clause[lo:hi])
        out.append(words[:-1] if hi < len(clause) else words)
    return out


def clear_cache() -> None:
    """Forget the cut stretches (a benchmark times a notice as the first of its office)."""
    _cut_pos.cache_clear()


def units(text: str) -> list[str]:
    """Responsible units named in ``text``, in order, without repeats.

    Only the clauses that contain an organisation suffix are cut with jieba; a name is the
    run of noun-like words that ends in a word with an organisation suffix (区经信局,
    生态环境分局, 党政办督查室)."""
    found: list[str] = []
    # A suffix that can end a name never sits at a clause's edge or next to a clause mark (its
    # look-arounds need Chinese characters), so it is found the same in the whole text: only the
    # clauses holding one are read.
    hits = [m.start() for m in _CANDIDATE_RE.finditer(text)]
    k = 0
    for m in _CLAUSE_RE.finditer(text) if hits else ():
        start, end = m.span()
        while k < len(hits) and hits[k] < start:
            k += 1
        if k == len(hits):
            break
        if hits[k] >= end or end - start < 3:
            continue
        for words in _stretches(m.group()):
            for i, (word, flag) in enumerate(words):
                if not _is_org_word(word) or flag.startswith(("v", "d", "m", "q", "a")):
                    continue
                name = _LEADING_VERBS.sub("", "".join(w for w, _ in words[_name_start(words, i):i + 1]))
                if (
                    3 <= len(name) <= 16
                    and name not in _GENERIC_UNITS
                    and not name.endswith(_NOT_UNIT_ENDINGS)
                    and not re.search(r"\d", name)
                    and name not in found
                ):
                    found.append(name)
    return [n for n in found if not any(n != other and n in other for other in found)]


# ---------------------------------------------------------------- item fields


def measure_fields(text: str, *, year: int | None = None) -> dict:
    """Status, responsible units, dates (ISO, resolved against ``year``) and quantities of a measure."""
    return {
        "status": status_of(text),
        "units": units(text),
        "dates": list(dict.fromkeys(iso for iso, _, _ in iter_dates(text, year))),
        "quantities": quantities(text),
    }


_TYPE_RES = (
    (re.compile(r"立行立改|立知立改|即知即改|立查立改"), RECTIFY_IMMEDIATE),
    (re.compile(r"限期整改|限时整改|限期[^，,。；;]{0,20}?(?:完成|解决|到位)"), RECTIFY_DEADLINE),
    (re.compile(r"长期坚持|长期整改|持续整改|长期推进"), RECTIFY_LONG_TERM),
)
_BEFORE_RE = re.compile(r"\s*(?:前|之前|以前)")
_LIMIT_RE = re.compile(r"(?:限期|完成时限|整改时限|时限)[:：]?\s*(?:于|在)?\s*$")


def problem_fields(text: str, *, year: int | None = None) -> dict:
    """整改类型 when the wording names it (the earliest mention wins) and the deadline:
    a date followed by 前/之前 ("6月底前", "年底前", "2024年12月31日前") or introduced by
    限期/完成时限 ("限期于2024年9月完成")."""
    hits = [(m.start(), kind) for pattern, kind in _TYPE_RES for m in [pattern.search(text)] if m]
    deadline = None
    for iso, start, end in iter_dates(text, year):
        if _BEFORE_RE.match(text, end) or _LIMIT_RE.search(text, max(0, start - 8), start):
            deadline = iso
            break
    return {"rectify_type": min(hits)[1] if hits else None, "deadline": deadline}
