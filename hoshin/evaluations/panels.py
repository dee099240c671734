"""Panels other apps add to the staff sheet page, registered from their ``AppConfig.ready()``.

The sheet page belongs to evaluations, but some of what staff want beside a sheet belongs to
apps above it (citizens' ratings of a published result, in voices). Evaluations must not import
them, so each registers a panel: a function ``(request, sheet) -> HTML or ""`` that does its
own reading (in its selectors) and rendering. The page shows the panels in registration order.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from hoshin.evaluations.models import EvaluationSheet

SheetPanel = Callable[[HttpRequest, EvaluationSheet], str]
_SHEET_PANELS: dict[str, SheetPanel] = {}


def register_sheet_panel(name: str, panel: SheetPanel) -> None:
    """Show ``panel``'s HTML on every staff sheet page (registering a name again replaces it)."""
    _SHEET_PANELS[name] = panel


def sheet_panels(*, request: HttpRequest, sheet: EvaluationSheet) -> list[SafeString]:
    """The registered panels' HTML for this sheet; panels with nothing to say are left out."""
    found = []
    for panel in _SHEET_PANELS.values():
        html = panel(request, sheet)
        if html:
            found.append(SafeString(html))
    return found
