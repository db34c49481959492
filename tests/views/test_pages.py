"""The list page's views menu, columns chooser, quick chips and the bulk edit page (server side)."""
from __future__ import annotations

import json
import re

import pytest


@pytest.fixture
def ann_page(app, make_user, login):
    ann = make_user("ann", "staff")
    bob = make_user("bob", "staff")
    ids = [ann.create("job", title=f"A{i}", amount=i, level="low")["id"] for i in range(3)]
    theirs = bob.create("job", title="B-high", level="high")["id"]
    client = app.test_client()
    assert login(client, "ann", "ann-password").status_code == 302
    return client, ann, ids, theirs


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_save_current_view_rename_and_delete(ann_page):
    client, ann, _ids, _theirs = ann_page
    html = client.get("/f/job?amount__gte=1&order_by=-amount&columns=title&columns=amount").get_data(as_text=True)
    assert 'data-testid="quick-mine"' in html and 'data-testid="views-menu"' in html
    filters = re.search(r'name="filters" value="([^"]*)"', html).group(1).replace("&#34;", '"')
    assert json.loads(filters) == {"amount__gte": "1"}
    saved = client.post("/f/job/views", data={"csrf_token": csrf(html), "name": "Mine ≥ 1", "filters": filters,
                                              "columns": "title,amount", "order_by": "-amount"})
    assert saved.status_code == 302
    view = [v for v in ann.get("/api/forms/job/views").get_json()["items"] if not v["shared"]][0]
    assert view["filters"] == {"amount__gte": "1"} and view["columns"] == ["title", "amount"]
    assert view["order_by"] == "-amount" and saved.location.endswith(f"saved={view['id']}")
    page = client.get(f"/f/job?saved={view['id']}").get_data(as_text=True)
    rows = re.findall(r'data-record-id="(\d+)"', page)
    assert len(rows) == 2 and "A2" in page and ">A0<" not in page
    assert client.post(f"/f/job/views/{view['id']}/rename",
                       data={"csrf_token": csrf(page), "name": "Renamed"}).status_code == 302
    assert [v["name"] for v in ann.get("/api/forms/job/views").get_json()["items"] if not v["shared"]] == ["Renamed"]
    assert client.post(f"/f/job/views/{view['id']}/delete", data={"csrf_token": csrf(page)}).status_code == 302
    assert [v for v in ann.get("/api/forms/job/views").get_json()["items"] if not v["shared"]] == []


def test_quick_chip_toggles_the_filter(ann_page):
    client, _ann, _ids, _theirs = ann_page
    html = client.get("/f/job").get_data(as_text=True)
    href = re.search(r'href="([^"]*)"[^>]*data-testid="quick-mine"', html).group(1).replace("&amp;", "&")
    assert "quick=mine" in href
    mine = client.get(f"/f/job{href}").get_data(as_text=True)
    assert "B-high" not in mine and "A1" in mine
    assert 'aria-pressed="true" data-testid="quick-mine"' in mine


def test_bulk_page_changes_all_or_none(ann_page):
    client, ann, ids, theirs = ann_page
    form = client.get(f"/f/job/bulk?ids={','.join(map(str, ids))}").get_data(as_text=True)
    assert 'data-testid="bulk-use-amount"' in form and 'data-testid="bulk-use-secret"' not in form  # hidden
    assert 'data-testid="bulk-use-locked"' not in form  # read-only for staff
    done = client.post("/f/job/bulk", data={"csrf_token": csrf(form), "ids": ",".join(map(str, ids)),
                                            "use": ["amount"], "amount": "77", "level": "high"})
    assert done.status_code == 302
    values = [ann.get(f"/api/forms/job/records/{i}").get_json()["fields"] for i in ids]
    assert [v["amount"] for v in values] == [77, 77, 77] and {v["level"] for v in values} == {"low"}  # unticked
    refused = client.post("/f/job/bulk", data={"csrf_token": csrf(form), "ids": f"{ids[0]},{theirs}",
                                               "use": ["amount"], "amount": "5"})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'data-testid="bulk-refused"' in text and "B-high" in text
    assert ann.get(f"/api/forms/job/records/{ids[0]}").get_json()["fields"]["amount"] == 77
    assert 'data-testid="bulk-use-lines"' not in form and 'data-testid="bulk-use-doc"' not in form


@pytest.mark.parametrize(("ids", "says"), [
    ("abc", "must be record ids separated by commas"),
    ("1,2,-3", "must be record ids separated by commas"),
    (",".join(str(i) for i in range(1, 502)), "At most 500 records can be changed at once; 501 were chosen"),
])
def test_bulk_page_says_what_is_wrong_with_the_ids(ann_page, ids, says):
    client, ann, mine, _theirs = ann_page
    page = client.get(f"/f/job/bulk?ids={ids}&lang=en")
    assert page.status_code == 422 and says in page.get_data(as_text=True)
    form = client.get(f"/f/job/bulk?ids={mine[0]}").get_data(as_text=True)
    posted = client.post("/f/job/bulk?lang=en", data={"csrf_token": csrf(form), "ids": ids, "use": ["amount"],
                                                      "amount": "9"})
    assert posted.status_code == 422 and says in posted.get_data(as_text=True)
    assert [ann.get(f"/api/forms/job/records/{i}").get_json()["fields"]["amount"] for i in mine] == [0, 1, 2]


def test_bulk_page_names_a_missing_record_in_chinese(ann_page):
    client, _ann, mine, _theirs = ann_page
    form = client.get(f"/f/job/bulk?ids={mine[0]}").get_data(as_text=True)
    text = client.post("/f/job/bulk", data={"csrf_token": csrf(form), "ids": f"{mine[0]},999999",
                                            "use": ["amount"], "amount": "9"}).get_data(as_text=True)
    assert "999999" in text and "no record" not in text


def test_saving_from_a_shared_view_keeps_its_placeholders(ann_page):
    client, _ann, _ids, _theirs = ann_page
    html = client.get("/f/job?saved=big_this_month&level=low").get_data(as_text=True)
    filters = json.loads(re.search(r'name="filters" value="([^"]*)"', html).group(1).replace("&#34;", '"'))
    assert filters == {"amount__gte": "100", "close_day__gte": "$month_start", "close_day__lte": "$month_end",
                       "level": "low"}
