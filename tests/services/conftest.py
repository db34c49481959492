"""Service functions called directly, without HTTP: a Context for a user in a transaction,
on a small module of its own (`desk`: tickets with a workflow, a chart and a child table)
and on the purchase-request flow of tests/configs/flow."""
from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest

from engine.auth.users import get_user
from engine.records.context import Context, open_context
from tests.conftest import TEST_CONFIGS

DESK = {
    "module": "desk", "title": "Desk",
    "roles": [{"name": "agent", "title": "Agent"}, {"name": "lead", "title": "Lead"}],
    "forms": [{
        "name": "ticket", "title": "Ticket", "title_field": "subject",
        "fields": [
            {"name": "subject", "type": "text", "label": "Subject", "required": True},
            {"name": "points", "type": "integer", "label": "Points", "min": 0},
            {"name": "area", "type": "select", "label": "Area", "options": ["web", "mail"]},
            {"name": "double", "type": "formula", "label": "Double", "formula": "points * 2"},
        ],
        "permissions": {"agent": {"create": True, "read": "own", "update": "own", "delete": "own"},
                        "lead": {"read": "all", "update": "all"}},
        "workflow": {
            "initial": "open",
            "stages": [{"name": "open", "title": "Open", "editable": ["*"]},
                       {"name": "closed", "title": "Closed"}],
            "transitions": [{"name": "close", "title": "Close", "from": "open", "to": "closed",
                             "roles": ["lead"], "condition": "points != null"}],
        },
        "charts": [{"title": "By area", "type": "bar", "group_by": "area"}],
    }],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "desk"
    write_module(folder, DESK)
    return make_app(folder)


@pytest.fixture
def flow_app(make_app, tmp_path):
    """The purchase-request flow (tests/configs/flow): approval steps, cc, a transition that creates."""
    folder = tmp_path / "flow"
    shutil.copytree(TEST_CONFIGS / "flow", folder)
    return make_app(folder)


@pytest.fixture
def act_as(app) -> Callable[..., AbstractContextManager[Context]]:
    """act_as("ann") → a Context for ann in one transaction (a writing one unless write=False),
    committed at the end of the block: how a request or a CLI command runs a service."""
    return context_opener(app)


@pytest.fixture
def flow_act_as(flow_app) -> Callable[..., AbstractContextManager[Context]]:
    return context_opener(flow_app)


def context_opener(app) -> Callable[..., AbstractContextManager[Context]]:
    state = app.extensions["engine"]

    @contextmanager
    def acting(name: str, write: bool = True) -> Iterator[Context]:
        with state.db.session() as session:
            user = get_user(session, name)
        assert user is not None, f"no user {name}"
        with open_context(state.db, state.runtime(), user, tzinfo=state.tzinfo, write=write) as ctx:
            yield ctx

    return acting


@pytest.fixture
def desk(make_user) -> dict[str, Any]:
    return {"ann": make_user("ann", "agent"), "bob": make_user("bob", "agent"), "lea": make_user("lea", "lead")}


@pytest.fixture
def cast(flow_app) -> None:
    """The flow's people: rita (requester, managed by boss), fin1 (finance), gm, buyer."""
    from engine.auth.users import create_user

    with flow_app.extensions["engine"].db.transaction() as session:
        create_user(session, "boss", "boss-password", {"manager"})
        create_user(session, "rita", "rita-password", {"requester"}, manager="boss")
        create_user(session, "fin1", "fin1-password", {"finance"})
        create_user(session, "gm", "gm-password", {"gm"})
        create_user(session, "buyer", "buyer-password", {"buyer"})
