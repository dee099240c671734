"""Plan import formats. Importing this package registers them, in detection order."""

from hoshin.plans.formats import (  # noqa: F401  (imported to register)
    comprehensive_text,
    json_tree,
    reform_text,
    tabular,
)
