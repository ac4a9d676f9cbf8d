"""Spreadsheets in and out: import of wide and long tables, export of every list (issue 17)."""
