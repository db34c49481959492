"""GET /api/openapi.json: valid OpenAPI 3 from the definitions, as the caller sees them; a
schemathesis run against the app finds no server error."""
from __future__ import annotations

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

pytestmark = pytest.mark.kitchen


def test_the_document_describes_each_readable_form(make_user):
    sales = make_user("alice", "sales")
    spec = sales.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    schemas = spec["components"]["schemas"]
    assert "customer.input" in schemas and "sales_order.record" in schemas
    assert schemas["sales_order.input"]["properties"]["delivery_date"]["format"] == "date"
    assert schemas["sales_order.fields"]["properties"]["total"]["readOnly"] is True
    assert "/api/forms/sales_order/records/{id}/transitions/{name}" in spec["paths"]
    keeper = make_user("keeper", "warehouse")
    hidden = keeper.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert "total" not in hidden["sales_order.fields"]["properties"]  # hidden fields stay hidden
    assert "opportunity.record" not in hidden  # and forms they may not read are absent


def test_schemathesis_finds_no_server_error(app, make_user, db_url):
    if not db_url.startswith("sqlite") and not __import__("os").environ.get("FUZZ_EXAMPLES"):
        pytest.skip("the fuzzing run is the same on both databases; once is enough")
    admin = make_user("root", "admin")
    spec = admin.get("/api/openapi.json").get_json()
    config = SchemathesisConfig.from_dict({"generation": {"max-examples": 8}})
    schema = schemathesis.openapi.from_dict(spec, config=config)
    schema.config.update(headers={"Authorization": f"Bearer {admin.token}"})
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        strategy = operation.as_strategy()
        from hypothesis import HealthCheck, given, settings

        @settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "15")), deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def run(case):
            response = case.call(app=app, headers={"Authorization": f"Bearer {admin.token}"})
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} → {response.status_code}: "
                                f"{response.text[:300]}")
        run()
    assert failures == [], "\n".join(failures[:10])


def test_the_docs_page_lists_endpoints_and_form_schemas(login, app, make_user):

    make_user("alice", "sales")
    browser = app.test_client()
    login(browser, "alice", "alice-password")
    page = browser.get("/api/docs").get_data(as_text=True)
    assert "/api/forms/customer/records/{id}" in page and 'data-schema="customer.fields"' in page
    assert browser.get("/api/openapi.json").get_json()["openapi"].startswith("3.")  # the session works too
    make_user("keeper", "warehouse")
    store = app.test_client()
    login(store, "keeper", "keeper-password")
    assert 'data-schema="opportunity.fields"' not in store.get("/api/docs").get_data(as_text=True)
