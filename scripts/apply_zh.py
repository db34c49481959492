"""Fill zh_CN translations from a Python dict file (msgid → msgstr); used when adding text."""
import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

po_path = Path("engine/translations/zh/LC_MESSAGES/messages.po")
table = runpy.run_path(sys.argv[1])["ZH"]
with po_path.open("rb") as f:
    catalog = read_po(f, locale="zh")
missing = []
for message in catalog:
    if message.id and not message.string:
        if message.id in table:
            message.string = table[message.id]
        else:
            missing.append(message.id)
with po_path.open("wb") as f:
    write_po(f, catalog, width=120)
print("untranslated:", missing)
