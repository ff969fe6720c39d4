"""`zoom-sql`: run one of the example queries in `sql/` (or any SQL file) against the DuckDB file.

Opens the file read-only, so it never changes data; it still needs the file to be free, because
DuckDB lets no other process open a file while the pipeline writes to it.
"""

import argparse
import itertools
import sys
from pathlib import Path

import duckdb

from zoom_assets.settings import DEFAULT_DUCKDB_PATH

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


def query_file(name: str) -> Path:
    """A path as given, else the example of that name in sql/ (with or without `.sql`)."""
    path = Path(name)
    if path.is_file():
        return path
    example = SQL_DIR / (name if name.endswith(".sql") else f"{name}.sql")
    if example.is_file():
        return example
    known = ", ".join(sorted(p.stem for p in SQL_DIR.glob("*.sql")))
    raise FileNotFoundError(f"No SQL file {name!r}; the examples are: {known}")


def show(conn: duckdb.DuckDBPyConnection, path: Path, max_rows: int = 20) -> None:
    """Print the file's leading comment (what it answers), then the result as a table."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    comment = [ln[2:].strip() for ln in itertools.takewhile(lambda ln: ln.startswith("--"), lines)]
    print("\n" + "\n".join(comment or [path.stem]) + f"\n  ({path.name})")
    conn.sql(text).show(max_rows=max_rows, max_width=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zoom-sql", description=__doc__.splitlines()[0])
    parser.add_argument("queries", nargs="+", help="SQL files, or names of the examples in sql/")
    parser.add_argument("--db", default=DEFAULT_DUCKDB_PATH, help="the DuckDB file")
    parser.add_argument("--max-rows", type=int, default=20, help="rows shown per query")
    args = parser.parse_args(argv)
    try:
        paths = [query_file(name) for name in args.queries]
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 2
    if not Path(args.db).is_file():
        print(f"{args.db} does not exist yet: run `make demo` first.", file=sys.stderr)
        return 2
    with duckdb.connect(args.db, read_only=True) as conn:
        for path in paths:
            show(conn, path, args.max_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
