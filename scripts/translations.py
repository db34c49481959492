"""Keep the message catalogues in step: extract → update → fill Chinese → compile.

    python scripts/translations.py          # after changing UI text

Messages are written in English in the code; engine/translations/zh holds the Chinese
(Babel resolves zh_CN to zh_Hans_CN, whose fallback is the plain `zh` catalogue).
New Chinese text goes into a `ZH = {msgid: msgstr}` dict in scripts/zh/*.py; this script
fills every untranslated zh entry from those files and lists what is still missing.
The compiled .mo files are committed so installations need no build step.
"""
import fcntl
import runpy
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
BABEL = str(Path(sys.executable).with_name("pybabel"))
POT = "engine/translations/messages.pot"
ZH_PO = ROOT / "engine/translations/zh/LC_MESSAGES/messages.po"


def run(*args: str) -> None:
    subprocess.run([BABEL, "-q", *args], cwd=ROOT, check=True)


def fill_chinese() -> list[str]:
    table: dict[str, str] = {}
    for path in sorted((ROOT / "scripts/zh").glob("*.py")):
        table.update(runpy.run_path(str(path))["ZH"])
    with ZH_PO.open("rb") as f:
        catalog = read_po(f, locale="zh")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if not message.string or message.string == ("", ""):
            if key in table:
                message.string = table[key] if isinstance(message.id, str) else (table[key], table[key])
            else:
                missing.append(key)
    with ZH_PO.open("wb") as f:
        write_po(f, catalog, width=120)
    return missing


def main() -> None:
    with open("/tmp/engine-translations.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # several people (or agents) may run this at once
        run("extract", "-F", "babel.cfg", "-k", "lazy", "-k", "_", "-k", "N_", "--no-location", "--sort-output",
            "-o", POT, ".")
        for locale in ("zh", "en"):
            po = ROOT / "engine/translations" / locale / "LC_MESSAGES/messages.po"
            if po.exists():
                run("update", "-i", POT, "-d", "engine/translations", "-l", locale, "--no-fuzzy-matching")
            else:
                run("init", "-i", POT, "-d", "engine/translations", "-l", locale)
        missing = fill_chinese()
        run("compile", "-d", "engine/translations")
    if missing:
        print("untranslated (add them to a ZH dict in scripts/zh/):", *missing, sep="\n  ")


if __name__ == "__main__":
    main()
