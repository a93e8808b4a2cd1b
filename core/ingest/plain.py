"""Plain text: bytes -> str by BOM, strict UTF-8, then charset-normalizer (GB18030 preferred)."""
from __future__ import annotations

import codecs
from pathlib import Path

from core.errors import UnreadableFileError

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# GB18030 is a superset of these; it is what a mainland notice in a legacy encoding needs.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}


def _codec_name(name: str) -> str:
    name = codecs.lookup(name).name
    return "gb18030" if name in _GB_FAMILY else name


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Bytes -> (text, encoding name): BOM, then strict UTF-8, then charset-normalizer."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _strict(data, name, path), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    names = [_codec_name(match.encoding) for match in from_bytes(data)]
    if not names:
        raise UnreadableFileError("无法识别文件的文字编码，请另存为UTF-8后再导入", path=str(path))
    # Short GBK texts are often scored as cp949 or big5 first; a Chinese notice wants GB18030
    # whenever the detector found it plausible at all (UTF-16 without BOM is still taken as found).
    name = names[0] if names[0].startswith("utf") or "gb18030" not in names else "gb18030"
    return _strict(data, name, path), name


def _strict(data: bytes, name: str, path: Path) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(f"文件不是有效的{name}编码文字（第{exc.start}字节处损坏）", path=str(path)) from exc
