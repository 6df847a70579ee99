"""Small helpers every room may use (rate limits, spreadsheet-safe cells); imports no room."""
