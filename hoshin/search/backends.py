"""The full-text engines: SQLite FTS5 and PostgreSQL tsvector + GIN, behind one small interface.

Neither engine can split Japanese into words, so neither tokenises anything here: text.py turns
the text into bigram tokens and both engines index those tokens as they are.

* SQLite: an FTS5 table ``search_fts(title, body, facets)`` whose rowid is the entry id. The
  unicode61 tokenizer splits our space-separated tokens and keeps CJK characters whole;
  ``prefix='1'`` indexes one-character prefixes for one-character queries. Ranking is bm25
  with the title weighted ten times the body.
* PostgreSQL: ``search_document(entry_id, document tsvector)`` with a GIN index. The tsvector is
  written as a literal (lexeme:position+weight) and the query as a tsquery literal, so
  PostgreSQL's text parser — which depends on the server's locale — never sees Japanese. Title
  tokens carry weight A, body B, facets D; ``ts_rank_cd`` ranks A above B.

Facets (scope, plan, year, department, grade, direction, kind) are extra tokens of the same
document, so every filter is answered by the same index as the words: no table scan.

The full-text table is not a Django model, so Django's test flush leaves it alone: a
``post_migrate`` receiver (apps.py) empties it whenever the entry table is empty, and every
write first deletes rows with the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from hoshin.search.text import Term

MAX_POSITIONS = 16000  # PostgreSQL keeps positions up to 16383; later tokens add nothing


@dataclass
class Document:
    """The tokens of one entry, ready for the engine."""

    entry_id: int
    title: list[str]
    body: list[str]
    facets: list[str]


@dataclass
class Any:
    """At least one of the parts holds (parts: facet tokens or nested All/Any)."""

    parts: list = field(default_factory=list)


@dataclass
class All:
    """Every part holds."""

    parts: list = field(default_factory=list)


@dataclass
class Expression:
    """What to find: every term (as a phrase, or loosely: any of its bigrams, ranked) and facets."""

    terms: list[Term]
    facets: All
    loose: bool = False


class SqliteBackend:
    def write(self, documents: list[Document]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body, facets) VALUES (%s, %s, %s, %s)",
                [
                    (doc.entry_id, " ".join(doc.title), " ".join(doc.body), " ".join(doc.facets))
                    for doc in documents
                ],
            )

    def delete(self, entry_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(entry_ids), 500):
                chunk = entry_ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chunk)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    @staticmethod
    def _facets(node) -> str:
        if isinstance(node, str):
            return f'"{node}"'
        joiner = " OR " if isinstance(node, Any) else " AND "
        return "(" + joiner.join(SqliteBackend._facets(part) for part in node.parts) + ")"

    @staticmethod
    def _term(term: Term, *, loose: bool) -> str:
        if term.is_prefix:
            return f'"{term.text}"*'
        if loose:
            return "(" + " OR ".join(f'"{gram}"' for gram in term.phrase) + ")"
        return '"' + " ".join(term.phrase) + '"'

    def match(self, expression: Expression) -> str:
        """The FTS5 MATCH string (tokens are letters and digits only, so quoting is safe)."""
        words = " AND ".join(self._term(t, loose=expression.loose) for t in expression.terms)
        return f"{{title body}} : ({words}) AND facets : {self._facets(expression.facets)}"

    def search(self, expression: Expression, *, limit: int, offset: int):
        match = self.match(expression)
        joined = "FROM search_fts WHERE search_fts MATCH %s"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {joined}", [match])
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT search_fts.rowid, bm25(search_fts, 10.0, 1.0, 0.0) AS score {joined} "
                "ORDER BY score, search_fts.rowid LIMIT %s OFFSET %s",
                [match, limit, offset],
            )
            return [(row[0], -row[1]) for row in cursor.fetchall()], total


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


class PostgresBackend:
    @staticmethod
    def vector(doc: Document) -> str:
        """The tsvector literal: title positions (A), then body positions (B), facets (D)."""
        positions: dict[str, list[str]] = {}
        position = 0
        for weight, tokens in (("A", doc.title), ("B", doc.body)):
            position += 8  # a gap, so no phrase spans the title and the body
            for token in tokens:
                position += 1
                if position > MAX_POSITIONS:
                    break
                positions.setdefault(token, []).append(f"{position}{weight}")
        parts = [f"{_lexeme(token)}:{','.join(places)}" for token, places in positions.items()]
        # A facet needs a position to carry its weight D (and so stay out of word queries).
        parts += [f"{_lexeme(token)}:1D" for token in dict.fromkeys(doc.facets)]
        return " ".join(parts)

    def write(self, documents: list[Document]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_document (entry_id, document) VALUES (%s, CAST(%s AS tsvector))",
                [(doc.entry_id, self.vector(doc)) for doc in documents],
            )

    def delete(self, entry_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document WHERE entry_id = ANY(%s)", [entry_ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document")

    @staticmethod
    def _facets(node) -> str:
        if isinstance(node, str):
            return _lexeme(node)
        joiner = " | " if isinstance(node, Any) else " & "
        return "(" + joiner.join(PostgresBackend._facets(part) for part in node.parts) + ")"

    @staticmethod
    def _term(term: Term, *, loose: bool) -> str:
        if term.is_prefix:
            return f"{_lexeme(term.text)}:*AB"
        joiner = " | " if loose else " <-> "
        return "(" + joiner.join(f"{_lexeme(gram)}:AB" for gram in term.phrase) + ")"

    def words(self, expression: Expression) -> str:
        """The tsquery literal of the words alone (what the rank is computed from)."""
        return " & ".join(self._term(t, loose=expression.loose) for t in expression.terms)

    def match(self, expression: Expression) -> str:
        """The tsquery literal of words and facets (what the index is asked)."""
        return f"{self.words(expression)} & {self._facets(expression.facets)}"

    def search(self, expression: Expression, *, limit: int, offset: int):
        # Ranked on the words only: the facets carry weight 0, and cover density would
        # otherwise count the distance from a facet's position to the words.
        joined = (
            "FROM search_document d, CAST(%s AS tsquery) query, CAST(%s AS tsquery) words "
            "WHERE d.document @@ query"
        )
        params = [self.match(expression), self.words(expression)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {joined}", params)
            total = cursor.fetchone()[0]
            cursor.execute(
                "SELECT d.entry_id, ts_rank_cd('{0, 0, 0.2, 1}'::float4[], d.document, words) "
                f"AS score {joined} ORDER BY score DESC, d.entry_id LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [(row[0], row[1]) for row in cursor.fetchall()], total


def backend():
    """The backend for the default database."""
    return SqliteBackend() if connection.vendor == "sqlite" else PostgresBackend()
