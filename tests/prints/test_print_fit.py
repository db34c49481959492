"""Labels and values stay inside their cells in the PDF, in both languages: the shipped 销售订单,
送货单 and 对账单 with long English labels ("Receiver's phone", "Default payment terms") and a long
value without spaces, laid out by WeasyPrint and every line of text checked against its cell."""
from __future__ import annotations

import pytest

from engine.web import pdf as pdf_module

LONG_TRACKING = "SF" + "1234567890" * 4 + "12345678"  # 50 characters, the most the field takes


@pytest.fixture
def app(make_app, config_dir):  # the shipped modules, not the ledger of this folder's conftest
    return make_app(config_dir)


@pytest.fixture
def seller(make_user):
    return make_user("zhang", "sales")


@pytest.fixture
def customer(seller):
    return seller.create("customer", name="上海星辰精密机械有限公司", owner="zhang", payment_terms="款到发货")["id"]


@pytest.fixture
def order(seller, customer, catalogue):
    return seller.create(
        "sales_order", customer=customer, delivery_date="2026-11-15", receiver="王建国",
        receiver_phone="13800138000", shipping_address="上海市闵行区金桥路164号 3号楼 Building 3, Jinqiao Road",
        carrier="顺丰速运", tracking_no=LONG_TRACKING,
        items=[{"product": catalogue("传感器模组 SN-8"), "qty": 5, "price": "980.00"}])["id"]


def printed_html(client, url, monkeypatch) -> str:
    """The HTML that the PDF route hands to WeasyPrint."""
    pages: list[str] = []
    real = pdf_module.html_to_pdf

    def keep(html: str) -> bytes:
        pages.append(html)
        return real(html)
    monkeypatch.setattr(pdf_module, "html_to_pdf", keep)
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert len(pages) == 1
    return pages[0]


def cells(box, table_classes=()):
    """(class of the table, cell box) of every cell of the label grids and the amount line."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TableBox):
        table_classes = tuple((box.element.get("class") or "").split())
    if isinstance(box, boxes.TableCellBox) and {"info-grid", "amount"} & set(table_classes):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from cells(child, table_classes)


def overflowing(html: str) -> list[str]:
    """The texts that reach past the content box of their cell (half a pixel of rounding allowed)."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    out = []
    for page in weasyprint.HTML(string=html).render().pages:
        for cell in cells(page._page_box):
            left, right = cell.content_box_x(), cell.content_box_x() + cell.width
            for text in cell.descendants():
                if isinstance(text, boxes.TextBox) and (
                        text.position_x < left - 0.5 or text.position_x + text.width > right + 0.5):
                    out.append(f"{cell.element_tag} {text.text!r}: {text.position_x:.1f}..."
                               f"{text.position_x + text.width:.1f} outside {left:.1f}...{right:.1f}")
    return out


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize(("form", "layout", "label"), [
    ("sales_order", "order", ("Receiver's phone", "收货电话")),
    ("sales_order", "delivery_note", ("Receiver's phone", "收货电话")),
    ("customer", "statement", ("Default payment terms", "默认付款方式")),
])
def test_labels_and_values_stay_in_their_cells(seller, customer, order, form, layout, label, lang, monkeypatch):
    record = order if form == "sales_order" else customer
    html = printed_html(seller, f"/api/forms/{form}/records/{record}/print/{layout}.pdf?lang={lang}", monkeypatch)
    assert f"<th>{label[lang != 'en'].replace(chr(39), '&#39;')}</th>" in html
    assert overflowing(html) == []


def test_a_long_label_wraps_between_its_words(seller, customer, order, monkeypatch):
    """A label too long for its cell takes two lines, broken at a space, not inside a word; one
    that fits keeps one line."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    lines = {}
    for url in (f"/api/forms/customer/records/{customer}/print/statement.pdf?lang=en",
                f"/api/forms/sales_order/records/{order}/print/delivery_note.pdf?lang=en"):
        page = weasyprint.HTML(string=printed_html(seller, url, monkeypatch)).render().pages[0]
        for cell in cells(page._page_box):
            texts = [t.text.strip() for t in cell.descendants() if isinstance(t, boxes.TextBox)]
            if cell.element_tag == "th" and texts:
                lines[" ".join(texts)] = texts
    assert lines["Default payment terms"] == ["Default payment", "terms"]
    assert lines["Receiver's phone"] == ["Receiver's phone"]
    assert lines["Shipping address"] == ["Shipping address"]
