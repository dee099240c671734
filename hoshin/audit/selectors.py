"""Reading the audit trail: verifying the hash chain and the administrators' filtered list."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from hoshin.audit.chain import GENESIS, HASHED_FIELDS, entry_hash, head_seal
from hoshin.audit.models import AuditChainHead, AuditEntry

CHUNK = 5000
# What verification reads of each entry: its id, the hashed fields and the stored hash.
FIELDS = ("id", *HASHED_FIELDS, "entry_hash")


@dataclass(frozen=True)
class ChainBreak:
    """The first entry at which the chain stops verifying."""

    sequence: int  # the entry's number (for a removed entry: the missing number)
    entry_id: int | None  # the row's primary key, None when the row is missing
    reason: str

    def message(self) -> str:
        where = _("通番 %(sequence)s") % {"sequence": self.sequence}
        if self.entry_id is not None:
            where += _("（ID %(id)s）") % {"id": self.entry_id}
        return f"{where}: {self.reason}"


@dataclass
class ChainReport:
    """What ``chain_verify`` found: entries checked, the last one, and the first break."""

    checked: int = 0
    first_sequence: int | None = None
    last_sequence: int = 0
    last_hash: str = GENESIS
    broken: ChainBreak | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken is None


def chain_verify(*, since: int | None = None) -> ChainReport:
    """Check every entry (or those from sequence ``since`` on) against the chain and the head.

    Finds, at the first affected entry: a changed field (the hash no longer matches), a removed
    row (a gap in the sequence), rows swapped or inserted (the predecessor's hash or the
    sequence does not match), and rows removed at the end (the last entry is not the one the
    head row records). ``since`` starts from the stored hash of the entry before it, trusting
    the part of the chain before (a full run checks it).
    """
    report = ChainReport()
    expected, previous = 1, GENESIS
    entries = AuditEntry.objects.order_by("sequence")
    if since is not None and since > 1:
        before = AuditEntry.objects.filter(sequence=since - 1).values_list("entry_hash").first()
        if before is None:
            report.broken = ChainBreak(since - 1, None, _("この通番の記録がありません（削除）。"))
            return report
        expected, previous = since, before[0]
        entries = entries.filter(sequence__gte=since)
    for row in entries.values_list(*FIELDS).iterator(chunk_size=CHUNK):
        entry = dict(zip(FIELDS, row, strict=True))
        broken = _check(entry, expected=expected, previous=previous)
        if broken is not None:
            report.broken = broken
            return report
        if report.first_sequence is None:
            report.first_sequence = entry["sequence"]
        report.checked += 1
        if entry["verb"] == "audit.head_restored":
            report.warnings.append(
                _("通番 %(sequence)s: 操作記録の末尾情報が失われ、再作成されました。")
                % {"sequence": entry["sequence"]}
            )
        expected, previous = entry["sequence"] + 1, entry["entry_hash"]
    report.last_sequence, report.last_hash = expected - 1, previous
    report.broken = _check_head(last_sequence=expected - 1, last_hash=previous, report=report)
    return report


def _check(entry: dict, *, expected: int, previous: str) -> ChainBreak | None:
    sequence, pk = entry["sequence"], entry["id"]
    if sequence > expected:
        return ChainBreak(
            expected,
            None,
            _("この通番の記録がありません（削除）。次にある記録は通番 %(next)s（ID %(id)s）です。")
            % {"next": sequence, "id": pk},
        )
    if entry["prev_hash"] != previous:
        return ChainBreak(
            sequence,
            pk,
            _(
                "直前の記録のハッシュが一致しません（記録の挿入・並べ替え、"
                "または直前の記録の書き換え）。"
            ),
        )
    recomputed = entry_hash(**{name: entry[name] for name in HASHED_FIELDS})
    if recomputed != entry["entry_hash"]:
        return ChainBreak(
            sequence, pk, _("内容がハッシュと一致しません（記録の項目が書き換えられています）。")
        )
    return None


def _check_head(*, last_sequence: int, last_hash: str, report: ChainReport) -> ChainBreak | None:
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if last_sequence == 0:
            return None  # nothing recorded yet
        return ChainBreak(
            last_sequence, None, _("操作記録の末尾情報がありません（削除されています）。")
        )
    if head.seal != head_seal(sequence=head.sequence, last_hash=head.entry_hash):
        return ChainBreak(
            head.sequence, None, _("操作記録の末尾情報が書き換えられています（検証値の不一致）。")
        )
    if head.sequence > last_sequence:
        return ChainBreak(
            last_sequence + 1,
            None,
            _("通番 %(first)s〜%(last)s の記録がありません（最新の記録が削除されています）。")
            % {"first": last_sequence + 1, "last": head.sequence},
        )
    if head.sequence < last_sequence:
        # A long transaction moves the head once, after its commit (services._HeadCatchUp):
        # the entries after it verified in the chain above, so this is worth a look, no more.
        stored = AuditEntry.objects.filter(sequence=head.sequence).values_list("entry_hash")
        if head.sequence and [(head.entry_hash,)] != list(stored):
            return ChainBreak(
                head.sequence,
                None,
                _("末尾情報が通番 %(head)s の記録と一致しません。") % {"head": head.sequence},
            )
        report.warnings.append(
            _("末尾情報（通番 %(head)s）が最新の記録（通番 %(last)s）より遅れています。")
            % {"head": head.sequence, "last": last_sequence}
        )
        return None
    if head.entry_hash != last_hash:
        return ChainBreak(
            last_sequence, None, _("最新の記録が末尾情報と一致しません（書き換えまたは差し替え）。")
        )
    return None


# ---- the administrators' list ----------------------------------------------------------------


@dataclass(frozen=True)
class EntryFilter:
    """The filters of the audit log page and its CSV (all optional)."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    actor: str = ""  # username or user id
    verb: str = ""  # exact, or a prefix ending with "." ("voice.")
    target_type: str = ""
    target_id: str = ""
    text: str = ""  # in the summary, verb, target or actor name


def entries_filtered(filters: EntryFilter) -> QuerySet[AuditEntry]:
    """Entries matching ``filters``, newest first."""
    from django.utils import timezone

    entries = AuditEntry.objects.order_by("-sequence")
    zone = timezone.get_current_timezone()
    if filters.date_from:
        start = datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=zone)
        entries = entries.filter(at__gte=start)
    if filters.date_to:
        end = datetime.datetime.combine(
            filters.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        entries = entries.filter(at__lt=end)
    if filters.actor:
        actor = filters.actor.strip()
        condition = Q(actor_name=actor)
        if actor.isdigit():
            condition |= Q(actor_key=int(actor))
        entries = entries.filter(condition)
    if filters.verb:
        verb = filters.verb.strip()
        entries = (
            entries.filter(verb__startswith=verb)
            if verb.endswith(".")
            else entries.filter(verb=verb)
        )
    if filters.target_type:
        entries = entries.filter(target_type=filters.target_type.strip())
    if filters.target_id:
        entries = entries.filter(target_id=filters.target_id.strip())
    if filters.text:
        text = filters.text.strip()
        entries = entries.filter(
            Q(summary__icontains=text)
            | Q(verb__icontains=text)
            | Q(target_id=text)
            | Q(actor_name__icontains=text)
        )
    return entries


def verbs_in_use() -> list[str]:
    """The verbs recorded so far, for the filter's choices."""
    return list(AuditEntry.objects.order_by("verb").values_list("verb", flat=True).distinct())


def target_types_in_use() -> list[str]:
    return list(
        AuditEntry.objects.exclude(target_type="")
        .order_by("target_type")
        .values_list("target_type", flat=True)
        .distinct()
    )


# ---- the CSV -----------------------------------------------------------------------------------

CSV_HEADER = (
    "通番",
    "日時",
    "操作者ID",
    "操作者",
    "操作",
    "対象の種類",
    "対象ID",
    "概要",
    "詳細",
    "ハッシュ",
)


def entries_csv_lines(entries: QuerySet[AuditEntry], writer) -> list[str]:
    """The entries as CSV lines through ``writer`` (a ``hoshin.lib.spreadsheets.CsvWriter``),
    header first: text cells are escaped by the writer, so a summary starting with "=" stays
    text in Excel."""
    from django.utils import timezone

    from hoshin.audit.chain import canonical_json

    lines = [writer.row(CSV_HEADER)]
    for entry in entries.iterator(chunk_size=CHUNK):
        lines.append(
            writer.row(
                [
                    entry.sequence,
                    timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.actor_key,
                    entry.actor_name,
                    entry.verb,
                    entry.target_type,
                    entry.target_id,
                    entry.summary,
                    canonical_json(entry.data),
                    entry.entry_hash,
                ],
                label=f"通番 {entry.sequence}",
            )
        )
    return lines
