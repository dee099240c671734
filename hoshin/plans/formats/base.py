"""What every plan file format produces: a ParsedPlan tree, independent of the database.

A format is one module in this package that defines a ``PlanFormat`` subclass decorated with
``@register``. ``detect_format`` asks each registered format, in order, whether it recognises
the file; ``parse`` turns the bytes into a ParsedPlan or raises PlanFormatError with the place
(line, or sheet/row/column) of the first problem. See CONTRIBUTING.md, "Adding an import format".
"""

import datetime
from dataclasses import dataclass, field

from hoshin.plans.models import DepartmentMarker, PlanKind

# Labels that stand for "every department" / "the departments concerned" instead of a 課.
MARKER_LABELS = {marker.label: marker.value for marker in DepartmentMarker}


class PlanFormatError(Exception):
    """A plan file that cannot be read; ``where`` says the place, e.g. "3行目" or "Sheet1!C5"."""

    def __init__(self, message: str, *, where: str = "", filename: str = ""):
        self.message = message
        self.where = where
        self.filename = filename
        super().__init__(str(self))

    def __str__(self) -> str:
        place = ":".join(part for part in (self.filename, self.where) if part)
        return f"{place}: {self.message}" if place else self.message


@dataclass
class ParsedKeyProject:
    title: str
    is_new: bool  # ★ new, otherwise ○ continuing


@dataclass
class ParsedNote:
    term: str
    body: str


@dataclass
class ParsedAction:
    text: str
    title: str = ""
    number: str = ""
    # Department labels in document order, 全庁 / 関係各課など included as written.
    departments: list[str] = field(default_factory=list)
    key_projects: list[ParsedKeyProject] = field(default_factory=list)
    notes: list[ParsedNote] = field(default_factory=list)
    line: int = 0  # where it starts in the source, for messages


@dataclass
class ParsedNode:
    title: str
    depth: int
    number: str = ""
    vision: str = ""
    challenges: list[str] = field(default_factory=list)
    purpose: str = ""
    notes: list[ParsedNote] = field(default_factory=list)
    children: list["ParsedNode"] = field(default_factory=list)
    actions: list[ParsedAction] = field(default_factory=list)
    line: int = 0


@dataclass
class Skipped:
    """A source line deliberately not turned into content (photo caption, summary table …)."""

    line: int
    text: str
    reason: str


@dataclass
class ParsedPlan:
    format_name: str
    kind: str = PlanKind.OTHER
    level_names: list[str] = field(default_factory=list)
    action_level_name: str = "実施内容"
    roots: list[ParsedNode] = field(default_factory=list)
    source_title: str = ""
    owner_office: str = ""
    contact: str = ""
    source_updated_on: datetime.date | None = None
    start_fy: int | None = None
    end_fy: int | None = None
    warnings: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def walk(self):
        """Yield every node, depth first, in document order."""
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def all_actions(self) -> list[ParsedAction]:
        return [action for node in self.walk() for action in node.actions]

    def department_labels(self) -> list[str]:
        """Every distinct department label (markers excluded), in order of first appearance."""
        seen: dict[str, None] = {}
        for action in self.all_actions():
            for label in action.departments:
                if label not in MARKER_LABELS:
                    seen.setdefault(label, None)
        return list(seen)


class PlanFormat:
    """Base class of an import format. Subclasses set ``name``/``label`` and implement both methods."""

    name: str = ""
    label: str = ""

    def sniff(self, data: bytes, filename: str) -> bool:
        """True if this format recognises the file (cheap: look at the name and the first bytes)."""
        raise NotImplementedError

    def parse(self, data: bytes, filename: str) -> ParsedPlan:
        """Parse the whole file or raise PlanFormatError naming the place of the problem."""
        raise NotImplementedError


_REGISTRY: list[PlanFormat] = []


def register(cls: type[PlanFormat]) -> type[PlanFormat]:
    _REGISTRY.append(cls())
    return cls


def registered_formats() -> list[PlanFormat]:
    # Importing the package registers the built-in formats in their detection order.
    import hoshin.plans.formats  # noqa: F401

    return list(_REGISTRY)
