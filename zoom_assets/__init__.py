"""Keep a Zoom account's users, meeting reports and past participants current in DuckDB."""
