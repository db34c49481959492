"""GET /api/openapi.json: the OpenAPI 3.0 description of the API for the caller, built by
engine/services/openapi.py (which the docs page /api/docs renders too)."""
from __future__ import annotations

from flask import jsonify

from engine.services.openapi import build
from engine.web import use_case

from . import bp


@bp.get("/openapi.json")
def openapi():
    """An OpenAPI 3 description of the API for the caller: every endpoint, with each readable form's fields
    as schemas."""
    with use_case() as ctx:
        return jsonify(build(ctx))
