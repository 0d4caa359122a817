"""Retention classes from settings: mapping from procedure and document type, counting rules."""

from __future__ import annotations

from datetime import date

import pytest

from archive.object_store import PERMANENT
from archive.retention import RetentionPolicy, RetentionSettingsError

SECTION = {
    "default_class": "20",
    "counts_from": "end_of_year",
    "by_procedure": {"1.011442.000.00.00.H38": "70", "1.0114*": "50", "2.*": "10"},
    "by_doc_type": {"Giấy chứng nhận quyền sử dụng đất": "permanent", "Phiếu hẹn": "5"},
}


def test_document_type_wins_over_procedure_and_matches_any_case() -> None:
    policy = RetentionPolicy.from_settings(SECTION)
    assert policy.class_for("1.011442.000.00.00.H38", "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT") == "permanent"
    assert policy.class_for("2.000001", "phiếu hẹn") == "5"


def test_procedure_rules_exact_then_longest_pattern_then_default() -> None:
    policy = RetentionPolicy.from_settings(SECTION)
    assert policy.class_for("1.011442.000.00.00.H38") == "70"
    assert policy.class_for("1.011443.000.00.00.H38") == "50"
    assert policy.class_for("2.002100.000.00.00.H19") == "10"
    assert policy.class_for("3.000001") == "20"
    assert policy.class_for() == "20"


def test_retention_counts_from_the_end_of_the_year_received() -> None:
    policy = RetentionPolicy.from_settings(SECTION)
    assert policy.retain_until("10", date(2025, 3, 14)) == date(2035, 12, 31)
    assert policy.retain_until("permanent", date(2025, 3, 14)) == PERMANENT
    assert policy.for_document("1.011442.000.00.00.H38", "", date(2025, 1, 2)) == ("70", date(2095, 12, 31))


def test_retention_may_count_from_the_day_received() -> None:
    policy = RetentionPolicy.from_settings({**SECTION, "counts_from": "received"})
    assert policy.retain_until("5", date(2024, 2, 29)) == date(2029, 2, 28)
    assert policy.retain_until("20", date(2025, 3, 14)) == date(2045, 3, 14)


def test_settings_with_unknown_classes_are_refused_at_start() -> None:
    with pytest.raises(RetentionSettingsError):
        RetentionPolicy.from_settings({**SECTION, "by_procedure": {"1.*": "15"}})
    with pytest.raises(RetentionSettingsError):
        RetentionPolicy.from_settings({**SECTION, "counts_from": "closed"})
    custom = RetentionPolicy.from_settings(
        {
            **SECTION,
            "classes": ["permanent", "70", "50", "20", "10", "5", "15"],
            "by_procedure": {"1.*": "15"},
        }
    )
    assert custom.retain_until(custom.class_for("1.5"), date(2025, 6, 1)) == date(2040, 12, 31)


def test_packaged_defaults_are_valid() -> None:
    from sohoa.settings import load_settings

    policy = RetentionPolicy.from_settings(load_settings("/tmp/sohoa-unused").section("retention"))
    assert policy.class_for() in policy.classes
