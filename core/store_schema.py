"""The store's schema and its migrations (sqlite-utils' ``Migrations``), kept apart from the services.

Each migration is a function registered in order; sqlite-utils records the applied ones in
``_sqlite_migrations``. A database that lists a migration this program does not know was written
by a newer version and is refused (``core.store`` checks that read-only, before any write).
"""
from __future__ import annotations

from sqlite_utils import Migrations

MIGRATION_SET = "zhenggai_taizhang"
MIGRATIONS = Migrations(MIGRATION_SET)

# Editable fields per entity; the JSON-encoded and boolean columns of each table.
NOTICE_META = ("title", "kind", "issuer", "inspector", "round", "inspection_start",
               "inspection_end", "feedback_date", "published", "disclosure", "contact")
PROBLEM_EXTRACTED = ("number", "category", "group", "title", "span", "title_span", "status",
                     "rectify_type", "deadline", "units")
PROBLEM_LEDGER = ("status", "rectify_type", "deadline", "leader", "units", "person", "effect",
                  "closed", "closed_at", "remark")
MEASURE_EXTRACTED = ("text", "span", "status", "units", "dates", "quantities")
# A measure's own ledger fields (the office fills them per measure; units and status are above).
MEASURE_LEDGER = ("person", "deadline", "progress")
# Problems and measures store in ``extracted`` only the fields whose current value differs from
# the extracted one (m008); reading a row gives back the whole dict.
SPARSE_EXTRACTED = {"problem": PROBLEM_EXTRACTED, "measure": MEASURE_EXTRACTED}

TABLES = {"notice": "notices", "problem": "problems", "measure": "measures", "evidence": "evidence"}
JSON_COLUMNS = {
    "notice": {"disclosure", "contact", "warnings", "extracted", "uncertain"},
    "problem": {"span", "title_span", "extracted"},
    "measure": {"span", "units", "dates", "quantities", "extracted"},
    "evidence": set(),
}
BOOL_COLUMNS = {"closed", "checked", "deleted", "touched"}

_V1 = [
    """CREATE TABLE notices (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        text TEXT NOT NULL,
        source_path TEXT, source_name TEXT,
        sha256 TEXT NOT NULL UNIQUE,
        encoding TEXT, format TEXT,
        title TEXT, kind TEXT, issuer TEXT, inspector TEXT, round TEXT,
        inspection_start TEXT, inspection_end TEXT, feedback_date TEXT, published TEXT,
        disclosure TEXT, contact TEXT,
        warnings TEXT NOT NULL DEFAULT '[]',
        extracted TEXT NOT NULL DEFAULT '{}',
        review_status TEXT NOT NULL DEFAULT '待审核',
        imported_at TEXT NOT NULL,
        reviewed_at TEXT
    )""",
    """CREATE TABLE problems (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
        position REAL NOT NULL,
        number TEXT, category TEXT, "group" TEXT, title TEXT NOT NULL DEFAULT '',
        span TEXT, title_span TEXT, confidence REAL,
        status TEXT, rectify_type TEXT, deadline TEXT, leader TEXT, units TEXT, person TEXT,
        effect TEXT, closed INTEGER NOT NULL DEFAULT 0, closed_at TEXT, remark TEXT,
        checked INTEGER NOT NULL DEFAULT 0, checked_at TEXT,
        deleted INTEGER NOT NULL DEFAULT 0,
        origin TEXT NOT NULL DEFAULT 'extracted' CHECK (origin IN ('extracted', 'added')),
        touched INTEGER NOT NULL DEFAULT 0,
        extracted TEXT NOT NULL DEFAULT '{}'
    )""",
    "CREATE INDEX problems_notice ON problems(notice_id, position)",
    """CREATE TABLE measures (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
        problem_id INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
        position REAL NOT NULL,
        text TEXT NOT NULL DEFAULT '', span TEXT, status TEXT,
        units TEXT NOT NULL DEFAULT '[]', dates TEXT NOT NULL DEFAULT '[]',
        quantities TEXT NOT NULL DEFAULT '[]',
        checked INTEGER NOT NULL DEFAULT 0, checked_at TEXT,
        deleted INTEGER NOT NULL DEFAULT 0,
        origin TEXT NOT NULL DEFAULT 'extracted' CHECK (origin IN ('extracted', 'added')),
        touched INTEGER NOT NULL DEFAULT 0,
        extracted TEXT NOT NULL DEFAULT '{}'
    )""",
    "CREATE INDEX measures_problem ON measures(problem_id, position)",
    "CREATE INDEX measures_notice ON measures(notice_id)",
    """CREATE TABLE outcomes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL, quantity REAL, unit TEXT, span_start INTEGER, span_end INTEGER
    )""",
    """CREATE TABLE evidence (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
        problem_id INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
        name TEXT NOT NULL, path TEXT NOT NULL, added_at TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE edit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        reviewer TEXT,
        notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
        entity TEXT NOT NULL,
        row_id INTEGER,
        field TEXT,
        old TEXT,
        new TEXT,
        action TEXT NOT NULL,
        group_id INTEGER NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX edit_log_notice ON edit_log(notice_id, group_id)",
]


@MIGRATIONS()
def m001_initial(db):
    for statement in _V1:
        db.execute(statement)


@MIGRATIONS()
def m002_search_index(db):
    """Full-text index over jieba tokens of notice texts, problem titles and measure texts."""
    from core.textutil import search_text

    db.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "tokens, kind UNINDEXED, notice_id UNINDEXED, problem_id UNINDEXED, measure_id UNINDEXED)"
    )
    rows = [("notice", r[0], None, None, r[1])
            for r in db.execute("SELECT id, text FROM notices").fetchall()]
    rows += [("problem", r[0], r[1], None, r[2])
             for r in db.execute("SELECT notice_id, id, title FROM problems").fetchall()]
    rows += [("measure", r[0], r[1], r[2], r[3])
             for r in db.execute("SELECT notice_id, problem_id, id, text FROM measures").fetchall()]
    for kind, notice_id, problem_id, measure_id, text in rows:
        db.execute(
            "INSERT INTO search_index (tokens, kind, notice_id, problem_id, measure_id) "
            "VALUES (?, ?, ?, ?, ?)",
            [search_text(text or ""), kind, notice_id, problem_id, measure_id],
        )



SEARCH_KIND_CODES = {"notice": 0, "problem": 1, "measure": 2}


def search_rowid(kind: str, row_id: int) -> int:
    """The search-index rowid of a notice, problem or measure: unique, and deletable by key."""
    return row_id * len(SEARCH_KIND_CODES) + SEARCH_KIND_CODES[kind]


@MIGRATIONS()
def m003_search_index_keyed(db):
    """Key the index rows by entity, so replacing one row is a rowid lookup, not a scan.

    The tokens are copied over, so no text is segmented again."""
    db.execute(
        "CREATE VIRTUAL TABLE search_index_keyed USING fts5("
        "tokens, kind UNINDEXED, notice_id UNINDEXED, problem_id UNINDEXED, measure_id UNINDEXED)"
    )
    n = len(SEARCH_KIND_CODES)
    db.execute(
        "INSERT INTO search_index_keyed (rowid, tokens, kind, notice_id, problem_id, measure_id) "
        f"SELECT CASE kind WHEN 'notice' THEN notice_id * {n} WHEN 'problem' THEN problem_id * {n} + 1 "
        f"ELSE measure_id * {n} + 2 END, tokens, kind, notice_id, problem_id, measure_id "
        "FROM search_index"
    )
    db.execute("DROP TABLE search_index")
    db.execute("ALTER TABLE search_index_keyed RENAME TO search_index")


@MIGRATIONS()
def m004_edit_log_group_index(db):
    """Each correction asks for the next log group number: max(group_id) from an index."""
    db.execute("CREATE INDEX IF NOT EXISTS edit_log_group ON edit_log(group_id)")


# settings key: the first-run sample was offered (imported, or the database already held notices)
SAMPLE_SETTING = "sample_offered"


@MIGRATIONS()
def m005_settings(db):
    """A small key-value table (JSON values) for what the program remembers about a database.

    A database that already holds notices has had its first run: it never gets the sample."""
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO settings (key, value) SELECT ?, 'true' WHERE EXISTS (SELECT 1 FROM notices)",
               [SAMPLE_SETTING])


@MIGRATIONS()
def m006_measure_ledger(db):
    """责任人, 整改时限 and 完成情况 per measure (责任单位 and 整改状态 it has already)."""
    for column in MEASURE_LEDGER:
        db.execute(f"ALTER TABLE measures ADD COLUMN {column} TEXT")


def known_migrations() -> list[str]:
    """Names of every migration this program knows, in order."""
    from sqlite_utils import Database

    with Database(memory=True) as empty:
        return [m.name for m in MIGRATIONS.pending(empty)]


# The notice list's columns, kept per notice in the same transaction as each change, so listing
# and filtering 10,000 notices reads one small row each instead of counting their problems.
SUMMARY_COLUMNS = ("title", "issuer", "kind", "published", "review_status", "imported_at",
                   "source_name", "problem_count", "measure_count", "checked_count")
SUMMARY_SELECT = """SELECT n.id, n.title, n.issuer, n.kind, n.published, n.review_status,
       n.imported_at, n.source_name,
       (SELECT count(*) FROM problems p WHERE p.notice_id = n.id AND NOT p.deleted),
       (SELECT count(*) FROM measures m JOIN problems p ON p.id = m.problem_id
         WHERE m.notice_id = n.id AND NOT m.deleted AND NOT p.deleted),
       (SELECT count(*) FROM problems p WHERE p.notice_id = n.id AND NOT p.deleted AND p.checked)
     FROM notices n"""


@MIGRATIONS()
def m006_notice_summary(db):
    """One small row per notice for the list: its names, date, status and counts, indexed for
    the list's filters (the notices table holds the whole text, which a scan would read)."""
    db.execute(
        "CREATE TABLE notice_summary (notice_id INTEGER PRIMARY KEY "
        "REFERENCES notices(id) ON DELETE CASCADE, title TEXT, issuer TEXT, kind TEXT, "
        "published TEXT, review_status TEXT, imported_at TEXT, source_name TEXT, "
        "problem_count INTEGER NOT NULL DEFAULT 0, measure_count INTEGER NOT NULL DEFAULT 0, "
        "checked_count INTEGER NOT NULL DEFAULT 0)")
    for column in ("issuer", "kind", "published", "review_status"):
        db.execute(f"CREATE INDEX notice_summary_{column} ON notice_summary({column})")
    db.execute(f"INSERT INTO notice_summary (notice_id, {', '.join(SUMMARY_COLUMNS)}) {SUMMARY_SELECT}")


@MIGRATIONS()
def m007_search_index_pairs(db):
    """The index becomes contentless FTS5 over character pairs (``core.store_tokens``): no copy
    of the text, no jieba pass at import. One row per notice, plus one per problem title or
    measure text that is not part of its notice's text."""
    from core.store_tokens import index_tokens

    db.execute("DROP TABLE IF EXISTS search_index")
    db.execute("CREATE VIRTUAL TABLE search_index USING fts5(tokens, content='')")
    for (notice_id,) in db.execute("SELECT id FROM notices").fetchall():   # one notice in memory
        [text] = db.execute("SELECT text FROM notices WHERE id = ?", [notice_id]).fetchone()
        rows = [(search_rowid("notice", notice_id), text)]
        for kind, sql in (("problem", "SELECT id, title FROM problems WHERE notice_id = ?"),
                          ("measure", "SELECT id, text FROM measures WHERE notice_id = ?")):
            rows += [(search_rowid(kind, row_id), item) for row_id, item in
                     db.execute(sql, [notice_id]).fetchall() if item and item not in text]
        for rowid, item in rows:
            db.execute("INSERT INTO search_index (rowid, tokens) VALUES (?, ?)",
                       [rowid, index_tokens(item)])


@MIGRATIONS()
def m008_sparse_extracted(db):
    """Problems and measures keep in ``extracted`` only what the reviewer changed (the rest of
    their extracted values equals the current ones): a measure no longer stores its text twice."""
    for entity, table in (("problem", "problems"), ("measure", "measures")):
        fields = SPARSE_EXTRACTED[entity]
        cols = ", ".join(f'"{f}"' for f in fields)
        last = 0
        while rows := db.execute(f"SELECT id, extracted, {cols} FROM {table} WHERE id > ? "
                                 "AND origin = 'extracted' AND extracted != '{}' "
                                 "ORDER BY id LIMIT 2000", [last]).fetchall():
            last = rows[-1][0]
            _sparsen(db, entity, table, fields, rows)


def _sparsen(db, entity, table, fields, rows) -> None:
    import json

    for row_id, extracted, *current in rows:
        stored = json.loads(extracted or "{}")
        now = {f: json.loads(v) if f in JSON_COLUMNS[entity] and v is not None else v
               for f, v in zip(fields, current)}
        changed = {f: v for f, v in stored.items()
                   if json.dumps(now.get(f), sort_keys=True) != json.dumps(v, sort_keys=True)}
        db.execute(f"UPDATE {table} SET extracted = ? WHERE id = ?",
                   [json.dumps(changed, ensure_ascii=False), row_id])


@MIGRATIONS()
def m009_ocr_uncertain(db):
    """Notices read by OCR keep the [start, end] spans of text read with low confidence, so 原文
    can underline them after a restart (JSON list; NULL for every other notice)."""
    db.execute("ALTER TABLE notices ADD COLUMN uncertain TEXT")


@MIGRATIONS()
def m010_measure_text_at_span(db):
    """A measure whose text is the notice's text at its span stores NULL as its text (the store
    cuts it from the notice text when reading): extracted measures held a second copy of most of
    the notice, 20 kB of the 89 kB per notice of the archive benchmark. The measures table is
    made again, as its text column was NOT NULL; the rows keep their ids."""
    [create] = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'measures'").fetchone()
    old_column = "text TEXT NOT NULL DEFAULT ''"
    if create.count(old_column) != 1:
        raise RuntimeError("m010: unexpected definition of the measures table")
    create = create.replace(old_column, "text TEXT", 1)
    create = create.replace("CREATE TABLE measures", "CREATE TABLE measures_m010", 1)
    columns = [r[1] for r in db.execute("PRAGMA table_info(measures)").fetchall()]
    names = ", ".join(f'"{c}"' for c in columns)
    db.execute(create)
    db.execute(f"INSERT INTO measures_m010 ({names}) SELECT {names} FROM measures")
    db.execute("DROP TABLE measures")
    db.execute("ALTER TABLE measures_m010 RENAME TO measures")
    db.execute("CREATE INDEX measures_problem ON measures(problem_id, position)")
    db.execute("CREATE INDEX measures_notice ON measures(notice_id)")
    _measure_texts_at_span(db)


def _measure_texts_at_span(db) -> None:
    """NULL every measure text that equals its notice's text at its span (one notice at a time)."""
    import json

    for (notice_id,) in db.execute("SELECT DISTINCT notice_id FROM measures WHERE text IS NOT NULL "
                                   "AND span IS NOT NULL").fetchall():
        [text] = db.execute("SELECT text FROM notices WHERE id = ?", [notice_id]).fetchone()
        same = []
        for measure_id, own, span in db.execute(
                "SELECT id, text, span FROM measures WHERE notice_id = ? AND text IS NOT NULL "
                "AND span IS NOT NULL", [notice_id]).fetchall():
            start, end = json.loads(span)
            if own and text[start:end] == own:
                same.append((measure_id,))
        db.conn.executemany("UPDATE measures SET text = NULL WHERE id = ?", same)


@MIGRATIONS()
def m011_content_key(db):
    """Each notice's content fingerprint after normalisation (``core.store_duplicates``), indexed:
    the same notice imported again as another file, or pasted, is recognised."""
    from core.store_duplicates import content_key

    db.execute("ALTER TABLE notices ADD COLUMN content_key TEXT")
    last = 0
    while rows := db.execute("SELECT id, text FROM notices WHERE id > ? ORDER BY id LIMIT 500",
                             [last]).fetchall():
        last = rows[-1][0]
        for notice_id, text in rows:
            db.execute("UPDATE notices SET content_key = ? WHERE id = ?", [content_key(text), notice_id])
    db.execute("CREATE INDEX notices_content_key ON notices(content_key)")
