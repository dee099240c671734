"""Plan import formats. Importing this package registers them; import order is detection order.

Formats recognised by file name (JSON, CSV, XLSX) come first; the text formats, which read the
content, come after them so a CSV export is never mistaken for a text document.
"""

# isort: off
from hoshin.plans.formats import json_tree  # noqa: F401
from hoshin.plans.formats import tabular  # noqa: F401
from hoshin.plans.formats import reform_text  # noqa: F401
from hoshin.plans.formats import comprehensive_text  # noqa: F401

# isort: on
