"""Ids out of the database's integer range behave like unknown ids, in every query.

A query-string value such as ``?department=99999999999999999999999`` becomes a Python int that
no column can hold: SQLite raises OverflowError while binding it (a 500), PostgreSQL compares it
as a numeric. Django already answers "no rows" for ``exact``/``lt``/``gt`` on integer columns
(``IntegerFieldOverflow``) but not for foreign keys (``department=…``, which every filter form,
the admin's list filters and the selectors use) nor for ``__in`` lists (``pk__in={…}``). The
lookups here close those gaps once, for every app, instead of a range check in each view:

- ``exact`` on a foreign key to an integer column: out of range → no rows;
- ``in`` on an integer column or such a foreign key: out-of-range values are dropped (an id
  nobody can have matches nothing), and a list left empty matches no rows.

``install()`` registers them; the lowest app with a ``ready()`` (hoshin.throttle) calls it.
"""

from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In

# Signed 64-bit: PostgreSQL's bigint (BigAutoField) and SQLite's INTEGER. Smaller columns
# (integer, smallint) compare safely with any 64-bit value on both.
MIN_ID, MAX_ID = -(2**63), 2**63 - 1


def id_in_range(value) -> bool:
    """True unless ``value`` is an int no 64-bit integer column can hold."""
    return not isinstance(value, int) or MIN_ID <= value <= MAX_ID


def _integer_target(lookup) -> bool:
    field = lookup.lhs.output_field
    target = getattr(field, "target_field", field)
    return isinstance(target, IntegerField)


class _InRangeIn:
    def get_prep_lookup(self):
        prepared = super().get_prep_lookup()
        if _integer_target(self) and isinstance(prepared, (list, tuple, set)):
            kept = [value for value in prepared if id_in_range(value)]
            self.rhs = kept
            return kept
        return prepared


class IdRangeIntegerIn(_InRangeIn, In):
    pass


class IdRangeRelatedIn(_InRangeIn, RelatedIn):
    pass


class IdRangeRelatedExact(RelatedExact):
    def process_rhs(self, compiler, connection):
        if _integer_target(self) and not id_in_range(self.rhs):
            from django.core.exceptions import EmptyResultSet

            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def install() -> None:
    """Register the lookups above (idempotent)."""
    IntegerField.register_lookup(IdRangeIntegerIn, lookup_name="in")
    ForeignObject.register_lookup(IdRangeRelatedIn, lookup_name="in")
    ForeignObject.register_lookup(IdRangeRelatedExact, lookup_name="exact")
