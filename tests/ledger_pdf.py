"""Printing a ledger as an office does (LibreOffice → PDF) and reading the printed text sizes."""
from __future__ import annotations

import statistics
import subprocess
from pathlib import Path

FOOTER_BAND = 0.6 * 72  # the bottom page margin (points): the page footer prints inside it


def to_pdf(workbooks, folder: Path, fmt="pdf") -> list[Path]:
    """Convert workbooks with one LibreOffice run and a private profile; returns the outputs."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", fmt, "--outdir", str(folder), *map(str, workbooks)],
                   check=True, capture_output=True, timeout=900)
    return [folder / f"{Path(w).stem}.{fmt}" for w in workbooks]


def text_sizes(pdf: Path) -> dict:
    """Printed character heights: body (everything above the footer band) and footer, in points."""
    import pdfplumber

    body, footer, pages = [], [], 0
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            pages += 1
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                (footer if ch["top"] > page.height - FOOTER_BAND else body).append(round(ch["size"], 2))
    return {"pages": pages, "median": statistics.median(body) if body else 0.0,
            "min": min(body) if body else 0.0, "footer_min": min(footer) if footer else 0.0,
            "chars": len(body)}
