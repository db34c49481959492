"""Rows of cells from and to CSV and XLSX files (openpyxl), for import and export.

Spreadsheet formulas: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return would be run as a formula by Excel or LibreOffice when the exported file is opened
(formula injection). CSV export writes such a text with a leading `'` (and one more `'` in
front of a text that already starts with quotes followed by one of those characters, so the
escape can be undone exactly); CSV import removes one such quote. XLSX export writes every
text as a text cell, which never becomes a formula, and XLSX import reads formulas as their
cached values, never as formulas.

Reading is bounded by what the file really holds, not by what it claims: the dimensions an
XLSX declares are ignored, blank rows and columns after the data cost nothing and do not
count, and the row and cell limits are checked while reading, naming the row.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from engine.errors import BadRequest
from engine.i18n import _

FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
#: Defaults of ENGINE_IMPORT_MAX_ROWS and ENGINE_IMPORT_MAX_CELLS.
MAX_ROWS = 10_000
MAX_CELLS = 1_000_000
#: Columns of the header row that are read at most (XLSX allows 16,384).
MAX_COLUMNS = 1_000
#: What an XLSX file may hold once unpacked (a small file can claim gigabytes of blank rows).
MAX_UNPACKED = 128 * 1024 * 1024
#: Lines read at most, blank or not: a spreadsheet's last row.
MAX_SHEET_ROWS = 1_048_576

_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
#: What an XLSX text cannot hold as such (XML drops a carriage return and refuses control
#: characters), written as the format's `_xHHHH_` escapes; `_x` itself is escaped as `_x005F_x`.
_XLSX_UNSAFE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b\x0c\r\x0e-\x1f\ufffe\uffff]")
_XLSX_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape_formula(text: str) -> str:
    """A CSV cell's text that no spreadsheet runs as a formula (undone by `unescape_formula`)."""
    return "'" + text if _FORMULA_START.match(text) else text


def unescape_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text, 1) else text


def xlsx_text(text: str) -> str:
    return _XLSX_UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def xlsx_untext(text: str) -> str:
    return _XLSX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def read_rows(data: bytes, filename: str, *, max_rows: int = MAX_ROWS,
              max_cells: int = MAX_CELLS) -> tuple[list[Any], Iterator[list[Any]]]:
    """The header row (trailing blank cells removed) and the other rows of an uploaded .csv or
    .xlsx file, each cut to the header's width. Blank rows are passed on (so row numbers stay
    those of the sheet) but do not count; more than `max_rows` rows with content or more than
    `max_cells` cells raise BadRequest naming the row, while reading."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        head, rows = _xlsx_rows(data, filename)
    elif name.endswith(".csv"):
        head, rows = _csv_rows(data)
    else:
        raise BadRequest(_("import a .csv or .xlsx file"))
    head = _trim(head)
    if not head:
        raise BadRequest(_("%(name)s is empty", name=filename))
    if len(head) > MAX_COLUMNS:
        raise BadRequest(_("the first row has %(n)s columns; at most %(max)s are read", n=len(head), max=MAX_COLUMNS))
    return head, _bounded(rows, len(head), max_rows, max_cells)


def _trim(row: Iterable[Any]) -> list[Any]:
    cells = list(row)
    while cells and cells[-1] in (None, ""):
        cells.pop()
    return cells


def _bounded(rows: Iterator[list[Any]], width: int, max_rows: int, max_cells: int) -> Iterator[list[Any]]:
    counted = 0
    for number, row in enumerate(rows, start=2):
        if number > MAX_SHEET_ROWS:
            raise BadRequest(_("more than %(n)s lines, blank or not; split the file", n=MAX_SHEET_ROWS))
        cells = list(row[:width])
        if any(c not in (None, "") for c in cells):
            counted += 1
            if counted > max_rows:
                raise BadRequest(_("more than %(n)s rows with content (row %(row)s); split the file",
                                   n=max_rows, row=number))
            if counted * width > max_cells:
                raise BadRequest(_("more than %(n)s cells (row %(row)s); split the file", n=max_cells, row=number))
        yield cells


def _xlsx_rows(data: bytes, filename: str) -> tuple[list[Any], Iterator[list[Any]]]:
    unreadable = BadRequest(_("%(name)s is not a readable .xlsx file", name=filename))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise unreadable from exc
    if unpacked > MAX_UNPACKED:
        raise BadRequest(_("%(name)s holds more than %(mb)s MB once unpacked; split the file",
                           name=filename, mb=MAX_UNPACKED // 2**20))
    sheet.reset_dimensions()  # claimed dimensions would pad every row and add empty ones
    try:
        head = next(sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS + 1, values_only=True), ())
    except Exception as exc:  # noqa: BLE001
        raise unreadable from exc
    width = max(len(_trim(head)), 1)

    def rows() -> Iterator[list[Any]]:
        try:
            for row in sheet.iter_rows(min_row=2, max_row=MAX_SHEET_ROWS + 1, max_col=width, values_only=True):
                yield [xlsx_untext(c) if isinstance(c, str) else c for c in row]
        except BadRequest:
            raise
        except Exception as exc:  # noqa: BLE001
            raise unreadable from exc
    return [xlsx_untext(c) if isinstance(c, str) else c for c in head], rows()


#: Longest CSV cell read (the csv module's default, 128 KB, is less than a large table field's JSON).
MAX_CSV_CELL = 16 * 1024 * 1024


def _csv_rows(data: bytes) -> tuple[list[Any], Iterator[list[Any]]]:
    if csv.field_size_limit() < MAX_CSV_CELL:
        csv.field_size_limit(MAX_CSV_CELL)
    reader = csv.reader(io.StringIO(_decode(data)))

    def rows() -> Iterator[list[Any]]:
        try:
            for row in reader:
                yield [unescape_formula(cell) for cell in row]
        except csv.Error as exc:
            raise BadRequest(_("the CSV file cannot be read at line %(line)s: %(error)s",
                               line=reader.line_num, error=str(exc))) from None
    body = rows()
    return next(body, []), body


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
    """A CSV cell: datetimes to the second (and microsecond when there is one), so that an
    import gives back the same moment; texts escaped against formulas."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return escape_formula(value)
    return str(value)


def write_csv(head: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV text in chunks, with a BOM so that Excel opens the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([_text(v) for v in head])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_text(v) for v in row])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_cells(sheet: Any, row: Iterable[Any]) -> list[Any]:
    """Cells for a write-only sheet: texts as text cells (a text that starts with `=` would
    otherwise be written as a formula), decimals as numbers."""
    cells: list[Any] = []
    for value in row:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, xlsx_text(value))
            cell.data_type = "s"
            cells.append(cell)
        elif isinstance(value, Decimal | int) and not isinstance(value, bool) and _digits(value) > 15:
            cells.append(str(value))  # a spreadsheet number keeps 15 digits
        elif isinstance(value, Decimal):
            cells.append(float(value))
        elif isinstance(value, datetime) and (value.microsecond or value.year < 1900):
            cells.append(value.isoformat(sep=" "))  # an Excel date keeps milliseconds at best, from 1900
        elif isinstance(value, date) and not isinstance(value, datetime) and value.year < 1900:
            cells.append(value.isoformat())
        else:
            cells.append(value)
    return cells


def _digits(number: Decimal | int) -> int:
    return len(Decimal(number).as_tuple().digits)


def write_xlsx(head: list[str], rows: Iterable[list[Any]], title: str, notes: list[list[str]] | None = None) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(re.sub(r"[\\/?*\[\]:]", "_", title).strip("'")[:31] or "Sheet1")  # Excel's rules
    sheet.append(_xlsx_cells(sheet, head))
    for row in rows:
        sheet.append(_xlsx_cells(sheet, row))
    if notes:
        guide = book.create_sheet(_("Guide")[:31])
        for line in notes:
            guide.append(_xlsx_cells(guide, line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
