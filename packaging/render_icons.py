"""Render resources/icon.svg into icon.png (256 px) and a multi-size icon.ico.

    .venv/bin/python packaging/render_icons.py
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def render_png(svg: Path, png: Path, size: int = 256) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # painting needs one
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    if not image.save(str(png)):
        raise OSError(f"无法写入 {png}")


def render_ico(png: Path, ico: Path) -> None:
    from PIL import Image

    with Image.open(png) as image:
        image.save(ico, sizes=ICO_SIZES)


if __name__ == "__main__":
    render_png(RESOURCES / "icon.svg", RESOURCES / "icon.png")
    render_ico(RESOURCES / "icon.png", RESOURCES / "icon.ico")
