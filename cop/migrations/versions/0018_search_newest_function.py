"""PostgreSQL finds each kind's newest matches in one function call, and one community's entries by index.

A search sent its look-ups as statements: the newest records of every kind, then GIN for
the kinds where a word was rarer, then the shown entries. psycopg prepares nothing on a
connection that rolls back after each read, so each statement was planned anew, and the
planning (lists of 171 communities estimated one by one, every kind's look-ups, most of
them not needed) cost as much as the reading: half the server's time for a search across
the communities of a member of the large workspace. ``cop_search_newest`` runs one kind's
look-ups in turn and plans only those it runs, all kinds in one round trip
(cop.search.queries._postgres_search tells how it reads). How much it reads first
(``recent``) and what it takes GIN to cost (``gin_cost``) are arguments, set in Python.

Searching one community read its newest records through a bitmap of the whole kind's
primary key (50,000 workshops, 10 ms): (community_id, kind, record_id) reads them in order
and replaces the index on community_id alone.

SQLite is unchanged.

Revision ID: 0018_search_newest_function
Revises: 0017_search_approved_flag
"""

from collections.abc import Callable, Sequence

from alembic import op

revision: str = "0018_search_newest_function"
down_revision: str | None = "0017_search_approved_flag"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One kind's newest title matches and newest other matches, as record ids, newest first.
#   kind      search_document.kind
#   query     the tsquery
#   wanted    how many matches the page shows: title matches first, then the others
#   recent    how many of the newest records are read first (at most WINDOW_MOST, or
#             WINDOW_MOST_FEW in a few communities)
#   gin_cost  what reading one match from GIN costs, in records read in order
#   read      the communities whose entries are read
#   everything, approved   flags by community id: every entry is in scope, or approved ones
#
# A name alone is an argument; columns are qualified (``d.kind``).
#
# The newest ``recent`` records are read until they hold ``wanted`` title matches (the
# count is a run condition: PostgreSQL stops reading there). When they were all the kind
# had, that is all. Otherwise the matches they held tell how common the word is: the rest
# is read further back when that costs less than GIN would (GIN reads every match in the
# communities read), reading at most twice the expected number of records, else looked up
# in GIN. Then the other matches the page has room for, the same way.

# The communities read: one community's newest entries are read in order along
# (community_id, kind, record_id); a few communities' along the same index, then sorted;
# many (171 for a member of the large workspace) are flags, which cost the planner nothing
# where 171 ids cost it 0.2 ms each time they appear.
FEW = 8  # cop.search.queries.FEW_COMMUNITIES
ONE_READ = "d.community_id = read[1]"
FEW_READ = "d.community_id = ANY(read)"
MANY_READ = (
    "(coalesce(everything[d.community_id], false) OR coalesce(approved[d.community_id], false))"
)
# GIN's matches among a few communities: planned with the list a constant, the condition is
# one or the other, and the few communities' index may narrow GIN's matches.
AMONG_FEW = f"(cardinality(read) > {FEW} OR {FEW_READ})"


def _by_communities(statement: Callable[[str], str]) -> str:
    """``statement`` in the form for the communities read: each form's plan is its own."""
    return f"""IF cardinality(read) = 1 THEN
            {statement(ONE_READ)};
        ELSIF cardinality(read) <= {FEW} THEN
            {statement(FEW_READ)};
        ELSE
            {statement(MANY_READ)};
        END IF"""


IN_SCOPE = (
    "(coalesce(everything[d.community_id], false) "
    "OR (coalesce(approved[d.community_id], false) AND d.approved))"
)
IN_TITLE = f"d.title_document @@ query AND {IN_SCOPE}"  # the title is part of the document
OTHER = f"NOT d.title_document @@ query AND {IN_SCOPE} AND d.document @@ query"


# The window is the statement every kind runs at every search: each of its three forms is
# planned for the first five calls of a connection, then kept (as a generic plan: the kind,
# the community list, the query and the numbers are parameters). So its limit is a
# constant, small enough that the plan reads backwards along an index whatever the kind
# (told 5,000 of many communities, the planner read all 50,000 workshops and sorted them);
# ``recent`` counts the records read (a run condition too). Statements that run only for
# rarer words are planned at each call, with the kind and the list as constants (a kind's
# GIN indexes are partial).
WINDOW_MOST = 1000  # cop.search.queries.WINDOW_MOST
WINDOW_MOST_FEW = 5000  # in a few communities, reading all their records costs no more


def _window(read: str) -> str:
    """The newest ``recent`` records of the kind in the communities ``read``, until they hold
    ``wanted`` title matches: how many were read, their ids' range, the title and the other
    matches among them."""
    most = WINDOW_MOST if read == MANY_READ else WINDOW_MOST_FEW
    return f"""SELECT count(*)::integer AS seen, min(record_id) AS last, max(record_id) AS first,
               count(*) FILTER (WHERE t)::integer AS n_titled,
               count(*) FILTER (WHERE o)::integer AS n_others,
               coalesce(array_agg(record_id ORDER BY record_id DESC) FILTER (WHERE t),
                        '{{}}') AS titled,
               coalesce((array_agg(record_id ORDER BY record_id DESC) FILTER (WHERE o))
                        [1:wanted], '{{}}') AS others
          INTO w
          FROM (SELECT record_id, t, o, row_number() OVER newest AS position,
                       count(*) FILTER (WHERE t) OVER newest AS titles
                  FROM (SELECT d.record_id, {IN_TITLE} AS t, {OTHER} AS o
                          FROM search_document AS d WHERE d.kind = kind AND {read}
                         ORDER BY d.record_id DESC LIMIT {most}) AS newest
                WINDOW newest AS (ORDER BY record_id DESC)) AS counted
         WHERE position <= recent AND titles <= wanted"""


def _older(hit: str) -> str:
    """The next ``needed`` matches of ``hit`` older than the window, reading at most twice the
    expected number of records."""
    return _by_communities(
        lambda read: (
            f"""more := ARRAY(
                SELECT record_id FROM (
                    SELECT d.record_id, {hit} AS hit FROM search_document AS d
                     WHERE d.kind = kind AND {read} AND d.record_id < w.last
                     ORDER BY d.record_id DESC LIMIT ceil(2 * expected)::integer + 50) AS older
                 WHERE hit LIMIT needed)"""
        )
    )


# GIN's matches sorted by record_id + 0, not along the primary key: the estimates come from
# the whole table, so a word common in one kind and absent from another would send the
# planner backwards along the key through every row of the other (40 ms). The query is a
# subquery, so the planner does not estimate it (a prefix's estimate cost 0.2 ms).
def _gin(match: str, limit: str) -> str:
    return f"""ARRAY(
                SELECT d.record_id FROM search_document AS d
                 WHERE d.kind = kind AND {match} AND {IN_SCOPE} AND {AMONG_FEW}
                 ORDER BY d.record_id + 0 DESC LIMIT {limit})"""


def _expected(found: str) -> str:
    """How many records further back ``needed`` more matches are expected, after the window's
    ``seen`` records held ``found``: a few matches are a rough sample, so the count is taken
    one standard deviation low (a word found 5 times in 200 workshops, 1.3% of them, was
    read 3,000 records further back before GIN all the same)."""
    return f"needed::float8 * w.seen / greatest({found} - sqrt({found}), 0.5)"


def _further_back(found: str) -> str:
    """Whether reading further back is expected to cost less than GIN: GIN would read all
    the kind's matches in the communities read, about ``found * first / (first - last + 1)``
    (ids are dense enough for an estimate)."""
    return (
        f"{found} - sqrt({found}) > 0.5 "
        f"AND expected * (w.first - w.last + 1) <= gin_cost * {found} * w.first"
    )


FUNCTION = f"""
CREATE FUNCTION cop_search_newest(
    kind text, query tsquery, wanted integer, recent integer, gin_cost float8,
    read integer[], everything boolean[], approved boolean[],
    OUT titled integer[], OUT others integer[])
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_variable
DECLARE
    w record;
    more integer[];
    needed integer;
    room integer;
    expected float8;
BEGIN
    recent := least(recent, CASE WHEN cardinality(read) <= {FEW} THEN {WINDOW_MOST_FEW}
                                 ELSE {WINDOW_MOST} END);
    {_by_communities(_window)};

    IF w.seen < recent OR w.n_titled >= wanted THEN
        titled := w.titled;
    ELSE
        needed := wanted - w.n_titled;
        expected := {_expected("w.n_titled")};
        more := NULL;
        IF {_further_back("w.n_titled")} THEN
            {_older(IN_TITLE)};
        END IF;
        IF cardinality(more) >= needed THEN
            titled := w.titled || more;
        ELSE
            titled := {_gin("d.title_document @@ (SELECT query)", "wanted")};
        END IF;
    END IF;

    room := wanted - cardinality(titled);
    IF room <= 0 THEN
        others := '{{}}';
    ELSIF w.seen < recent OR w.n_others >= room THEN
        others := w.others[1:room];
    ELSE
        needed := room - w.n_others;
        expected := {_expected("w.n_others")};
        more := NULL;
        IF {_further_back("w.n_others")} THEN
            {_older(OTHER)};
        END IF;
        IF cardinality(more) >= needed THEN
            others := (w.others || more)[1:room];
        ELSE
            others := {_gin("d.document @@ (SELECT query) AND NOT d.title_document @@ (SELECT query)", "room")};
        END IF;
    END IF;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(
        "CREATE INDEX ix_search_document_community_kind "
        "ON search_document (community_id, kind, record_id)"
    )
    op.execute("DROP INDEX ix_search_document_community")
    op.execute(FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(
        "DROP FUNCTION cop_search_newest"
        "(text, tsquery, integer, integer, float8, integer[], boolean[], boolean[])"
    )
    op.execute("CREATE INDEX ix_search_document_community ON search_document (community_id)")
    op.execute("DROP INDEX ix_search_document_community_kind")
