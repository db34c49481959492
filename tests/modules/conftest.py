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


# -- the sales order flow -------------------------------------------------------------------

@pytest.fixture
def staff(make_user):
    """A sales company: two salespeople (managed by boss), a manager, finance, gm, production, warehouse."""
    make_user("boss", "sales_manager")
    return {
        "zhang": make_user("zhang", "sales", manager="boss"),
        "li": make_user("li", "sales", manager="boss"),
        "manager": make_user("manager", "sales_manager"),
        "fin": make_user("fin", "finance"),
        "gm": make_user("gm", "general_manager"),
        "plant": make_user("plant", "production"),
        "store": make_user("store", "warehouse"),
    }


@pytest.fixture
def customer(staff):
    """The id of zhang's customer."""
    return staff["zhang"].create("customer", name="杭州恒达机械", owner="zhang")["id"]


@pytest.fixture
def order_of(catalogue):
    """order_of(client, customer, qty, price, **fields) → a new sales order with one line of a
    气动阀门 whose catalogue price is `price` (a salesperson may not type a line's price: the
    line takes the catalogue's)."""

    def create(client, customer, qty, price, **fields):
        product = catalogue("气动阀门" if price == "100.00" else f"气动阀门 {price}", price=price)
        return client.create("sales_order", customer=customer, delivery_date="2027-01-31",
                             items=[{"product": product, "qty": qty}], **fields)
    return create


@pytest.fixture
def fire():
    """fire(client, record_url, transition, **body) → the response to firing a transition."""
    return lambda client, url, name, **body: client.post(f"{url}/transitions/{name}", json=body)


@pytest.fixture
def tasks_of():
    """tasks_of(client) → the client's user's open tasks."""
    return lambda client: client.get("/api/tasks?status=open").get_json()


@pytest.fixture
def approve_all(tasks_of):
    """approve_all(client, record_id) → every open task of the client's user on that record approved."""

    def approve(client, record_id):
        for task in tasks_of(client):
            if task["record_id"] == record_id:
                assert client.post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    return approve
