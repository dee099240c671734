"""Issue 10, finding "no Content-Security-Policy": the pages with behaviour work under the
policy and the browser reports no violation on them. (Every browser test fails on a violation —
conftest's ``new_page`` — this module checks the pages whose scripts do something, and that the
check itself notices a planted violation. The staff sheet's autosave script, sheet.js, runs
under the policy in hoshin/evaluations/tests/test_workspace_browser.py.)"""

import pytest

from hoshin.portal.tests import factories as f

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_public_pages_raise_no_violation(new_page, live_server):
    page = new_page()
    sample = f.reform_sample()
    response = page.goto(live_server.url + sample.plan.get_absolute_url())
    assert "default-src 'self'" in response.headers["content-security-policy"]
    # The plan page has no script since issue 11 (an outline, nothing to expand); its charts'
    # patterns are SVG attributes, not styles.
    node = sample.hazard_map.node
    paths = ["/", f"/plans/{node.plan_id}/nodes/{node.pk}/", "/departments/", "/voices/new/"]
    for path in (*paths, "/search/?q=防災", "/opendata/"):
        page.goto(live_server.url + path)
    assert new_page.csp_violations == []


def test_a_planted_inline_script_is_reported(new_page, live_server):
    """The violation check is real: an inline script under the site's policy is caught."""
    page = new_page()
    probe = live_server.url + "/csp-probe"
    page.route(
        probe,
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": "default-src 'self'"},
            body="<p style='color:red'>x</p><script>document.title = 'ran'</script>",
        ),
    )
    page.goto(probe)
    assert page.title() != "ran"
    found = list(new_page.csp_violations)
    new_page.csp_violations.clear()  # planted: not a failure of this test
    assert any("script-src-elem" in v for v in found), found
    assert any("style-src-attr" in v for v in found), found
