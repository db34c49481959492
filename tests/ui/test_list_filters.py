"""The list page's filters come from each field's type (filter_kind, filter_choices,
filter_attrs): a link filter is a select that searches the linked form, keeps the chosen
record, and filters by its id; yes/no, options and users are selects; dates and numbers
"at least"."""
from __future__ import annotations

import re


def test_a_link_filter_searches_its_form_and_filters_by_id(app, make_user, browser):
    sales = make_user("zhangwei", "sales")
    mine = sales.create("customer", name="甲公司", owner="zhangwei")["id"]
    other = sales.create("customer", name="乙公司", owner="zhangwei")["id"]
    sales.create("contact", customer=mine, name="王一", owner="zhangwei")
    sales.create("contact", customer=other, name="李二", owner="zhangwei")
    page = browser("lisa", "sales_manager").get(f"/f/contact?customer={mine}&lang=en").get_data(as_text=True)
    select = re.search(r'<select[^>]*id="f-customer"[^>]*>.*?</select>', page, re.S).group(0)
    assert 'name="customer"' in select and 'data-link-form="customer"' in select
    assert 'data-link-title="name"' in select
    assert f'<option value="{mine}" selected>甲公司</option>' in select  # the chosen record stays chosen, by title
    listed = re.search(r'data-testid="record-list".*?</table>', page, re.S).group(0)
    assert "王一" in listed and "李二" not in listed


def test_a_chosen_link_the_reader_may_not_read_shows_no_title(app, make_user, browser):
    zhangwei = make_user("zhangwei", "sales")
    hidden = zhangwei.create("customer", name="甲公司", owner="zhangwei")["id"]
    other = browser("wangfang", "sales")  # reads their own customers and the pool only
    for lang, shown in (("en", "(no access)"), ("zh_CN", "无权查看")):
        page = other.get(f"/f/contact?customer={hidden}&lang={lang}").get_data(as_text=True)
        select = re.search(r'<select[^>]*id="f-customer"[^>]*>.*?</select>', page, re.S).group(0)
        assert f'<option value="{hidden}" selected>{shown}</option>' in select
        assert "甲公司" not in page


def test_other_filters_by_their_type(app, browser):
    page = browser("lisa2", "sales_manager").get("/f/customer?in_pool=true&lang=en").get_data(as_text=True)
    in_pool = re.search(r'<select[^>]*id="f-in_pool"[^>]*>.*?</select>', page, re.S).group(0)
    assert '<option value="true" selected>Yes</option>' in in_pool and 'name="in_pool"' in in_pool
    assert re.search(r'<select[^>]*id="f-grade"[^>]*name="grade"', page)
    assert re.search(r'<select[^>]*id="f-owner"[^>]*name="owner"', page)
    assert "data-link-form" not in in_pool
