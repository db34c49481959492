"""Text controls that send back at most a little more than their field may hold.

A page form that fails validation shows the submitted values again, so people can fix
them. A value far longer than the field allows would otherwise be echoed in full: a
megabyte posted is a megabyte answered. The full value still reaches validation (whose
error says how long it was); only what is rendered back is cut.
"""
from __future__ import annotations

from typing import Any

from wtforms import EmailField, StringField, TextAreaField

#: Characters echoed beyond a field's limit, so the person sees the value is too long.
ECHO_MARGIN = 20
#: Echo limit of a control without a length of its own (numbers, dates, names of things).
DEFAULT_ECHO = 255


class EchoLimit:
    """Mixin for a WTForms text control: `_value()` (what the widget renders) is cut to
    `echo_limit` characters."""

    echo_limit: int = DEFAULT_ECHO + ECHO_MARGIN

    def _value(self) -> str:
        text = super()._value()  # type: ignore[misc]
        return text[: self.echo_limit] if len(text) > self.echo_limit else text


def _init(self: Any, args: tuple, kwargs: dict, base: type) -> None:
    limit = kwargs.pop("echo_limit", None)
    base.__init__(self, *args, **kwargs)
    if limit is not None:
        self.echo_limit = int(limit) + ECHO_MARGIN


class BoundedStringField(EchoLimit, StringField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _init(self, args, kwargs, StringField)


class BoundedTextAreaField(EchoLimit, TextAreaField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _init(self, args, kwargs, TextAreaField)


class BoundedEmailField(EchoLimit, EmailField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _init(self, args, kwargs, EmailField)
