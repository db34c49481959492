"""Field types by name. Importing this package registers every type."""
from . import computed, dates, numbers, relations, structured, text  # noqa: F401  (registration)
from .base import REGISTRY, CheckContext, FieldError, FieldType, field_type, type_of

__all__ = ["REGISTRY", "CheckContext", "FieldError", "FieldType", "field_type", "type_of"]
