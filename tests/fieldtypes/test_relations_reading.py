"""Reading hooks of user and link (engine/fieldtypes/relations.py): what `Refs` gives them."""
from __future__ import annotations

import pytest

from engine.fieldtypes import FieldError, Refs, type_of
from engine.i18n import speaking


def test_a_user_reads_as_their_label_else_their_name(thing):
    keeper = thing("keeper")
    kind = type_of(keeper)
    refs = Refs(users={"zhangwei": "张伟"})
    assert kind.text(keeper, "zhangwei", refs) == "张伟"
    assert kind.text(keeper, "ghost", refs) == "ghost"
    assert kind.text(keeper, None, refs) == ""
    assert str(kind.html(keeper, "<x>", refs)) == "&lt;x&gt;"


def test_a_user_cell_gives_the_user_back(thing, refs, world):
    keeper = thing("keeper")
    kind = type_of(keeper)
    cell = kind.to_cell(keeper, "lina", refs)
    assert cell == "李娜"
    assert kind.decode(keeper, kind.from_cell(keeper, cell, world), world) == "lina"
    assert kind.from_cell(keeper, " zhangwei ", world) == "zhangwei"


def test_a_link_reads_as_the_title_or_no_access(thing):
    party = thing("party")
    kind = type_of(party)
    assert kind.text(party, 7, Refs(title="Acme")) == "Acme"
    assert kind.text(party, 7, Refs(title=None)) == "(no access)"
    with speaking("zh_CN"):
        assert kind.text(party, 7) != "(no access)"  # translated
    assert kind.text(party, None) == ""
    assert "data-no-access" in str(kind.html(party, 7))
    assert str(kind.html(party, 7, Refs(title="<A>"))) == "&lt;A&gt;"
    linked = Refs(title="Acme", record_url=lambda form, record_id: f"/f/{form}/{record_id}")
    assert str(kind.html(party, 7, linked)) == '<a href="/f/party/7">Acme</a>'
    assert "data-no-access" in str(kind.html(party, 7, Refs(record_url=linked.record_url)))  # no link either


@pytest.mark.parametrize("title, cell", [("Acme", "Acme"), (None, 7)])
def test_a_link_cell_gives_the_id_back(thing, refs, world, title, cell):
    party = thing("party")
    kind = type_of(party)
    assert kind.to_cell(party, 7, refs.with_title(title)) == cell  # no title: the id, which import reads
    assert kind.decode(party, kind.from_cell(party, cell, world), world) == 7


def test_a_link_cell_reads_spreadsheet_numbers_as_ids(thing, world):
    party = thing("party")
    assert type_of(party).from_cell(party, 8.0, world) == 8
    with pytest.raises(FieldError):
        type_of(party).from_cell(party, "Nobody", world)


def test_hints_name_the_target(thing, refs):
    party, keeper = thing("party"), thing("keeper")
    assert type_of(party).cell_hint(party, refs) == "the Party's title or ID"
    assert type_of(keeper).cell_hint(keeper, refs) == "user name or display name"


def test_what_they_refer_to(thing):
    assert type_of(thing("party")).links and not type_of(thing("party")).holds_user
    assert type_of(thing("keeper")).holds_user and not type_of(thing("keeper")).links
    assert not type_of(thing("code")).links and not type_of(thing("code")).holds_user


def test_value_schemas(thing):
    assert type_of(thing("party")).value_schema(thing("party"))["type"] == "integer"
    assert type_of(thing("keeper")).value_schema(thing("keeper")) == {"type": "string"}
