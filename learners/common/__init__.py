"""Small helpers every room may use (rate limits, spreadsheet-safe cells, bounded ids from
URLs, safe "next" redirects); imports no room."""
