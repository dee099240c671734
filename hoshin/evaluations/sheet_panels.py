"""Panels other apps add to the staff sheet page, registered from their ``AppConfig.ready()``.

evaluations sits below voices in the layer order, so the sheet page cannot ask voices for the
citizens' ratings of a published result; voices registers a function here instead. A function
takes the sheet and the user and returns the panel's HTML, or "" when it has nothing to show.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString

SheetPanel = Callable[..., SafeString | str]

_panels: list[SheetPanel] = []


def sheet_panel_register(panel: SheetPanel) -> SheetPanel:
    """Add ``panel`` to the sheet page, once however often the app registry is set up."""
    if panel not in _panels:
        _panels.append(panel)
    return panel


def sheet_panels(*, sheet, user) -> list[SafeString | str]:
    """The HTML of every registered panel for ``sheet`` as ``user`` sees it; empty ones dropped."""
    return [html for panel in _panels if (html := panel(sheet=sheet, user=user))]
