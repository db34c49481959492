"""A small claims module built per test with the approval steps it needs: ann and bob
check (role `checker`); cat (whose manager is ann) and clerk are clerks; dan and eve are
helpers, who may read claims only by taking part in their approval. `waiting` is
left by the scheduler after 1h through `auto_submit` into the approval stage."""
from __future__ import annotations

from engine.auth.users import create_user, issue_token
from tests.conftest import ApiClient

URL = "/api/forms/claim/records"


def module(steps: list[dict], review: dict | None = None) -> dict:
    """`review`: more keys for the approval stage (e.g. an SLA with an escalation)."""
    return {
        "module": "claims", "title": "Claims",
        "roles": [{"name": "clerk", "title": "Clerk"}, {"name": "checker", "title": "Checker"},
                  {"name": "helper", "title": "Helper"}],
        "forms": [{
            "name": "claim", "title": "Claim", "title_field": "subject", "owner_field": "owner",
            "fields": [
                {"name": "subject", "type": "text", "label": "Subject", "required": True},
                {"name": "owner", "type": "user", "label": "Owner", "default": "$user"},
                {"name": "reviewer", "type": "user", "label": "Reviewer"},
            ],
            "permissions": {"clerk": {"create": True, "read": "all", "update": "all"},
                            "checker": {"create": True, "read": "own", "update": "own"}},
            "list": {"columns": ["subject", "owner"], "search": ["subject"]},
            "workflow": {
                "initial": "draft",
                "stages": [
                    {"name": "draft", "title": "Draft", "editable": ["*"]},
                    {"name": "waiting", "title": "Waiting", "due": "1h",
                     "escalate": {"transition": "auto_submit"}},
                    {"name": "review", "title": "Review", **(review or {}), "approval": {
                        "steps": steps, "approved": "approved", "rejected": "draft"}},
                    {"name": "approved", "title": "Approved", "final": True},
                ],
                "transitions": [
                    {"name": "submit", "title": "Submit", "from": "draft", "to": "review",
                     "roles": ["$owner", "clerk"]},
                    {"name": "park", "title": "Park", "from": "draft", "to": "waiting", "roles": ["$owner"]},
                    {"name": "auto_submit", "title": "Submit by itself", "from": "waiting", "to": "review",
                     "roles": ["clerk"]},
                ],
            },
        }],
    }


CHECKERS = [{"role": "checker"}]


def cast_of(app) -> dict[str, ApiClient]:
    """ann and bob check; cat (whose manager is ann) and clerk are clerks."""
    people = {"ann": ("checker", None), "bob": ("checker", None), "cat": ("clerk", "ann"), "clerk": ("clerk", None),
              "dan": ("helper", None), "eve": ("helper", None)}
    out = {}
    with app.extensions["engine"].db.transaction() as session:
        for name, (role, manager) in people.items():
            user = create_user(session, name, f"{name}-password", {role}, manager=manager)
            out[name] = ApiClient(app, issue_token(session, user), name)
    return out


def step(approvers: list[dict], **extra) -> dict:
    return {"name": "check", "title": "Check", "approvers": approvers, **extra}
