"""Field types by name. Importing this package registers every type."""
from . import computed, dates, numbers, rating, relations, structured, text  # noqa: F401  (registration)
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
