"""Cells that spreadsheet programs cannot read as formulas."""


def neutralise_cell(value: object) -> object:
    """Defuse spreadsheet formulas: text starting with = + - @ (or tab/CR) gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
