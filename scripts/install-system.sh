#!/usr/bin/env bash
# Installs the Debian packages sohoa needs (OCR, PDF tools, fonts, the browser for UI tests,
# and Ceph for the S3 peer used by the tests). Idempotent: skips apt when all are present.
set -euo pipefail
PKGS=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng ghostscript qpdf pngquant unpaper
      fonts-dejavu-core fonts-noto-core fonts-liberation2 poppler-utils
      python3-venv make)
if [ "${1:-}" = "--test" ]; then
  PKGS+=(chromium ceph-mon ceph-osd radosgw ceph-common softhsm2 postgresql)   # softhsm2: a real PKCS#11 token for the signing tests; postgresql: the state peer (scripts/pgpeer.sh)
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
