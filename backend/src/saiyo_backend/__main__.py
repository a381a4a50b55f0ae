"""``python -m saiyo_backend`` is the ``saiyo`` command (for a Python without the venv's scripts on PATH)."""

from saiyo_backend.cli import main

import sys


sys.exit(main())
