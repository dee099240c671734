"""The open datasets: one registry that the downloads, the catalogue and the public API share.

Contract (also used by hoshin.api): each Dataset has ``name``, ``title``, ``description``,
``columns`` (Column: name, label, type, description), ``filters``, and

* ``parse_filters(params)`` → typed values, or FilterError (``.param``, Japanese message);
* ``queryset(filters)`` → published rows only, ordered by primary key (slice it to paginate);
* ``rows(queryset)`` → dicts keyed by column name in column order, streamed in chunks;
* ``last_modified()`` → when the dataset last changed, or None.

Column names are documented in docs/open-data.md and never renamed: add a column rather than
change one.
"""

from hoshin.opendata.base import Column, Dataset, FilterError
from hoshin.opendata.plan_datasets import ACTIONS, DEPARTMENTS, NODES, PLANS
from hoshin.opendata.result_datasets import COSTS, EFFECTS, INDICATORS, SHEETS

__all__ = ["DATASETS", "Column", "Dataset", "FilterError", "dataset_get"]

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (PLANS, NODES, ACTIONS, DEPARTMENTS, SHEETS, INDICATORS, COSTS, EFFECTS)
}


def dataset_get(name: str) -> Dataset:
    """The dataset called ``name``; KeyError when there is none."""
    return DATASETS[name]
