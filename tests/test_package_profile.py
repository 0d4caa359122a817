"""The Circular 05/2025 values a package chooses (mode, format, confidenceLevel, riskRecovery) come
from the settings and the documents, take terms of the Circular's lists, and a package holding a
term outside them is refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from archive.packages.export import PackageError, export_dossier
from archive.packages.validate import validate_package
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import run_sohoa
from tests.package_fixtures import CODE, LIMITS, fix_checksums, rewrite, stored_document

pytest_plugins = ["tests.package_fixtures"]
DOSSIER = "metadata/descriptive/dossier.xml"


def _described(pkg: Path, name: str = DOSSIER) -> etree._Element:
    found = validate_package(str(pkg), LIMITS)
    with zipfile.ZipFile(pkg) as zf:
        return etree.fromstring(zf.read(found.folder + name))


def _values(root: etree._Element) -> tuple[str | None, ...]:
    return tuple(
        root.findtext(t) for t in ("mode", "format", "confidenceLevel", "riskRecovery", "riskRecoveryStatus")
    )


def test_defaults_of_a_digitised_dossier(package) -> None:
    out, _ = package
    assert _values(_described(out)) == ("Sử dụng có điều kiện", "Bình thường", "Số hóa", "Không", "")
    doc = _described(out, f"representations/rep1/metadata/descriptive/{CODE}.001.xml")
    assert _values(doc)[:3] == ("Sử dụng có điều kiện", "Bình thường", "Số hóa")


def test_values_from_settings_replica_and_signed_original(svc, tmp_path: Path) -> None:
    svc.catalogue.ensure_dossier(CODE, procedure_name="Cấp phép")
    stored_document(svc, 1)
    stored_document(svc, 2, signed=True)  # handed in as a signed PDF that verified
    settings = tmp_path / "s.toml"
    settings.write_text(
        '[transfer]\nmode = "Công khai"\nphysical_condition = "Tốt"\n'
        '[replica]\nendpoint = "127.0.0.1:9"\nbucket = "du-phong"\n',
        encoding="utf-8",
    )
    # The profile as the center's settings make it (a replica configured: a second copy is kept);
    # the package is built from the archive itself (the replica is not reached to read).
    profile = services(load_settings(svc.settings.data_dir, settings)).package_profile()
    out = tmp_path / "p.zip"
    export_dossier(svc.repository, svc.catalogue, CODE, out, "AIP", None, profile)
    assert _values(_described(out)) == ("Công khai", "Tốt", "Hỗn hợp", "Có", "Đã dự phòng")
    signed = _described(out, f"representations/rep1/metadata/descriptive/{CODE}.002.xml")
    assert signed.findtext("confidenceLevel") == "Gốc điện tử"


def test_term_outside_the_lists_is_refused(package, svc, tmp_path: Path) -> None:
    out, _ = package
    settings = tmp_path / "bad.toml"
    settings.write_text('[transfer]\nmode = "Hạn chế"\n', encoding="utf-8")
    proc = run_sohoa(
        "--settings",
        str(settings),
        "package",
        CODE,
        "--out",
        str(tmp_path / "x.zip"),
        data_dir=svc.settings.data_dir,
    )
    assert proc.returncode == 2 and "transfer.mode" in proc.stderr and "Hạn chế" in proc.stderr
    for tag, value, words in (
        ("mode", "Hạn chế", "<mode> không thuộc danh mục của Thông tư 05/2025: 'Hạn chế'"),
        ("riskRecoveryStatus", "Đã dự phòng", r"chỉ ghi \(và phải ghi\) khi <riskRecovery> là Có"),
    ):
        bad = tmp_path / f"bad-{tag}.zip"
        rewrite(
            out, bad, lambda n, d, tag=tag, value=value: _set(d, tag, value) if n.endswith(DOSSIER) else d
        )
        fix_checksums(bad)
        with pytest.raises(PackageError, match=words):
            validate_package(str(bad), LIMITS)


def _set(xml: bytes, tag: str, value: str) -> bytes:
    root = etree.fromstring(xml)
    root.find(tag).text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
