"""Every message a person can see has its Chinese: the zh catalogue has no untranslated or
fuzzy entry, and every translation keeps its msgid's %(name)s placeholders."""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ZH_PO = Path(__file__).resolve().parents[2] / "engine" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]")


def catalogue():
    with ZH_PO.open("rb") as f:
        return read_po(f, locale="zh")


def test_the_chinese_catalogue_translates_every_message():
    missing = [m.id for m in catalogue() if m.id and (not m.string or m.string == ("", "") or m.fuzzy)]
    assert not missing, "untranslated in zh (add them to scripts/zh/*.py):\n" + "\n".join(map(str, missing))


def test_translations_keep_their_placeholders():
    wrong = []
    for message in catalogue():
        if not message.id or not isinstance(message.id, str) or not message.string:
            continue
        if set(PLACEHOLDER.findall(message.id)) != set(PLACEHOLDER.findall(message.string)):
            wrong.append(f"{message.id!r} → {message.string!r}")
    assert not wrong, "\n".join(wrong)
