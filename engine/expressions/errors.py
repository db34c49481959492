"""The one error type of the expression language."""

from __future__ import annotations


class ExpressionError(ValueError):
    """An expression that cannot be parsed, compiled to SQL or evaluated.

    ``message`` is plain English meant for an admin reading ``engine validate`` output;
    ``offset`` is the 0-based character offset in the source when it is known.
    """

    def __init__(self, message: str, offset: int | None = None) -> None:
        self.message = message
        self.offset = offset
        super().__init__(message if offset is None else f"{message} (at offset {offset})")
