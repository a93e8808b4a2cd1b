"""Notice-level metadata: title, kind, issuer, inspector, round, dates, disclosure, contact;
the summary figures (outcomes) and the counts a notice states about itself."""
from __future__ import annotations

import re

from core.extract.fields import NUM, QUANTITY_RE, cn_to_number, first_date, iter_dates

_PUNCT = r"，,。:：;；!！?？"
_KINDS = ("巡视", "巡察", "督察", "审计")
_KINDS_RE = re.compile("|".join(_KINDS))
_ORG_END = (
    "委员会", "党工委", "工委", "管委会", "党组", "党委", "委", "局", "办公室", "办", "政府", "公司", "集团",
    "中心", "厅", "院", "部", "所", "处", "街道", "镇", "乡", "支部", "总支", "分局", "大队", "大学", "学校",
    "中学", "小学",
)
_NOT_ISSUER = re.compile(r"网|报社|日报|新闻|客户端|微信|公众号|平台|电视台")

_ORDINAL = r"[一二三四五六七八九十百\d]+"
# A place name that leads an inspector's name (湖北省第二…督察组): it starts the clause or
# follows 由/经/受, so that no word of the sentence before it is taken along.
_PLACE = r"(?:(?<![\u4e00-\u9fa5])|(?<=[由经受]))(?![由经受对])[\u4e00-\u9fa5]{2,4}?(?:省|自治区|市|州)"
# 省委第一巡视组, 市委第一联动巡察组, 工委第一巡察组, 中央第三生态环境保护督察组, 省委巡视组,
# 湖北省第二生态环境保护督察组
INSPECTOR_RE = re.compile(
    rf"((?:(?:中央|[省市县区州旗]委|党?工委)(?:第{_ORDINAL})?|(?:{_PLACE})?第{_ORDINAL})"
    rf"(?:(?!轮)[\u4e00-\u9fa5]){{0,8}}?(?:巡视|巡察|督察)(?:工作)?组)"
)
# An audit office that audited the issuer (青州市审计局于2024年3月至5月对我局…进行了审计), at a clause
# start or after 由/经: what inspects in an audit notice.
AUDITOR_RE = re.compile(r"(?:^|(?<=[，,。；;：:\s由经《]))([\u4e00-\u9fa5]{1,12}?审计(?:局|厅|署))(?=于|对|在|自|关于|\d|[，,])")
ROUND_RE = re.compile(
    rf"((?:[一二三四五六七八九十]+届)?(?:中央|[省市县区州旗]委|党?工委)第{_ORDINAL}轮)"
)
_STANDALONE_DATE = re.compile(r"\s*(?:\d{4}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月(?:[\d一二三四五六七八九十]{1,3}日)?\s*")
_PAGE_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_SOURCE_RE = re.compile(r"来源[:：]\s*([^\s|｜]+)")
_TITLE_RE = re.compile(r"(关于|整改).*(通报|情况|公告|报告|公示)$")
_RANGE_SEP = r"\s*(?:至|到|—+|－|-|~|～)\s*"


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def _is_org(name: str | None) -> bool:
    return bool(
        name and 3 <= len(name) <= 40 and not re.search(rf"[{_PUNCT}\d]", name)
        and name.endswith(_ORG_END)
    )


def _split_head(lines: list[str]) -> tuple[list[str], str]:
    """The header lines (title, page date, source) and the opening paragraph: the first line
    that reads like prose, joined with the lines that continue it (a PDF breaks paragraphs)."""
    for i, line in enumerate(lines):
        if len(line) >= 24 and re.search("[。，,；]", line):
            end = i
            while end < min(i + 8, len(lines) - 1) and not lines[end].endswith("。"):
                end += 1
            return lines[:i], "".join(lines[i:end + 1])
    return lines[:3], ""


def _title(header: list[str], title_hint: str | None) -> str | None:
    """A header line that reads like a notice title, or two header lines that do together
    (a long title broken over two lines); else the page title cleaned of its site name."""
    def titled(line: str) -> bool:
        return 8 <= len(line) <= 120 and bool(_TITLE_RE.search(line)) and not re.search(rf"[{_PUNCT}]", line)

    def wrapped(above: str, line: str) -> bool:
        """Whether ``above`` is the first part of a title a PDF or a layout broke before ``line``:
        it holds the 关于, or it is a long unpunctuated line (平阳县贯彻落实第三轮省…督察 /
        反馈意见整改情况公示) that is no date and no site's name."""
        if "关于" in line or not titled(above + line):
            return False
        return "关于" in above or (len(above) >= 12 and not re.search(rf"[{_PUNCT}\d]", above)
                                  and not _NOT_ISSUER.search(above) and not _TITLE_RE.search(above))

    for i, line in enumerate(header):
        if titled(line):
            if i and wrapped(header[i - 1], line):
                return header[i - 1] + line
            return line
    if title_hint:
        parts = [p.strip() for p in re.split(r"\s*[-_|｜—–]+\s*", title_hint) if p.strip()]
        return next((p for p in parts if "整改" in p or "通报" in p), parts[0] if parts else None)
    return None


def _kind(title: str, opening: str, inspector: str | None) -> str:
    if inspector:
        return next(k for k in _KINDS if k in inspector)
    for source in (title, opening):
        direct = re.search(r"(巡视|巡察|督察|审计)(?:反馈|发现|指出)?(?:问题)?整改", source)
        if direct:
            return direct.group(1)
        present = [(source.find(k), k) for k in _KINDS if k in source]
        if present:
            return min(present)[1]
    return "其他"


def _signature(lines: list[str], first: int) -> tuple[int, str | None, str | None]:
    """(line index, issuer, ISO date) of the signature; index len(lines) and Nones when there is none.

    The signature is the last organisation line right before a date line after the opening
    (an attachment may follow it: 附件：…情况表 and its rows); without one, a date line of
    its own near the end."""
    for i in range(len(lines) - 1, first, -1):
        if _STANDALONE_DATE.fullmatch(lines[i]) and _is_org(lines[i - 1]):
            return i - 1, lines[i - 1], first_date(lines[i])
    for i in range(len(lines) - 1, max(first - 1, len(lines) - 16), -1):
        if _STANDALONE_DATE.fullmatch(lines[i]):
            return i, None, first_date(lines[i])
    return len(lines), None, None


def _page_date(header: list[str], title: str | None) -> str | None:
    """The date a web page shows in its header ("2024-07-18 09:20", "时间：2025-04-29")."""
    for line in header:
        if line != title and (re.search(r"时间|日期|发布", line) or _PAGE_DATE.match(line)):
            date = first_date(line)
            if date:
                return date
    return None


def _header_source(header: list[str]) -> str | None:
    """An organisation named by a "来源:" line of the page header. A trailing 来源 line after
    the text names where the page was copied from, not who publishes, so it is not read."""
    for line in header:
        m = _SOURCE_RE.search(line)
        if m and _is_org(m.group(1)) and not _NOT_ISSUER.search(m.group(1)):
            return m.group(1)
    return None


def _title_prefix(title: str | None) -> str | None:
    if title and "关于" in title:
        prefix = title.split("关于", 1)[0].strip()
        if _is_org(prefix):
            return prefix
    return None


def _inspection(opening: str) -> tuple[str | None, str | None, str | None]:
    """(start, end, feedback date) from the opening paragraph."""
    start = end = feedback = None
    dates = list(iter_dates(opening))
    for (d1, _, e1), (d2, s2, _) in zip(dates, dates[1:]):
        if re.fullmatch(_RANGE_SEP, opening[e1:s2]):
            start, end = d1, d2
            break
    for sentence in re.split(r"[。;；]", opening):
        found = re.search(r"反馈|出具", sentence)  # an audit office 出具了审计报告 where inspectors 反馈
        pos = found.start() if found else -1
        if pos < 0:
            continue
        before = [d for d in iter_dates(sentence[:pos], _year_of(end or start)) if d[0] not in (start, end)]
        if before:
            feedback = before[-1][0]
            break
    return start, end, feedback


def _year_of(iso: str | None) -> int | None:
    return int(iso[:4]) if iso else None


def _disclosure(text: str) -> dict | None:
    m = re.search(r"公开(?:期限|时间|期)[:：]?\s*([^。\n]{6,40})", text)
    if not m:
        return None
    dates = list(iter_dates(m.group(1)))
    if len(dates) < 2:
        return None
    start, end = dates[0][0], dates[1][0]
    if end < start and end[:4] == start[:4]:  # "12月30日至1月20日": the end is in the next year
        end = f"{int(end[:4]) + 1}{end[4:]}"
    return {"start": start, "end": end}


_PHONE_RE = re.compile(r"(?<![\d-])(0\d{2,3}\s*[-—–－]\s*\d{7,8}|1[3-9]\d{9}|\d{7,8})(?![\d:])")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_CONTACT_KEYS = re.compile(r"联系|电话|邮箱|信箱|地址|邮编")
_ADDRESS_RE = re.compile(r"(?:联系地址|邮寄地址|通讯地址|通信地址|邮政信箱|地址)[:：]\s*([^;；。\n]+)")


def _contact(lines: list[str]) -> dict | None:
    """Phones, e-mails and postal address from the closing lines before the signature,
    starting at the "欢迎…监督" invitation when there is one."""
    start = next((i for i in range(len(lines) - 1, -1, -1) if "欢迎" in lines[i] and "监督" in lines[i]),
                 max(0, len(lines) - 6))
    block = "\n".join(ln for ln in lines[start:] if _CONTACT_KEYS.search(ln))
    if not block:
        return None
    emails = _EMAIL_RE.findall(block)
    scrubbed = _EMAIL_RE.sub(" ", block)
    phones = [re.sub(r"\s*[-—–－]\s*", "-", p) for p in _PHONE_RE.findall(scrubbed)]
    address = _ADDRESS_RE.search(block)
    address = re.sub(r"[（(]邮编[:：]?\d+[)）]", "", address.group(1)).strip() if address else None
    if not (phones or emails or address):
        return None
    return {"phone": list(dict.fromkeys(phones)), "email": list(dict.fromkeys(emails)), "address": address}


_MONTH_ONLY = re.compile(r"\d{4}-\d{2}")


def page_day(text: str, published: str | None, title: str | None = None) -> str | None:
    """The page header's date (``2025-04-29``) when ``published`` stops at its month
    (``2025-04``) and the header gives a day of that month; else None.

    ``published`` is the contract's date under the signature (a signature that says only
    2025年4月 gives ``"2025-04"`` even where the page's header says 时间:2025-04-29); the window
    shows this fuller date beside it, said to come from the page (issue 10 item 17)."""
    if not text or not published or not _MONTH_ONLY.fullmatch(published):
        return None
    header, _opening = _split_head(_lines(text[:4000]))   # the head is at the top
    day = _page_date(header, title)
    return day if day and len(day) == 10 and day.startswith(published + "-") else None


def extract_meta(text: str, title_hint: str | None = None) -> dict:
    """The ``meta`` object of the extraction contract."""
    lines = _lines(text)
    header, opening = _split_head(lines)
    title = _title(header, title_hint)
    m = INSPECTOR_RE.search(opening) or INSPECTOR_RE.search(title or "") or AUDITOR_RE.search(opening)
    inspector = m.group(1) if m else None
    m = ROUND_RE.search(title or "") or ROUND_RE.search(opening)
    signature_at, signer, signed = _signature(lines, len(header) + 1)
    start, end, feedback = _inspection(opening)
    return {
        "title": title,
        "kind": _kind(title or "", opening, inspector),
        "issuer": signer or _title_prefix(title) or _header_source(header),
        "inspector": inspector,
        "round": m.group(1) if m else None,
        "inspection_start": start,
        "inspection_end": end,
        "feedback_date": feedback,
        "published": signed or _page_date(header, title),
        "disclosure": _disclosure(text),
        "contact": _contact(lines[:signature_at]),
    }


# ---------------------------------------------------------------- outcomes

_OUTCOME_KEYS = (
    "处分|问责|诫勉|立案|审查调查|留置|移送|组织处理|教育提醒|提醒谈话|谈话|函询|批评教育|制度|规定|办法|"
    "清退|退还|退缴|挽回|追缴|追回|收回|整改完成|完成整改|已完成|已整改|办结|专项治理|整治|废止|修订|"
    "出台|罚款|处罚|线索|销号|完成率"
)
_OUTCOME_RE = re.compile(rf"(?:{_OUTCOME_KEYS})[^,，;；、()（）。:：]{{0,10}}?(?P<q>{QUANTITY_RE.pattern})")
_CLAUSE_RE = re.compile(r"[^,，;；、()（）。:：\n]+")
_TWO_NUMBERS = re.compile(r"\d\D+\d")


def extract_outcomes(text: str) -> list[dict]:
    """Summary figures: clauses such as 给予党纪处分2人, 建立完善制度43项, 清退款项12.6万元, taken
    from summary-statistics sentences, i.e. sentences with at least two such figures.
    A figure repeated later in the notice is listed once."""
    found: list[dict] = []
    seen: set[str] = set()
    for sentence in re.finditer(r"[^。\n]+", text):
        if not _TWO_NUMBERS.search(sentence.group(0)):  # two figures need two numbers
            continue
        hits = []
        for clause in _CLAUSE_RE.finditer(sentence.group(0)):
            m = _OUTCOME_RE.search(clause.group(0))
            if m:
                s = sentence.start() + clause.start()
                hits.append((s, s + m.end(), m))
        if len(hits) < 2:
            continue
        for s, e, m in hits:
            s += len(text[s:e]) - len(text[s:e].lstrip())
            phrase = text[s:e]
            if phrase not in seen:
                seen.add(phrase)
                found.append({"text": phrase, "quantity": cn_to_number(m["num"]),
                              "unit": m["unit"], "span": [s, e]})
    return found


# ---------------------------------------------------------------- stated counts

_N = rf"({NUM})"
# A completed count ends its clause or names problems (已完成6个项目的竣工决算 counts projects).
_COUNT_END = r"(?=问题|[，,；;。、）)]|$)"
_COUNT_RES = (
    (re.compile(rf"{_N}个?方面(?:的|共)?[、,，]?(?:共)?{_N}[个项条](?:具体)?问题"), ("categories", "problems")),
    (re.compile(rf"(?:反馈|指出|发现)(?:的|了)?(?:问题)?(?:共)?{_N}[个项条](?:具体)?问题"), ("problems",)),
    (re.compile(rf"反馈问题(?:共)?{_N}[个项条]"), ("problems",)),
    (re.compile(rf"{_N}[个项条](?:具体)?整改(?:措施|举措)"), ("measures",)),
    (re.compile(rf"整改(?:措施|举措)(?:共)?{_N}[个项条]"), ("measures",)),
    (re.compile(rf"已(?:全部)?(?:整改)?完成(?:整改)?{_N}[个项条]{_COUNT_END}"), ("completed",)),
    (re.compile(rf"完成整改{_N}[个项条]{_COUNT_END}"), ("completed",)),
    (re.compile(rf"已整改(?:到位)?{_N}[个项条]{_COUNT_END}"), ("completed",)),
)
# A count of measures (70条整改措施已完成64条) is not a count of problems completed.
_MEASURE_SUBJECT_RE = re.compile(r"措施|举措")
_FULLY_DONE = re.compile(rf"{_N}[个项条](?:问题)?(?:已|均已)?全部(?:整改)?(?:完成|到位)")
# A count of an earlier inspection's problems (上轮巡察反馈的14个问题) is not this notice's.
_EARLIER_RE = re.compile(r"上一?轮|上一?次|前次|前一轮|上届|历次|以往")


def _about_earlier(sentence: str, pos: int) -> bool:
    clause_start = max(sentence.rfind(sep, 0, pos) for sep in "，,；;：:") + 1
    return bool(_EARLIER_RE.search(sentence, clause_start, pos))


def _of_measures(sentence: str, pos: int) -> bool:
    clause_start = max(sentence.rfind(sep, 0, pos) for sep in "，,；;：:") + 1
    return bool(_MEASURE_SUBJECT_RE.search(sentence, clause_start, pos))


def stated_counts(text: str) -> dict:
    """Counts the notice states about its own feedback and rectification, taken from
    sentences that speak of the inspection (巡视/巡察/督察/审计); the first statement wins."""
    counts: dict[str, int] = {}
    for sentence in re.split(r"[。\n]", text):
        if not _KINDS_RE.search(sentence):
            continue
        for pattern, keys in _COUNT_RES:
            for m in pattern.finditer(sentence):
                if _about_earlier(sentence, m.start()) or (keys == ("completed",) and _of_measures(sentence, m.start())):
                    continue
                for key, value in zip(keys, m.groups()):
                    number = cn_to_number(value)
                    if isinstance(number, int) and number > 0:
                        counts.setdefault(key, number)
        m = _FULLY_DONE.search(sentence)
        if m and "completed" not in counts and not _about_earlier(sentence, m.start()):
            counts["completed"] = cn_to_number(m.group(1))
    return counts
