"""The PKCS#11 path on a real software token (SoftHSM2): `sohoa certify` signs with the key on the
token; a wrong PIN and an absent token are clear refusals that store nothing."""

from __future__ import annotations

import json

import pytest

from archive.signing.verify import verify_pdf
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import run_sohoa
from tests.support.pki import AGENCY_NAME
from tests.support.signing_setup import store_pdfa_document
from tests.support.softhsm import make_token

pytest_plugins = ["tests.signing_fixtures"]

DOC_ID = "000.00.12.H19-261201-0003.001"


@pytest.fixture(scope="module")
def token(pki, tmp_path_factory):
    return make_token(tmp_path_factory.mktemp("softhsm"), pki.key_pem("agency"), pki.cert_der("agency"))


def _settings(path, pki, token, **over):
    values = {
        "agency": AGENCY_NAME,
        "pkcs11_module": token.module,
        "pkcs11_token": token.token,
        "pkcs11_key": token.key,
        "pin_env": "SOHOA_TEST_PIN",
        "trust_roots": [str(pki.root_pem())],
        "tsa_url": pki.tsa_url,
        **over,
    }
    path.write_text(
        "[signing]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items()), encoding="utf-8"
    )
    return path


def test_certify_with_token(pki, token, sample_pdfa, data_dir, tmp_path):
    settings = _settings(tmp_path / "s.toml", pki, token)
    svc = services(load_settings(data_dir, settings))
    store_pdfa_document(svc, sample_pdfa, DOC_ID)
    out = tmp_path / "copy.pdf"
    env = {**token.env, "SOHOA_TEST_PIN": token.pin}
    proc = run_sohoa(
        "--settings", str(settings), "certify", DOC_ID, "--out", str(out), data_dir=data_dir, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["level"] == "B-LTA"
    result = verify_pdf(out, [str(pki.root_pem())])
    assert result.valid and result.signer == AGENCY_NAME, result.problems


@pytest.mark.parametrize(
    ("over", "pin", "words"),
    [
        ({}, "000000", "Sai mã PIN"),
        ({"pkcs11_token": "khong-cam"}, None, "Không tìm thấy thiết bị ký số 'khong-cam'"),
    ],
)
def test_token_refusals_store_nothing(pki, token, sample_pdfa, data_dir, tmp_path, over, pin, words):
    settings = _settings(tmp_path / "s.toml", pki, token, **over)
    svc = services(load_settings(data_dir, settings))
    store_pdfa_document(svc, sample_pdfa, DOC_ID)
    before = sorted(svc.store.list(""))
    env = {**token.env, "SOHOA_TEST_PIN": pin or token.pin}
    out = tmp_path / "copy.pdf"
    proc = run_sohoa(
        "--settings", str(settings), "certify", DOC_ID, "--out", str(out), data_dir=data_dir, env=env
    )
    assert proc.returncode == 2 and words in proc.stderr, proc.stderr
    assert sorted(svc.store.list("")) == before and not out.exists()
