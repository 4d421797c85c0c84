"""The production settings, plus the benchmark's reference pages (bench/urls.py)."""

from pathlib import Path

import oscar

from config.settings import *  # noqa: F403
from config.settings import TEMPLATES

ROOT_URLCONF = "bench.urls"

# Oscar's own templates alone, for Oscar's stock catalogue page (the reference).
TEMPLATES = [
    *TEMPLATES,
    {
        **TEMPLATES[0],
        "NAME": "oscar_stock",
        "DIRS": [Path(oscar.__file__).parent / "templates"],
        "APP_DIRS": False,
    },
]
