"""The English portal (issue 11 item 9): the catalogue covers every public template, pages in
English keep only database content in Japanese (marked lang="ja"), the language switch keeps
the page, and no cache ever serves one language's page to a reader of the other."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hoshin.evaluations.models import Stage
from hoshin.evaluations.tests.factories import make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill
from hoshin.lib.fiscal import display_date, display_fiscal_year, format_fiscal_year
from hoshin.tests import english_catalogue
from hoshin.tests.english_text import japanese_outside_lang_ja

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


# ---- the catalogue ---------------------------------------------------------------------------


def test_the_compiled_catalogue_is_current():
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run: manage.py compilemessages"
    assert mo.stat().st_mtime >= PO.stat().st_mtime, "django.po is newer: run compilemessages"


def test_every_msgid_of_the_public_templates_has_an_english_translation():
    messages = [m for path in english_catalogue.public_templates() for m in english_catalogue.msgids(path)]  # fmt: skip
    assert len(messages) > 400  # the extraction works (it reads templates the makemessages way)
    missing = english_catalogue.untranslated("en")
    assert not missing, "untranslated (scripts/missing_translations.py lists them):\n" + "\n".join(
        f"{m.template}: {m.msgid}" for m in missing
    )


def test_the_untranslated_check_sees_a_new_template_string(tmp_path, settings):
    (tmp_path / "templates" / "portal").mkdir(parents=True)
    page = tmp_path / "templates" / "portal" / "new.html"
    page.write_text(
        '{% load i18n %}<p>{% translate "計画一覧" %}</p><p>{% translate "まだ訳のない文" %}</p>'
        "{% blocktranslate count counter=n %}{{ counter }}件の新しい文{% plural %}{{ counter }}件の新しい文{% endblocktranslate %}",
        encoding="utf-8",
    )
    settings.BASE_DIR = tmp_path
    assert [m.msgid for m in english_catalogue.untranslated("en")] == [
        "まだ訳のない文",
        "%(counter)s件の新しい文",
    ]


def test_no_public_template_has_japanese_outside_a_translate_tag():
    found = [line for path in english_catalogue.public_templates() for line in english_catalogue.bare_japanese(path)]  # fmt: skip
    assert not found, "Japanese text no catalogue can reach:\n" + "\n".join(found)


def test_the_bare_text_check_finds_text_literals_and_skips_tags_and_comments(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}{# 説明 #}{% comment %}注意{% endcomment %}<h1>{% translate "計画" %}</h1>'
        '{% blocktranslate %}{{ n }}件{% endblocktranslate %}<p>取組</p>{{ x|default:"なし" }}',
        encoding="utf-8",
    )
    found = english_catalogue.bare_japanese(page)
    assert [line.rsplit(": ", 1)[1] for line in found] == ["取組", "なし"]


# ---- pages in English ------------------------------------------------------------------------


@pytest.fixture
def published_result(db):
    world = make_world()
    cycle = open_year(world)
    sheet = sheet_of(cycle, world.bousai_action)
    fill(world, sheet, {"activities": "ハザードマップを全戸に配布した。"})
    advance(world, sheet, Stage.PUBLISHED)
    return world


def english() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def main_pages(world) -> dict[str, str]:
    return {
        "home": reverse("portal:home"),
        "plan": world.plan.get_absolute_url(),
        "action": world.bousai_action.get_absolute_url(),
        "departments": reverse("portal:departments"),
        "department": world.bousai.get_absolute_url(),
        "voices": reverse("voices:published_list"),
        "voice form": reverse("voices:new"),
        "voice status": reverse("voices:status"),
        "surveys": reverse("surveys:list"),
        "search": reverse("search:public") + "?q=防災",
        "open data": reverse("opendata:catalogue"),
        "not found": "/no-such-page/",
    }


def test_main_public_pages_in_english_have_no_japanese_ui_text(published_result):
    client, failures = english(), []
    for name, path in main_pages(published_result).items():
        response = client.get(path)
        assert response.status_code in (200, 404), name
        html = response.content.decode()
        assert '<html lang="en">' in html, name
        left = japanese_outside_lang_ja(html)
        if left:
            failures.append(f"{name} {path}: " + " | ".join(left[:15]))
    assert not failures, "Japanese UI text in English pages:\n" + "\n".join(failures)


def test_the_check_finds_japanese_outside_lang_ja():
    html = '<html lang="en"><p>OK <span lang="ja">計画</span></p><p title="説明">取組</p></html>'
    assert japanese_outside_lang_ja(html) == ["p@title: 説明", "text: 取組"]


def test_japanese_stays_the_default_and_says_so(published_result):
    response = Client().get(reverse("portal:home"))
    html = response.content.decode()
    assert '<html lang="ja">' in html and "公開している計画" in html
    assert response["Content-Language"] == "ja"


def test_accept_language_english_gives_english_with_the_year_in_english(published_result):
    response = english().get(published_result.bousai_action.get_absolute_url())
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Evaluation results for FY2025 (Reiwa 7)" in html
    assert "令和7年度" not in html


def test_language_code_setting_decides_without_accept_language(published_result, settings):
    settings.LANGUAGE_CODE = "en"
    html = Client().get(reverse("portal:home")).content.decode()
    assert '<html lang="en">' in html and "Published plans" in html


# ---- the switch --------------------------------------------------------------------------------


def test_switch_keeps_the_page_and_its_query_and_sets_the_cookie(published_result):
    client = Client()
    page = reverse("search:public") + "?q=%E9%98%B2%E7%81%BD&page=1"  # ?q=防災, as browsers send it
    html = client.get(page).content.decode()
    # A form without JavaScript, posting the current address back as `next`.
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="next" value="/search/?q=%E9%98%B2%E7%81%BD&amp;page=1"' in html
    response = client.post(reverse("set_language"), {"language": "en", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(page).content.decode()
    assert '<html lang="en">' in html and 'lang="ja">日本語</button>' in html
    # And back, from the staff side too (the switch sits in both headers).
    client.post(reverse("set_language"), {"language": "ja", "next": page})
    assert '<html lang="ja">' in client.get(page).content.decode()


def test_switch_refuses_a_next_address_on_another_site():
    response = Client().post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_staff_header_has_the_switch(client, published_result):
    client.force_login(published_result.editor)
    html = client.get(reverse("backoffice:home")).content.decode()
    assert f'action="{reverse("set_language")}"' in html


# ---- caches ----------------------------------------------------------------------------------


def test_the_page_cache_never_serves_one_language_to_the_other(published_result):
    path = reverse("portal:home")
    japanese = Client().get(path)
    assert "公開している計画" in japanese.content.decode()
    by_header = english().get(path)
    assert "Published plans" in by_header.content.decode()
    by_cookie = Client()
    by_cookie.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Published plans" in by_cookie.get(path).content.decode()
    assert "公開している計画" in Client().get(path).content.decode()  # still cached per language
    # HTTP caches: one copy per language header and cookie, and different validators.
    for response in (japanese, by_header):
        vary = {part.strip().lower() for part in response["Vary"].split(",")}
        assert {"accept-language", "cookie"} <= vary
    assert japanese["ETag"] != by_header["ETag"]
    # A Japanese ETag sent by an English reader is not "not modified".
    again = english().get(path, HTTP_IF_NONE_MATCH=japanese["ETag"])
    assert again.status_code == 200 and "Published plans" in again.content.decode()


def test_a_language_switch_does_not_make_public_pages_personal(published_result):
    """The switch posts without a CSRF token, so rendering it sets no cookie and the page
    stays cacheable for everyone."""
    response = english().get(reverse("portal:home"))
    assert not response.cookies
    assert "public" in response["Cache-Control"]


# ---- years and dates ---------------------------------------------------------------------------


def test_years_and_dates_follow_the_language_while_data_formats_stay_japanese():
    import datetime

    with translation.override("ja"):
        assert display_fiscal_year(2019) == "令和元年度（2019年度）"
        assert display_date(datetime.date(2019, 4, 30)) == "平成31年4月30日（2019年4月30日）"
    with translation.override("en"):
        assert display_fiscal_year(2019) == "FY2019 (Reiwa 1)"
        assert display_date(datetime.date(2019, 4, 30)) == "30 April 2019"
        assert format_fiscal_year(2026) == "令和8年度（2026年度）"  # CSV, PDF, XLSX


def test_staff_pages_work_in_english(client, published_result):
    """The staff UI is translated too: its main pages render in English without a missing
    placeholder (a translation that breaks a format string fails here, not in front of staff)."""
    world = published_result
    client.force_login(world.planner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sheet = world.bousai_action.sheets.first()
    pages = {
        "staff home": reverse("backoffice:home"),
        "tasks": reverse("backoffice:tasks"),
        "sheets": reverse("evaluations:sheets"),
        "sheet": reverse("evaluations:sheet", args=[sheet.pk]),
        "voices": reverse("voices_staff:list"),
        "cycles": reverse("evaluations:cycles"),
    }
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<html lang="en">' in html and "Staff menu" in html, name
        assert "%(" not in html, name
