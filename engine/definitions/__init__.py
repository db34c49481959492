"""Definitions: the JSON module files, validated and frozen (see model.py)."""
from .loader import checked_elsewhere, load_directory, load_sources, read_sources, signature_of
from .model import (
    ADMIN_ROLE,
    SYSTEM_ATTRIBUTES,
    AppDef,
    FieldDef,
    FormDef,
    ModuleDef,
    PermissionDef,
    RowRule,
    StageDef,
    TransitionDef,
    WorkflowDef,
)
from .paths import PathError, ResolvedPath, resolve_path

__all__ = [
    "ADMIN_ROLE", "SYSTEM_ATTRIBUTES", "AppDef", "FieldDef", "FormDef", "ModuleDef", "PermissionDef",
    "RowRule", "StageDef", "TransitionDef", "WorkflowDef", "PathError", "ResolvedPath", "resolve_path",
    "checked_elsewhere", "load_directory", "load_sources", "read_sources", "signature_of",
]
