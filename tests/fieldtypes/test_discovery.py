"""A field type is one module: every module of engine/fieldtypes is imported by the package
itself, in name order, so nothing else names it."""
from __future__ import annotations

import sys
from pathlib import Path

import engine.fieldtypes as fieldtypes
from engine.fieldtypes import REGISTRY

NEW_TYPE = '''
from engine.fieldtypes.base import FieldType, register


@register
class SampleType(FieldType):
    name = "discovered_sample"
    label = "Discovered"
'''


def test_a_module_dropped_into_the_package_registers_its_type(tmp_path, monkeypatch):
    (tmp_path / "zz_discovered_sample.py").write_text(NEW_TYPE, encoding="utf-8")
    monkeypatch.setattr(fieldtypes, "__path__", [*fieldtypes.__path__, str(tmp_path)])
    try:
        fieldtypes.load_types()
        assert "discovered_sample" in REGISTRY
    finally:
        REGISTRY.pop("discovered_sample", None)
        sys.modules.pop("engine.fieldtypes.zz_discovered_sample", None)


def test_the_package_names_no_type_module_and_registers_in_a_fixed_order():
    source = (Path(fieldtypes.__file__)).read_text(encoding="utf-8")
    assert "from . import" not in source
    assert list(REGISTRY) == [
        "formula", "serial", "rollup", "date", "datetime", "integer", "decimal", "boolean", "rating", "text",
        "textarea", "email", "phone", "url", "select", "multiselect", "user", "link", "table", "file"]
