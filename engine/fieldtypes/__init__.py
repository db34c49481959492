"""Field types by name. Importing this package registers every type: each module of the
package is imported, in name order, so a new type is one module and needs no import here."""
import importlib
import pkgutil

from .base import (
    CLIENT_KINDS,
    REGISTRY,
    CellReader,
    CheckContext,
    FieldError,
    FieldType,
    Refs,
    WidgetContext,
    field_type,
    no_access,
    type_label,
    type_of,
)

__all__ = ["CLIENT_KINDS", "REGISTRY", "CellReader", "CheckContext", "FieldError", "FieldType", "Refs",
           "WidgetContext", "field_type", "no_access", "type_label", "type_of"]


def load_types() -> None:
    """Import every module of this package, in name order: types register in that order,
    which the module schema's list of types and its messages follow."""
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda found: found.name):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


load_types()
