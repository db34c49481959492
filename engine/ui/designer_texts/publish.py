"""The designer's words for the JSON tab and the Publish & versions tab (owner: the publish helper):
`TEXTS = {key: lazy("English")}`; `{name}` marks a value put in by JS. `json.cm_*` translate the words of
the CodeMirror editor itself (search panel, lint panel, folding)."""
from __future__ import annotations

from typing import Any

from engine.i18n import lazy

TEXTS: dict[str, Any] = {
    "json.file": lazy("File"),
    "json.format": lazy("Format"),
    "json.search": lazy("Search"),
    "json.help": lazy(
        "The module files as JSON, for those who know the format. Ctrl+Space offers the keys and values "
        "allowed where the cursor is; Ctrl+F searches. A text that reads as JSON goes into the same "
        "draft as the other tabs; while it does not, the draft keeps the last correct version."
    ),
    "json.editor_label": lazy("JSON text of the module file"),
    "json.change": lazy("JSON edit of {file}"),
    "json.ok": lazy("The JSON is correct."),
    "json.problems": lazy("JSON is correct; the draft has {count} problem(s) in this file."),
    "json.parse_error": lazy("JSON syntax error on line {line}: {message}. The draft keeps the last correct version."),
    "json.syntax_error": lazy("JSON syntax error: {message}"),
    "json.required": lazy("required"),
    "json.err_comma_object": lazy("a comma or } is missing after a value"),
    "json.err_comma_array": lazy("a comma or ] is missing after a list item"),
    "json.err_colon": lazy("a colon is missing after a key"),
    "json.err_key": lazy("a key in double quotes is expected here (one comma too many?)"),
    "json.err_string_end": lazy("a text has no closing quote"),
    "json.err_control": lazy("a text contains a line break or a tab: write \\n or \\t"),
    "json.err_escape": lazy("a text has an invalid escape after \\"),
    "json.err_after": lazy("there is more text after the end of the document"),
    "json.err_end": lazy("the text ends too early: a } or ] is missing"),
    "json.err_number": lazy("a number is not written correctly"),
    "json.err_token": lazy("unexpected characters (texts go in double quotes; true, false and null in lower case)"),
    "json.changed_elsewhere": lazy(
        "This file was changed in another tab while your text here has a syntax error. Your text is "
        "kept."
    ),
    "json.take_draft": lazy("Replace my text with the draft"),
    "json.cm_find": lazy("Find"),
    "json.cm_replace": lazy("Replace"),
    "json.cm_next": lazy("next"),
    "json.cm_previous": lazy("previous"),
    "json.cm_all": lazy("all"),
    "json.cm_match_case": lazy("match case"),
    "json.cm_regexp": lazy("regexp"),
    "json.cm_by_word": lazy("by word"),
    "json.cm_replace_all": lazy("replace all"),
    "json.cm_close": lazy("close"),
    "json.cm_current_match": lazy("current match"),
    "json.cm_on_line": lazy("on line"),
    "json.cm_go_to_line": lazy("Go to line"),
    "json.cm_go": lazy("go"),
    "json.cm_diagnostics": lazy("Diagnostics"),
    "json.cm_no_diagnostics": lazy("No diagnostics"),
    "json.cm_completions": lazy("Completions"),
    "json.cm_folded_lines": lazy("Folded lines"),
    "json.cm_unfolded_lines": lazy("Unfolded lines"),
    "json.cm_fold_line": lazy("Fold line"),
    "json.cm_unfold_line": lazy("Unfold line"),
    "json.cm_folded_code": lazy("folded code"),
    "json.cm_unfold": lazy("unfold"),
    "publish.review_title": lazy("Review before publishing"),
    "publish.refresh": lazy("Review again"),
    "publish.loading": lazy("Loading…"),
    "publish.no_draft": lazy("You have no draft: change something in the designer first."),
    "publish.review_failed": lazy("The review could not be loaded: {message}"),
    "publish.review_outdated": lazy("The draft changed: the review is updated once it is saved."),
    "publish.summary": lazy("What changes"),
    "publish.summary_none": lazy("No readable changes."),
    "publish.nothing": lazy("The draft is the same as the definitions in use: nothing to publish."),
    "publish.plan": lazy("Effect on the data"),
    "publish.plan_none": lazy("No change to the database."),
    "publish.refusals": lazy("{count} change(s) refused: they would lose stored data. Publishing is blocked."),
    "publish.problems": lazy("{count} problem(s) in the draft. Publishing is blocked; click one to go to it."),
    "publish.diff": lazy("Changes in the files"),
    "publish.diff_none": lazy("No file changes."),
    "publish.diff_of": lazy("Changes in {file}"),
    "publish.note": lazy("Note (who will read it: the other admins, in the version list)"),
    "publish.note_placeholder": lazy("What and why, e.g. added the WeChat field for sales"),
    "publish.publish": lazy("Publish"),
    "publish.publishing": lazy("Publishing…"),
    "publish.published": lazy(
        "Published as version #{publication}. Everyone uses it within seconds; your draft is cleared."
    ),
    "publish.not_saved": lazy("The draft could not be saved; nothing was published."),
    "publish.discard": lazy("Discard draft"),
    "publish.discard_confirm": lazy("Discard your draft? All your changes not yet published are lost."),
    "publish.discarded": lazy("Your draft was discarded; the designer shows the definitions in use."),
    "publish.blocked_problems": lazy("{count} problem(s)"),
    "publish.blocked_refusals": lazy("{count} refused change(s)"),
    "publish.blocked_stale": lazy("someone else published since your draft was started"),
    "publish.stale_review": lazy(
        "Someone else published since your draft was started. Rebase your draft on the new version "
        "before publishing: your changes are kept."
    ),
    "publish.someone_published": lazy(
        "{who} published version #{publication} at {when}, after your draft was started."
    ),
    "publish.by_files": lazy("the configuration files"),
    "publish.their_note": lazy("Their note: {note}"),
    "publish.not_overwritten": lazy(
        "Nothing was published and their changes were not overwritten. Rebase your draft on their "
        "version, check the review, then publish."
    ),
    "publish.their_changes": lazy("Their changes"),
    "publish.rebase": lazy("Rebase my draft on it"),
    "publish.rebasing": lazy("Rebasing your draft…"),
    "publish.rebased": lazy("Your draft now builds on the version in use; your changes are kept."),
    "publish.rebased_conflicts": lazy(
        "Your draft now builds on the version in use. {count} place(s) were changed on both sides; your "
        "version was kept there. Check them:"
    ),
    "versions.title": lazy("Published versions"),
    "versions.help": lazy(
        "Every publish is kept. Pick two versions to compare them, or restore an earlier one: it is "
        "published again as a new version, with the same checks."
    ),
    "versions.compare": lazy("Compare"),
    "versions.from": lazy("From"),
    "versions.to": lazy("To"),
    "versions.pick_from": lazy("Compare from version #{publication}"),
    "versions.pick_to": lazy("Compare to version #{publication}"),
    "versions.number": lazy("Version"),
    "versions.when": lazy("When"),
    "versions.who": lazy("By"),
    "versions.origin": lazy("How"),
    "versions.note": lazy("Note"),
    "versions.actions": lazy("Actions"),
    "versions.live": lazy("in use"),
    "versions.by_files": lazy("(files)"),
    "versions.origin_init": lazy("first start"),
    "versions.origin_files": lazy("configuration files"),
    "versions.origin_designer": lazy("designer"),
    "versions.origin_editor": lazy("JSON editor page"),
    "versions.origin_restore": lazy("restore"),
    "versions.origin_import": lazy("import"),
    "versions.restored_from": lazy("(of #{publication})"),
    "versions.restore": lazy("Restore"),
    "versions.restore_note": lazy("Note for a restore"),
    "versions.restore_note_placeholder": lazy("Why, e.g. the new field confused the sales team"),
    "versions.restore_confirm": lazy(
        "Restore version #{publication} of {when}? It is published again as a new version (after the "
        "same checks); your draft is kept."
    ),
    "versions.restore_do": lazy("Restore version #{publication}"),
    "versions.restore_cancel": lazy("Cancel"),
    "versions.restore_problems": lazy("{count} problem(s) in this version with today's definitions: it cannot be "
                                      "restored as it is."),
    "versions.restored": lazy("Version #{publication} is in use again, as version #{new}."),
    "versions.not_overwritten": lazy(
        "Nothing was restored and their changes were not overwritten. The list now shows their version: "
        "restore again if you still want to."
    ),
    "versions.more": lazy("Older versions"),
    "versions.none": lazy("No versions yet."),
    "versions.failed": lazy("The versions could not be loaded: {message}"),
    "versions.diff_title": lazy("From version #{from} to #{to}"),
}


def editor_page(file: str) -> dict[str, Any]:
    """`#json-editor-data` of the definition editor page: the module schema (for completion), the editor's
    words in the reader's language and the file's name (problems of other files are not marked in it)."""
    from engine.definitions.schema import module_schema

    return {"file": file, "schema": module_schema(),
            "text": {key: str(value) for key, value in TEXTS.items() if key.startswith("json.")}}
