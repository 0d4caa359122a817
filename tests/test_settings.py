"""Settings: known keys come from the defaults file; unknown keys and wrong values are refused at
start with the key named; moved keys keep working with a warning; typed sections reach the parts."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sohoa.settings import DEFAULTS, Settings, SettingsError, load_settings
from sohoa.wiring import services
from tests.conftest import run_sohoa


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _refusal(tmp_path: Path, text: str) -> str:
    with pytest.raises(SettingsError) as exc:
        load_settings(tmp_path / "data", _file(tmp_path, text))
    return str(exc.value)


def test_the_defaults_file_itself_is_a_valid_settings_file(tmp_path: Path) -> None:
    # Every key in the defaults file is known: a branch that adds keys there is never refused.
    import sohoa

    defaults = Path(sohoa.__file__).parent / DEFAULTS
    settings = load_settings(tmp_path / "data", defaults)
    assert settings.center.agency_code == "000.00.12.H19"
    assert settings.section("store")["backend"] == "local"  # the dict accessor still works


def test_unknown_keys_and_sections_are_refused_with_their_name(tmp_path: Path) -> None:
    assert "web.sesion_minutes" in _refusal(tmp_path, "[web]\nsesion_minutes = 30\n")
    assert "unknown setting storage" in _refusal(tmp_path, '[storage]\nbackend = "s3"\n')
    assert "center.agency" in _refusal(tmp_path, '[center]\nagency = "X"\n')


def test_wrong_types_and_values_are_refused_with_the_key(tmp_path: Path) -> None:
    assert "ocr.jobs" in _refusal(tmp_path, '[ocr]\njobs = "2"\n')
    assert "limits.max_pages" in _refusal(tmp_path, "[limits]\nmax_pages = 0\n")
    assert "store.backend" in _refusal(tmp_path, '[store]\nbackend = "ftp"\n')
    assert "center.timezone" in _refusal(tmp_path, '[center]\ntimezone = "Asia/Nowhere"\n')
    assert "center.dossier_code_pattern" in _refusal(
        tmp_path, '[center]\ndossier_code_pattern = "{agency}"\n'
    )
    assert "calendar.extra_days_off" in _refusal(tmp_path, '[calendar]\nextra_days_off = ["2/1/2026"]\n')
    assert "web.secure_cookies" in _refusal(tmp_path, '[web]\nsecure_cookies = "sometimes"\n')
    assert "index.es_url" in _refusal(tmp_path, '[index]\nbackend = "elasticsearch"\n')
    assert "retention" in _refusal(tmp_path, '[retention.by_doc_type]\n"Giấy khen" = "15"\n')
    assert "replica.bucket" in _refusal(tmp_path, '[replica]\nendpoint = "dr.example:9000"\nbucket = ""\n')
    assert "jobs.retry_first_seconds" in _refusal(tmp_path, "[jobs]\nretry_first_seconds = 7200\n")
    # Seconds may be fractional; counts may not.
    assert load_settings(tmp_path / "d", _file(tmp_path, "[jobs]\nretry_first_seconds = 0.5\n")).jobs
    assert "limits.max_pages" in _refusal(tmp_path, "[limits]\nmax_pages = 2.5\n")


def test_open_tables_take_the_deployments_own_keys(tmp_path: Path) -> None:
    settings = load_settings(
        tmp_path / "data",
        _file(
            tmp_path,
            '[retention.by_procedure]\n"1.*" = "70"\n'
            '[catalogue.departments]\nYT = "Sở Y tế"\n'
            '[catalogue.procedures]\n"1.002222.000.00.00.H19" = { name = "Cấp phép hành nghề", department = "YT", days = 7 }\n',
        ),
    )
    assert settings.retention.by_procedure["1.*"] == "70"
    procedures = services(settings).procedures
    assert procedures.find("1.002222.000.00.00.H19 — Cấp phép hành nghề").days == 7
    assert procedures.department_name("YT") == "Sở Y tế" and procedures.department_name("TP") == "Sở Tư pháp"
    with pytest.raises(SettingsError, match="catalogue.procedures.9.9"):
        Settings(tmp_path, {"catalogue": {"procedures": {"9.9": {"name": "x", "department": "QQ"}}}})


def test_the_catalogue_under_its_old_web_name_still_works_with_a_warning(tmp_path: Path, caplog) -> None:
    text = (
        '[web.departments]\nYT = "Sở Y tế"\n[web.procedures]\n"9.001" = { name = "Thử", department = "YT" }\n'
    )
    with caplog.at_level(logging.WARNING, logger="sohoa.settings"):
        settings = load_settings(tmp_path / "data", _file(tmp_path, text))
    assert "[web.procedures] is now [catalogue.procedures]" in caplog.text
    assert settings.catalogue.procedures["9.001"].department == "YT"
    assert "procedures" not in settings.section("web")


def test_the_cli_refuses_a_bad_settings_file_before_doing_anything(tmp_path: Path) -> None:
    path = _file(tmp_path, "[web]\nsession = 5\n")
    proc = run_sohoa("--settings", str(path), "search", "hồ sơ", data_dir=tmp_path / "data")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith("sohoa: settings: unknown setting web.session")
    assert not (tmp_path / "data" / "index").exists()


def test_typed_sections_reach_the_parts(tmp_path: Path) -> None:
    text = "[audit]\nretain_years = 40\n[disposal]\nrecord_retain_years = 35\n[limits]\nmax_pages = 12\n"
    svc = services(load_settings(tmp_path / "data", _file(tmp_path, text)))
    assert svc.audit.retain_years == 40
    assert svc.disposal(with_index=False).retain_years == 35
    assert svc.ingest.limits.max_pages == 12
    codes = svc.dossier_codes()
    try:
        assert codes.issue().startswith("000.00.12.H19-")
    finally:
        codes.close()


def test_the_settings_shown_in_the_docs_are_accepted(tmp_path: Path) -> None:
    """Every ```toml block of the docs is a settings file sohoa takes (no renamed or dropped key)."""
    import re

    root = Path(__file__).resolve().parent.parent
    blocks = [
        block
        for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]
        for block in re.findall(r"```toml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    ]
    assert blocks, "the production guide shows its settings"
    for block in blocks:
        settings = load_settings(tmp_path / "data", _file(tmp_path, block))
        assert settings.store.backend in ("local", "s3")
