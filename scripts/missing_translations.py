#!/usr/bin/env python
"""List the UI strings that still lack an English translation.

After a merge (or after adding UI strings), run:

    .venv/bin/python manage.py makemessages -l en --ignore='.venv/*' --ignore='node_modules/*' \
        --ignore='var/*' --ignore='bench/*'
    .venv/bin/python scripts/missing_translations.py            # public strings first, then staff
    .venv/bin/python scripts/missing_translations.py --public   # only what citizens see (exit 1 if any)

It prints each untranslated msgid of locale/en/LC_MESSAGES/django.po with the files that use
it, public templates' strings first (those must be translated: hoshin/tests/test_english.py
fails without them), and also the public templates' msgids that makemessages has not yet
collected into the catalogue. Fill in the msgstr lines, run `manage.py compilemessages`, and
run hoshin/tests/test_english.py. Uses gettext's msgattrib (installed by scripts/setup.sh).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def untranslated_entries() -> list[tuple[str, list[str]]]:
    """(msgid block, referenced files) of every entry without a translation, via msgattrib."""
    output = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", "--no-wrap", str(PO)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    entries = []
    for block in output.split("\n\n"):
        msgid = "\n".join(
            line for line in block.splitlines() if line.startswith(("msgctxt", "msgid"))
        )
        if msgid in ("", 'msgid ""'):
            continue  # the header
        refs = " ".join(re.findall(r"^#: (.*)$", block, re.M)).split()
        entries.append((msgid, sorted({ref.rsplit(":", 1)[0] for ref in refs})))
    return entries


def main() -> int:
    public_only = "--public" in sys.argv
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoshin.settings")
    import django

    django.setup()
    from hoshin.tests.english_catalogue import PUBLIC_TEMPLATES, untranslated

    def is_public(files: list[str]) -> bool:
        return any(f.removeprefix("templates/").startswith(PUBLIC_TEMPLATES) for f in files)

    entries = untranslated_entries()
    public = [(m, f) for m, f in entries if is_public(f)]
    staff = [(m, f) for m, f in entries if not is_public(f)]
    # Strings in public templates that the catalogue does not even hold yet (no makemessages).
    uncollected = untranslated("en")
    print(
        f"# {len(public)} public and {len(staff)} other untranslated msgids in {PO.relative_to(ROOT)}"
    )
    print(f"# {len(uncollected)} public template strings without a compiled translation\n")
    for message in uncollected:
        print(f"templates/{message.template}: {message.msgid!r}")
    for title, group in (("public", public), ("staff and other", [] if public_only else staff)):
        if group:
            print(f"\n## {title}\n")
        for msgid, files in group:
            print(f"{msgid}\n    # {' '.join(files)}")
    return 1 if public or uncollected else 0


if __name__ == "__main__":
    sys.exit(main())
