"""Cells that spreadsheet programs cannot read as formulas: one door for every CSV and XLSX
writer (HR exports, quiz reports, data exports), so none of them can forget a case."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets
# (TAB and CR included: some programs strip them and then read what follows).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Control characters that XML (so XLSX) cannot hold: openpyxl refuses the whole workbook.
# The site refuses them at input (cms.middleware); this covers text stored before that.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise_cell(value: object) -> object:
    """Defuse spreadsheet formulas: text starting with = + - @ (or TAB/CR) gets a leading
    quote; control characters no spreadsheet can hold are dropped. Other values pass as they
    are (a negative number is a number, not a formula)."""
    if not isinstance(value, str):
        return value
    value = _XML_ILLEGAL.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_row(row: Iterable[object]) -> list[object]:
    return [neutralise_cell(cell) for cell in row]


class SafeCsvWriter:
    """csv.writer whose rows go through neutralise_cell."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[object]):
        return self._writer.writerow(neutralise_row(row))
