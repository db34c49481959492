"""The designer's words for the page shell and the form tab (owner: the shell helper)."""
from __future__ import annotations

from typing import Any

from engine.i18n import lazy

TEXTS: dict[str, Any] = {
    # page shell
    "tab.form": lazy("Forms"),
    "tab.flow": lazy("Flow"),
    "tab.perms": lazy("Permissions"),
    "tab.reminders": lazy("Reminders"),
    "tab.json": lazy("JSON"),
    "tab.publish": lazy("Publish & versions"),
    "coming": lazy("This part of the designer is coming."),
    "loading": lazy("Loading the definitions…"),
    "undo": lazy("Undo"),
    "redo": lazy("Redo"),
    "undo_what": lazy("Undo: {what}"),
    "redo_what": lazy("Redo: {what}"),
    "saving": lazy("Saving the draft…"),
    "saved": lazy("Draft saved {time}"),
    "unsaved": lazy("Not saved yet"),
    "save_failed": lazy("The draft could not be saved: {message}"),
    "no_draft_api": lazy("Drafts cannot be saved on this server yet; changes stay in this page."),
    "draft_of_live": lazy("No changes yet: the designer shows the definitions in use."),
    "draft_based": lazy("Your draft (not in use until published)"),
    "problems": lazy("Problems"),
    "problems_none": lazy("No problems found."),
    "problems_count": lazy("{count} problems"),
    "problem_whole_file": lazy("whole file"),
    "load_failed": lazy("The definitions could not be loaded: {message}"),
    "stale": lazy("The definitions in use changed since this draft was started."),
}
