"""Failure drills: each test is one hostile input, fault or race that a user or the machine
can inflict, recorded for docs/reliability.md.

A drill test takes the ``drill`` fixture and says what it tries and what must happen:

    def test_zip_bomb_docx(drill, tmp_path):
        drill.case("5 MB .docx holding 1.5 GB of XML, in a folder import",
                   expected="refused with one Chinese line; the next file is imported")
        ...
        drill.observed(f"stderr: {line}; imported {n} of 2")
        drill.lost_data(False)          # True only if something acknowledged was lost

The verdict is the test's outcome. The recorded fields travel in the test report's
``user_properties`` (and so in --junitxml), which the docs script reads.
"""
import pytest


class Drill:
    def __init__(self, node):
        self._node = node
        self._props = {}

    def _set(self, key, value):
        self._props[key] = value
        self._node.user_properties[:] = [
            (k, v) for k, v in self._node.user_properties if k != f"drill_{key}"
        ] + [(f"drill_{key}", str(value))]

    def case(self, text, *, expected):
        self._set("case", text)
        self._set("expected", expected)

    def observed(self, text):
        self._set("observed", text)

    def lost_data(self, lost):
        self._set("lost_data", "yes" if lost else "no")


@pytest.fixture
def drill(request):
    d = Drill(request.node)
    yield d
    if "case" not in d._props:
        raise AssertionError("a drill test must call drill.case(...)")
