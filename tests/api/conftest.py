from __future__ import annotations

import shutil

import pytest

from tests.conftest import TEST_CONFIGS


@pytest.fixture
def kitchen_dir(tmp_path):
    target = tmp_path / "kitchen"
    shutil.copytree(TEST_CONFIGS / "kitchen", target)
    return target


@pytest.fixture
def app(make_app, kitchen_dir, request):
    """API tests in this folder run on the shipped configs unless marked `kitchen`."""
    if request.node.get_closest_marker("kitchen"):
        return make_app(kitchen_dir)
    shipped = tmp_path_configs = kitchen_dir.parent / "configs"
    from tests.conftest import SHIPPED

    shutil.copytree(SHIPPED, tmp_path_configs)
    return make_app(shipped)
