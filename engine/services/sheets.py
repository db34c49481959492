"""Rows of cells from and to CSV and XLSX files (openpyxl), for import and export."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from engine.errors import BadRequest
from engine.i18n import _

FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def read_rows(data: bytes, filename: str) -> tuple[list[Any], Iterator[list[Any]]]:
    """The header row and the other rows of an uploaded .csv or .xlsx file."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, KeyError, ValueError, OSError, Exception) as exc:  # noqa: BLE001
            raise BadRequest(_("%(name)s is not a readable .xlsx file", name=filename)) from exc
        rows = (list(r) for r in book.worksheets[0].iter_rows(values_only=True))
    elif name.endswith(".csv"):
        rows = csv.reader(io.StringIO(_decode(data)))
    else:
        raise BadRequest(_("import a .csv or .xlsx file"))
    head = next(rows, None)
    if not head:
        raise BadRequest(_("%(name)s is empty", name=filename))
    return list(head), (list(r) for r in rows)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); else GB18030, what Excel on a Chinese Windows writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise BadRequest(_("the CSV file is neither UTF-8 nor GB18030 text")) from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(head: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV text in chunks, with a BOM so that Excel opens the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(head)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_text(v) for v in row])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(head: list[str], rows: Iterable[list[Any]], title: str, notes: list[list[str]] | None = None) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "Sheet1")
    sheet.append(head)
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    if notes:
        guide = book.create_sheet(_("Guide")[:31])
        for line in notes:
            guide.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
