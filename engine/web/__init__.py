"""The web shell: what every page and API request goes through around its view.

- context.py: running a use case for the request's user (one session, one transaction)
- login.py: who is asking (a Bearer token or the browser session)
- locale.py: the language of the answer
- limits.py: bounds on the query string, the body and the text a request may carry
- security.py: headers, cookies, CSRF, HTTPS and reverse proxies
- errors.py: one table from exceptions to pages and JSON answers
- json_input.py: the request's JSON body, read at a bounded cost
- startup.py: answering 503 while the database cannot be reached

Views (engine.ui, engine.api) take `use_case` and `engine_state` from here; the shell
imports neither of them.
"""
from .context import EngineState, engine_state, use_case

__all__ = ["EngineState", "engine_state", "use_case"]
