"""The architecture stays visible: core/ never imports Qt, gui/ never talks SQL or parses."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_qt():
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & {"PySide6", "PyQt5", "PyQt6", "shiboken6", "gui"})
        for p in (ROOT / "core").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_gui_holds_no_sql():
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & {"sqlite3", "sqlite_utils"})
        for p in (ROOT / "gui").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_core_import_does_not_load_qt():
    import subprocess
    import sys

    code = (
        "import sys, core.extract, core.ingest, core.store, core.ledger, core.importer;"
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
