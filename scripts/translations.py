"""Keep the message catalogues in step: extract → update → compile.

    python scripts/translations.py          # after changing UI text
Messages are written in English in the code; engine/translations/zh holds the Chinese
(Babel resolves zh_CN to zh_Hans_CN, whose fallback is the plain `zh` catalogue).
The compiled .mo files are committed so installations need no build step.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BABEL = str(Path(sys.executable).with_name("pybabel"))
POT = "engine/translations/messages.pot"


def run(*args: str) -> None:
    subprocess.run([BABEL, *args], cwd=ROOT, check=True)


run("extract", "-F", "babel.cfg", "-k", "lazy", "-k", "_", "-k", "N_", "--no-location", "--sort-output", "-o", POT, ".")
for locale in ("zh", "en"):
    po = ROOT / "engine/translations" / locale / "LC_MESSAGES/messages.po"
    if po.exists():
        run("update", "-i", POT, "-d", "engine/translations", "-l", locale, "--no-fuzzy-matching")
    else:
        run("init", "-i", POT, "-d", "engine/translations", "-l", locale)
run("compile", "-d", "engine/translations", "--statistics")
