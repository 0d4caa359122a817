"""bench/signing: seconds and bytes per signature at each PAdES level, and the cost of verifying
signed copies offline, against the real test PKI (certomancer CA, TSA, OCSP, CRL on 127.0.0.1).

    .venv/bin/python -m bench.signing [--n 5] [--verify-n 100]

Verifying 1,000 copies is extrapolated from ``--verify-n`` (stated in the output)."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from archive.signing import SigningConfig
from archive.signing.sign import LEVELS, sign_pdf
from archive.signing.verify import verify_pdf
from tests.support.pdfa_sample import make_pdfa
from tests.support.pki import AGENCY_NAME, start_pki
from tests.support.signing_setup import DOC_LINES

PASSWORD = "bench"


def _config(pki, folder: Path) -> SigningConfig:
    section = {
        "agency": AGENCY_NAME,
        "pkcs12": str(pki.pkcs12("agency", PASSWORD)),
        "password_env": "P",
        "trust_roots": [str(pki.root_pem())],
        "tsa_url": pki.tsa_url,
    }
    return SigningConfig.from_settings(section, {"P": PASSWORD}, folder / "signing")


def bench_levels(pdfa: Path, config: SigningConfig, folder: Path, n: int) -> dict[str, Path]:
    """Sign ``n`` times at each level; print seconds and bytes added per signature."""
    base = pdfa.stat().st_size
    sign_pdf(pdfa, folder / "warm.pdf", config, document_id="warm", level="B-B")  # font cache, imports
    print(f"archival PDF/A: {base} bytes, 1 page")
    print(f"| level | seconds per signature (median of {n}) | bytes added |")
    print("|---|---|---|")
    last: dict[str, Path] = {}
    for level in LEVELS:
        times, sizes = [], []
        for i in range(n):
            out = folder / f"{level}-{i}.pdf"
            t0 = time.perf_counter()
            copy = sign_pdf(pdfa, out, config, document_id=f"bench-{i}", level=level)
            times.append(time.perf_counter() - t0)
            sizes.append(copy.size - base)
            last[level] = out
        print(f"| {level} | {statistics.median(times):.3f} | {int(statistics.median(sizes))} |")
    return last


def bench_verify(copies: dict[str, Path], roots: tuple[str, ...], n: int) -> None:
    """Verify each level's copy ``n`` times offline; extrapolate to 1,000 copies."""
    print(f"\n| level | verify one copy offline, s (median of {n}) | 1,000 copies, s (extrapolated) |")
    print("|---|---|---|")
    for level, path in copies.items():
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            assert verify_pdf(path, roots, fetch=False).valid or level in ("B-B", "B-T")
            times.append(time.perf_counter() - t0)
        median = statistics.median(times)
        print(f"| {level} | {median:.3f} | {median * 1000:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5, help="signatures per level")
    parser.add_argument(
        "--verify-n", type=int, default=50, help="verifications per level (extrapolated to 1,000)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-signing-") as tmp:
        folder = Path(tmp)
        pki = start_pki(folder / "pki")
        try:
            pdfa = make_pdfa(DOC_LINES, folder / "archival.pdf", dpi=200)
            config = _config(pki, folder)
            copies = bench_levels(pdfa, config, folder, args.n)
            bench_verify(copies, config.trust_roots, args.verify_n)
        finally:
            pki.stop()


if __name__ == "__main__":
    main()
