"""Permissions: the one gate (gate.py)."""
from .gate import Gate, Grant

__all__ = ["Gate", "Grant"]
