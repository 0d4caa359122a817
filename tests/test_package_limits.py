"""A package zip that breaks a bound (zip bombs, names escaping the folder, symlinks, too many or
too large entries) is refused with a Vietnamese reason naming it, before anything is read into the
archive. The crafted zips are a real package plus one hostile entry, so that nothing but the
bound can be what refuses them."""

from __future__ import annotations

import re
import stat
import struct
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from archive.packages.export import PackageError
from archive.packages.validate import validate_package
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import run_sohoa
from tests.package_fixtures import CODE, LIMITS, rewrite

pytest_plugins = ["tests.package_fixtures"]


def _with_entry(src: Path, dst: Path, info: zipfile.ZipInfo | str, data: bytes) -> Path:
    """Copy the package and add one entry."""
    rewrite(src, dst, lambda _n, d: d)
    with zipfile.ZipFile(dst, "a") as zf:
        zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return dst


def _folder(pkg: Path) -> str:
    with zipfile.ZipFile(pkg) as zf:
        return zf.namelist()[0].split("/", 1)[0]


def _import_refused(pkg: Path, other: Path, words: str, settings: Path | None = None) -> None:
    """The command refuses with ``words`` and the fresh data directory holds nothing."""
    extra = ["--settings", str(settings)] if settings else []
    proc = run_sohoa(*extra, "import-package", str(pkg), data_dir=other)
    assert proc.returncode == 2 and re.search(words, proc.stderr), proc.stderr
    svc2 = services(load_settings(other, settings))
    assert list(svc2.store.list("")) == [] and svc2.catalogue.document(f"{CODE}.001") is None
    assert not list((other / "spool").rglob("*.pdf"))


@pytest.mark.parametrize(
    "name",
    ["../../etc/cron.d/sohoa", "/etc/passwd", "{top}/representations/../../../x", "C:\\Windows\\x.dll"],
)
def test_unsafe_names_are_refused(package, tmp_path: Path, name: str) -> None:
    out, _ = package
    bad = _with_entry(out, tmp_path / "bad.zip", name.format(top=_folder(out)), b"x")
    with pytest.raises(PackageError, match="tên mục không an toàn"):
        validate_package(str(bad), LIMITS)


def test_traversal_import_writes_nothing(package, tmp_path: Path) -> None:
    out, _ = package
    bad = _with_entry(out, tmp_path / "bad.zip", "../../../tmp/sohoa-escaped", b"owned")
    _import_refused(bad, tmp_path / "o1", r"'\.\./\.\./\.\./tmp/sohoa-escaped': tên mục không an toàn")
    assert not Path("/tmp/sohoa-escaped").exists()


def test_symlink_is_refused(package, tmp_path: Path) -> None:
    out, _ = package
    info = zipfile.ZipInfo(f"{_folder(out)}/representations/rep1/data/link")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    bad = _with_entry(out, tmp_path / "bad.zip", info, b"/etc/passwd")
    _import_refused(bad, tmp_path / "o2", r"data/link: mục là liên kết tượng trưng \(symlink\)")


def test_high_ratio_entry_is_refused(package, tmp_path: Path) -> None:
    """4 MiB of zeros deflate to about 4 KiB: a ratio no record file has."""
    out, _ = package
    bad = _with_entry(out, tmp_path / "bad.zip", f"{_folder(out)}/bomb.txt", bytes(4 << 20))
    _import_refused(bad, tmp_path / "o3", r"bomb\.txt: tỉ lệ nén \d+:1 vượt giới hạn 100:1")


def test_entry_count_and_sizes_follow_settings(package, tmp_path: Path) -> None:
    out, _ = package
    settings = tmp_path / "limits.toml"
    settings.write_text("[transfer]\nimport_max_entries = 10\n")
    _import_refused(out, tmp_path / "o4", r"gói có \d+ mục, vượt giới hạn 10 mục", settings)
    with pytest.raises(PackageError, match=r"original: 10\d\d\d byte khi giải nén, vượt giới hạn 5000"):
        validate_package(str(out), replace(LIMITS, max_entry_bytes=5000))
    with pytest.raises(PackageError, match="vượt giới hạn tổng dung lượng"):
        validate_package(str(out), replace(LIMITS, max_total_bytes=50_000))
    assert validate_package(str(out), LIMITS).records  # the same package passes the defaults


def _central_records(raw: bytes) -> list[int]:
    """Offsets of the central directory records of a small (non-zip64) zip."""
    return [m.start() for m in re.finditer(rb"PK\x01\x02", raw)]


def test_overlapping_entries_are_refused(package, tmp_path: Path) -> None:
    """Two directory entries pointing at the same bytes (the non-recursive bomb)."""
    out, _ = package
    bad = _with_entry(out, tmp_path / "bad.zip", f"{_folder(out)}/a.txt", b"a" * 100)
    with zipfile.ZipFile(bad, "a") as zf:
        zf.writestr(f"{_folder(out)}/b.txt", b"b" * 100)
    raw = bytearray(bad.read_bytes())
    first, second = _central_records(bytes(raw))[-2:]
    raw[second + 42 : second + 46] = raw[first + 42 : first + 46]  # b.txt's data is a.txt's
    bad.write_bytes(bytes(raw))
    _import_refused(bad, tmp_path / "o5", r"a\.txt và .*b\.txt: hai mục dùng chung dữ liệu")


def test_size_that_lies_stops_inflating(tmp_path: Path) -> None:
    """An entry declaring 100 bytes that inflates to 4 MiB is read up to 100 bytes, then refused
    as damaged (its CRC fails), never inflated further."""
    top = "uuid-0d5c2f8e-3a51-4a57-9a35-8e6f3e0f0a11"
    bad = tmp_path / "liar.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr(f"{top}/schemas/mets.xsd", bytes(4 << 20), compress_type=zipfile.ZIP_DEFLATED)
    raw = bytearray(bad.read_bytes())
    for at, field in ((0, 22), (_central_records(bytes(raw))[0], 24)):  # local and central sizes
        raw[at + field : at + field + 4] = struct.pack("<I", 100)
    bad.write_bytes(bytes(raw))
    with pytest.raises(PackageError, match=r"schemas/mets\.xsd: mục zip hỏng"):
        validate_package(str(bad), LIMITS)
