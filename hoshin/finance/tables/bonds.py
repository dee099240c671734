"""The bond-register template (地方債台帳): one row per borrowing; the schedule is regenerated.

| 起債年度 | 目的 | 事業名 | 借入先 | 借入先の名称 | 借入額（円） | 年利率（%） | 借入日 |
| 償還年限（年） | 据置期間（年） | 償還期限 | 償還方法 | 償還回数 |

目的, 借入先, 償還方法 and 償還回数 are typed as their Japanese labels (総務債, 財政融資資金,
元利均等, 年2回（半年賦）); amounts in yen.
"""

from dataclasses import dataclass

from hoshin.finance.models import Bond, BondLender, BondPurpose, PaymentFrequency, RepaymentMethod
from hoshin.finance.services.debt import BondTerms
from hoshin.finance.tables.reading import read_rows
from hoshin.finance.tables.writing import table_csv, table_xlsx

# A file format, not UI text (see soundness.py).
SHEET = "地方債台帳"
TITLES = (
    "起債年度",
    "目的",
    "事業名",
    "借入先",
    "借入先の名称",
    "借入額（円）",
    "年利率（%）",
    "借入日",
    "償還年限（年）",
    "据置期間（年）",
    "償還期限",
    "償還方法",
    "償還回数",
)


def _cells(bond: Bond) -> list:
    return [
        bond.fy,
        str(bond.get_purpose_display()),
        bond.project,
        str(bond.get_lender_display()),
        bond.lender_name,
        bond.amount,
        bond.annual_rate,
        bond.borrowed_on,
        bond.term_years,
        bond.grace_years,
        bond.matures_on,
        str(bond.get_method_display()),
        str(bond.get_frequency_display()),
    ]


def _rows():
    return ((_cells(bond), str(bond)) for bond in Bond.objects.order_by("fy", "borrowed_on", "id"))


def bonds_export(*, encoding: str | None = None) -> bytes:
    """The whole bond register in the template: CSV in ``encoding``, or XLSX when ``encoding`` is None."""
    if encoding is None:
        return table_xlsx(sheet=SHEET, titles=TITLES, rows=_rows())
    return table_csv(titles=TITLES, rows=_rows(), encoding=encoding)


@dataclass(frozen=True)
class ParsedBond:
    terms: BondTerms
    where: str  # the row, for messages about the terms as a whole (a schedule refused)


def bonds_parse(data: bytes, filename: str) -> list[ParsedBond]:
    """The bonds of an upload, each cell read and checked; ``TableError`` naming the first bad
    cell. Whether the terms give a schedule is checked when they are stored."""
    parsed = []
    for row in read_rows(data, filename, titles=TITLES, sheet=SHEET):
        terms = BondTerms(
            fy=row.fiscal_year(0, TITLES[0]),
            purpose=row.choice(1, TITLES[1], BondPurpose.choices),
            project=row.text(2),
            lender=row.choice(3, TITLES[3], BondLender.choices),
            lender_name=row.text(4),
            amount=row.required(5, TITLES[5], units=("円",)).value,
            annual_rate=row.required(6, TITLES[6], units=("%", "％")).value,
            borrowed_on=row.date(7, TITLES[7]),
            term_years=row.whole(8, TITLES[8], units=("年",)),
            grace_years=row.whole(9, TITLES[9], units=("年",)) if row.text(9) else 0,
            matures_on=row.date(10, TITLES[10]),
            method=row.choice(11, TITLES[11], RepaymentMethod.choices),
            frequency=int(row.choice(12, TITLES[12], PaymentFrequency.choices)),
        )
        parsed.append(ParsedBond(terms=terms, where=row.label))
    return parsed
