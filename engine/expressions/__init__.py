"""One small, safe expression language (docs/reference.md, Expressions): one parser, two back ends.

    expr = parse("amount > 1000 and account.grade in ['A', 'B']")
    evaluate(expr, record_scope)        # Python, for forms, formulas and conditions
    to_sql(expr, table_scope)           # SQLAlchemy Core, for row rules, charts, reminders

Both back ends implement the same value semantics (see `values.py`), checked by the
parity tests on SQLite and PostgreSQL. `Expression.to_dict()` is the JSON IR for a
client-side evaluator (shape in `nodes.py`).
"""

from .errors import ExpressionError
from .evaluator import evaluate, evaluate_condition
from .nodes import FUNCTIONS, Expression, Node
from .parser import parse
from .scopes import EvalScope, SqlScope
from .sql import to_sql, to_sql_condition
from .values import truthy

__all__ = [
    "FUNCTIONS",
    "EvalScope",
    "Expression",
    "ExpressionError",
    "Node",
    "SqlScope",
    "evaluate",
    "evaluate_condition",
    "parse",
    "to_sql",
    "to_sql_condition",
    "truthy",
]
