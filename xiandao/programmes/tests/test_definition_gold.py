"""The four programme files hold the gold targets and tasks one for one, read from the gold JSON.

The gold labels (``../shared/policies/*.targets.json``, ``*.tasks.json``) are the truth for
targets and tasks (LABELLING.md); they are read here at test time, never copied into the test.
"""

from __future__ import annotations

from typing import Any

import pytest

from xiandao.programmes.tests.support import PROGRAMME_CODES, document_text, gold, policy_dir, programme

TARGET_KEYS = ("year", "metric", "value", "unit", "qualifier", "strive", "cumulative", "scope", "quote")
TASK_KEYS = ("task", "lead", "cooperating", "quote")

DOCUMENTS = [(code, doc.code) for code in PROGRAMME_CODES for doc in programme(code).documents]


def test_every_labelled_document_belongs_to_exactly_one_programme() -> None:
    labelled = {path.name.removesuffix(".targets.json") for path in policy_dir().glob("*.targets.json")}
    defined = [document for _, document in DOCUMENTS]
    assert sorted(defined) == sorted(labelled)
    assert len(defined) == len(set(defined))


@pytest.mark.parametrize(("code", "document"), DOCUMENTS)
def test_targets_equal_gold_one_for_one(code: str, document: str) -> None:
    ours = [
        {key: getattr(target, key) for key in TARGET_KEYS}
        for target in programme(code).targets
        if target.document == document
    ]
    expected: list[dict[str, Any]] = [
        {key: item[key] for key in TARGET_KEYS} for item in gold(document, "targets")
    ]
    assert ours == expected
    # Same keys in gold as in LABELLING.md: nothing in the gold is left out above.
    assert all(set(item) == set(TARGET_KEYS) for item in gold(document, "targets"))


@pytest.mark.parametrize(("code", "document"), DOCUMENTS)
def test_tasks_equal_gold_one_for_one(code: str, document: str) -> None:
    ours = [
        {key: getattr(task, key) for key in TASK_KEYS}
        for task in programme(code).tasks
        if task.document == document
    ]
    assert ours == gold(document, "tasks")


@pytest.mark.parametrize(("code", "document"), DOCUMENTS)
def test_quotes_occur_in_their_document(code: str, document: str) -> None:
    text = document_text(document)
    defn = programme(code)
    missing = [t.code for t in defn.targets if t.document == document and t.quote not in text]
    missing += [t.code for t in defn.tasks if t.document == document and t.quote not in text]
    assert missing == []


@pytest.mark.parametrize("code", PROGRAMME_CODES)
def test_taxonomy_zone_types_and_lifecycle_quotes_occur_in_the_text(code: str) -> None:
    """Directions, places and quoted definitions are the documents' words, not paraphrase."""
    defn = programme(code)
    for version in defn.taxonomy_versions:
        text = document_text(version.document)
        for field in version.fields:
            for phrase in [*field.directions, *field.places]:
                assert phrase in text, (version.code, field.code, phrase)
    for zone_type in defn.zone_types:
        assert zone_type.definition in document_text(zone_type.document)


def test_basis_follows_the_clause() -> None:
    """累计 → cumulative, 新增 → increment; a plain level is a stock (schema docstring)."""
    for code in PROGRAMME_CODES:
        for target in programme(code).targets:
            if "累计" in target.quote:
                assert target.basis == "cumulative", target.code
            elif "新增" in target.quote:
                assert target.basis == "increment", target.code
            if target.unit == "亿元":
                assert target.basis == "stock", target.code
