"""Fixtures shared by the shipped-module tests: people, their browser sessions, spreadsheets, uploads."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook


@pytest.fixture
def people(make_user):
    return {"zhang": make_user("zhang", "sales"), "li": make_user("li", "sales"),
            "boss": make_user("boss", "sales_manager")}


@pytest.fixture
def browse(login, app, people):
    """browse("zhang") → a test client logged in as one of `people`."""

    def open_as(name):
        client = app.test_client()
        assert login(client, name, f"{name}-password").status_code == 302
        return client
    return open_as


@pytest.fixture
def xlsx():
    """xlsx(rows) → the bytes of a workbook with these rows on its first sheet."""

    def build(rows):
        book = Workbook()
        for row in rows:
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    return build


@pytest.fixture
def upload(token_of):
    """upload(client, form, data, name, **fields) → the import page's answer to a file upload."""

    def send(client, form, data, name, **extra):
        token = token_of(client, f"/f/{form}/import")
        return client.post(f"/f/{form}/import", data={"csrf_token": token, "file": (io.BytesIO(data), name), **extra},
                           content_type="multipart/form-data")
    return send
