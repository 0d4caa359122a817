"""``python -m bench.ocr``: see bench/ocr/run.py."""

import sys

from bench.ocr.run import main

sys.exit(main())
