"""Permissions: the one gate (gate.py) and what a reader may see of a record (visibility.py)."""
from .gate import Gate, Grant
from .visibility import hidden_columns, hidden_in_record, uses_hidden, visible_value, visible_values

__all__ = ["Gate", "Grant", "hidden_columns", "hidden_in_record", "uses_hidden", "visible_value", "visible_values"]
