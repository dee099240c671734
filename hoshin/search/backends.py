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
  tokens carry weight A, body B; ``ts_rank_cd`` ranks A above B. Facet lexemes start with "!"
  so no word query can match them, and word queries carry no weight restriction (which would
  make the GIN index recheck every candidate row).

Facets (scope, plan, year, department, grade, direction, kind) are extra tokens of the same
document, so every filter is answered by the same index as the words: no table scan.

The full-text table is not a Django model, so Django's test flush leaves it alone: a
``post_migrate`` receiver (apps.py) empties it whenever the entry table is empty, and every
write first deletes rows with the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction

from hoshin.search.text import Term

MAX_POSITIONS = 16000  # PostgreSQL keeps positions up to 16383; later tokens add nothing
FACET = "!"  # PostgreSQL: the mark of facet lexemes
RANK_CANDIDATES = 1000  # PostgreSQL: matches ranked per query (title matches first)


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
        # "!" keeps facets apart from words (a word never holds it, not even as a prefix), so
        # word queries need no weight restriction, which would force a recheck of every row.
        parts += [f"{_lexeme(FACET + token)}:1D" for token in dict.fromkeys(doc.facets)]
        return " ".join(parts)

    @staticmethod
    def title_vector(doc: Document) -> str:
        """The title alone: small enough to stay in the row, so testing it is cheap."""
        return " ".join(
            f"{_lexeme(token)}:{position}A"
            for position, token in enumerate(doc.title[:MAX_POSITIONS], start=1)
        )

    def write(self, documents: list[Document]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_document (entry_id, document, title_document) "
                "VALUES (%s, CAST(%s AS tsvector), CAST(%s AS tsvector))",
                [(doc.entry_id, self.vector(doc), self.title_vector(doc)) for doc in documents],
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
            return _lexeme(FACET + node)
        joiner = " | " if isinstance(node, Any) else " & "
        return "(" + joiner.join(PostgresBackend._facets(part) for part in node.parts) + ")"

    @staticmethod
    def _term(term: Term, *, loose: bool) -> str:
        if term.is_prefix:
            return f"{_lexeme(term.text)}:*"
        joiner = " | " if loose else " <-> "
        return "(" + joiner.join(_lexeme(gram) for gram in term.phrase) + ")"

    def words(self, expression: Expression) -> str:
        """The tsquery literal of the words alone (what the rank is computed from)."""
        return " & ".join(self._term(t, loose=expression.loose) for t in expression.terms)

    def match(self, expression: Expression) -> str:
        """The tsquery literal of words and facets (what the index is asked)."""
        return f"{self.words(expression)} & {self._facets(expression.facets)}"

    def search(self, expression: Expression, *, limit: int, offset: int):
        """Count every match, rank a bounded set of candidates.

        Ranking reads each candidate's whole tsvector (positions of every token of the body),
        which for a one-character query over 100,000 entries is most of the table. So the
        candidates are the matches whose title contains the words first (a test of the small
        title vector), then the others, at most RANK_CANDIDATES of them (or as far as the page
        asked for), and only those are ranked. Ranked on the words only: cover density would
        otherwise count the distance from a facet to the words.
        """
        params = [self.match(expression), self.words(expression)]
        cap = max(RANK_CANDIDATES, offset + limit)
        with transaction.atomic(), connection.cursor() as cursor:
            # For a query matching most rows (one common character) the planner prefers a
            # sequential scan, not counting that it must then decompress every row's tsvector;
            # the GIN index answers without touching them (measured: 526 ms → 75 ms at 100,000
            # entries). SET LOCAL ends with this transaction.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "SELECT count(*) FROM search_document WHERE document @@ CAST(%s AS tsquery)",
                params[:1],
            )
            total = cursor.fetchone()[0]
            cursor.execute(
                "WITH words AS (SELECT CAST(%s AS tsquery) AS words), candidates AS ("
                " SELECT entry_id FROM search_document, words"
                " WHERE document @@ CAST(%s AS tsquery)"
                " ORDER BY (title_document @@ words.words) DESC, entry_id LIMIT %s)"
                " SELECT d.entry_id, ts_rank_cd('{0, 0, 0.2, 1}'::float4[], d.document, words.words)"
                " AS score FROM candidates JOIN search_document d USING (entry_id), words"
                " ORDER BY score DESC, d.entry_id LIMIT %s OFFSET %s",
                [params[1], params[0], cap, limit, offset],
            )
            return [(row[0], row[1]) for row in cursor.fetchall()], total


def backend():
    """The backend for the default database."""
    return SqliteBackend() if connection.vendor == "sqlite" else PostgresBackend()
