#!/usr/bin/env python3
"""The peer yardstick's seed.py for this product: the same rows as every target, through seed.py itself.

seed.py (in the yardstick, found through $BENCH, which its run_all.sh sets) makes the rows and
inserts them into the tables it reflects; this file only maps them onto the product's tables
(product.map.json) with one addition: an `extra` value "$column" copies that row's (renamed)
column, e.g. {"updated_at": "$created_at"}. seed.py inserts through reflected column types, and
SQLite's DATETIME accepts only datetime objects, so a constant date string cannot fill updated_at.

    BENCH=../shared/peer-bench .venv/bin/python bench/peer/product_seed.py \\
        --url sqlite:////abs/product.db --map bench/peer/product.map.json

PEER_COLUMNS is what seed.py yields per row; the seed refuses to run if the yardstick's rows
change shape, and tests/bench/test_peer_target.py checks that the map puts every one of these
columns into a column of the product's tables, so the copy keeps working as the product changes.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

# The columns of one row of seed.customers() / seed.orders(), and the values of the coded ones.
PEER_COLUMNS = {
    "customer": ("name", "grade", "industry", "phone", "owner", "created_at"),
    "sales_order": ("order_no", "customer_id", "amount", "status", "delivery_date", "created_at"),
}
PEER_VALUES = {
    "customer": {"grade": ("A", "B", "C")},
    "sales_order": {"status": ("draft", "submitted", "approved", "in_production", "shipped",
                               "delivered", "invoiced", "paid", "cancelled")},
}


def remap(rows: Iterable[dict[str, Any]], spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """seed.remap (rename columns, map values, add `extra`) plus the "$column" copies."""
    columns, values = spec.get("columns", {}), spec.get("values", {})
    extra = spec.get("extra", {})
    copies = {k: v[1:] for k, v in extra.items() if isinstance(v, str) and v.startswith("$")}
    constants = {k: v for k, v in extra.items() if k not in copies}
    for row in rows:
        out = {columns.get(key, key): values.get(key, {}).get(value, value) for key, value in row.items()}
        out.update(constants)
        for column, source in copies.items():
            out[column] = out[source]
        yield out


def _yardstick_seed():
    bench = os.environ.get("BENCH")
    if not bench or not os.path.isfile(os.path.join(bench, "seed.py")):
        sys.exit("product_seed.py: set BENCH to the peer yardstick's folder (the one with seed.py); "
                 "its run_all.sh does")
    sys.path.insert(0, bench)
    import seed  # type: ignore[import-not-found]

    for form, make in (("customer", lambda: seed.customers(1)), ("sales_order", lambda: seed.orders(1, 1))):
        got = tuple(next(iter(make())))
        if got != PEER_COLUMNS[form]:
            sys.exit(f"product_seed.py: the yardstick's {form} rows now have {got}, not {PEER_COLUMNS[form]}: "
                     "update PEER_COLUMNS and product.map.json")
    return seed


def main() -> None:
    seed = _yardstick_seed()
    seed.remap = remap  # seed_db() and write_csv() look the name up at call time
    seed.main()


if __name__ == "__main__":
    main()
