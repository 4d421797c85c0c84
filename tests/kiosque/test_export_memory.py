"""The register export's memory stays flat as rows grow (bench/export_memory.py, smaller)."""

import sys

import pytest
from django.conf import settings

sys.path.insert(0, str(settings.BASE_DIR / "bench"))

from export_memory import compare


@pytest.mark.django_db
def test_the_export_memory_stays_flat():
    result = compare(rows=8_000, reference=2_000)  # four times the rows

    # Streamed exports: the peak is one chunk of rows, whatever their number...
    assert result["ratios"]["csv"] < 1.3, result
    assert result["ratios"]["xlsx"] < 1.3, result
    # ...while the same measure sees a file built in memory grow with the rows.
    assert result["ratios"]["naive_csv"] > 2.5, result
