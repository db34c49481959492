"""Record summaries for use cases (tasks, search, notifications): see engine/records/summaries.py.

`summarize(ctx, form, records)` → {record id: [{"field", "label", "text"}]}: batched (one query
per form), without the fields hidden from the reader in each row, in the language spoken now."""
from __future__ import annotations

from engine.records.summaries import stored_summary, summarize, summary_in

__all__ = ["summarize", "stored_summary", "summary_in"]
