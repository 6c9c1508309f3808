"""The committed course-scale records (benchmarks/results) pass the chapters' metric bands.

The chapters quote these records in their prose; the band tests' course-scale branches are
checked here against them on every test run, not only when a GPU build publishes the book.
"""

import importlib
import json

import pytest

from labutils import results
from tests import ledger
from tools.book import chapter_paths

RECORDS = sorted(results.records_dir().glob("course-scale-*.json"))
# One record per chapter, course-scale-<stem>.json; each must pass the chapter's bands.


def ledger_entry(record: dict) -> dict:
    # The entry the chapter wrote to its ledger, in results.record's one shape; records written
    # before the ledger stored the injected values keep them at the top level.
    return {
        **{
            part: record[part]
            for part in ("metrics", "headline", "models", "history")
            if part in record
        },
        "run": {
            **record["run"],
            "overrides": record["run"].get("overrides", record.get("overrides", {})),
        },
    }


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem.removeprefix("course-scale-"))
def test_course_scale_record_passes_its_chapters_bands(path, tmp_path, monkeypatch):
    record = json.loads(path.read_text())
    assert record["profile"] == "full" and record["run"]["profile"] == "full"
    monkeypatch.setenv("LABUTILS_BUILD_DIR", str(tmp_path))
    monkeypatch.setattr(ledger, "checking", True)  # never execute the chapter instead
    results.save_entry(record["chapter"], ledger_entry(record))
    module = importlib.import_module(f"tests.test_results_{record['chapter']}")
    getattr(module, f"test_{record['chapter']}")()


@pytest.mark.parametrize("chapter", [p.stem for p in chapter_paths()])
def test_each_chapter_has_a_course_scale_record_or_is_reported_as_not_measured(chapter):
    # A new chapter is not blocked by hours of CPU: its missing record is reported here (and the
    # landing page shows "not measured"), and `python -m benchmarks.course_scale <chapter>` makes it.
    recorded = {json.loads(p.read_text())["chapter"] for p in RECORDS}
    if chapter not in recorded:
        pytest.skip(
            f"{chapter}: course scale not measured yet (python -m benchmarks.course_scale {chapter})"
        )


def test_summary_of_run_times_is_in_step_with_the_records():
    # benchmarks/SUMMARY.md is generated from the records; a new or remade record must be
    # followed by `python -m benchmarks.summary`, or the summary quotes old times.
    from benchmarks import summary

    assert summary.OUT.read_text() == summary.render(), "run: python -m benchmarks.summary"
