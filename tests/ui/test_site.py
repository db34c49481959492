"""Things every site is expected to have: an icon, and a reference the admin can reach."""
from __future__ import annotations


def test_favicon_is_served_to_anyone(app):
    client = app.test_client()
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
        assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO header
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="icon"' in page
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"


def test_admin_configuration_pages_link_the_reference(login, app):
    client = app.test_client()
    assert login(client, "admin", "admin-password").status_code == 302
    page = client.get("/admin/definitions").get_data(as_text=True)
    assert "/admin/reference" in page
    reference = client.get("/admin/reference")
    assert reference.status_code == 200
    assert "title_field" in reference.get_data(as_text=True)
