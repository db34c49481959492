"""Byte limits shown to people read as B, KB and MB."""
from __future__ import annotations

import pytest

from engine.sizes import human_size


@pytest.mark.parametrize("n, text", [(0, "0 B"), (900, "900 B"), (1024, "1 KB"), (1536, "1.5 KB"),
                                     (256 * 1024, "256 KB"), (1048576, "1 MB"), (20 * 2**20, "20 MB")])
def test_human_size(n, text):
    assert human_size(n) == text
