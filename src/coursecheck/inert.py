"""Text from users' files stays text in the spreadsheets coursecheck writes.

Excel, WPS and LibreOffice read a CSV field that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab
or a carriage return before one) as a formula, so a course named ``=HYPERLINK(...)`` would become a
working link in the province's table (OWASP "CSV injection"). :func:`csv_cell` puts a ``'`` in
front of such a field. A value made of digits, spaces and ``+-().`` only, such as the phone
``+86 138 0013 8000`` or ``-23.5``, is left as written: it cannot name a function, a cell or
another program, so no spreadsheet can do harm with it, and it stays readable.
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[+-]?[0-9][0-9 ().-]*")


def risky(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (after leading spaces)."""
    head = text.lstrip(" ")
    return head.startswith(TRIGGERS) and _NUMBER_LIKE.fullmatch(head.strip()) is None


def csv_cell(text: str) -> str:
    """``text`` as a CSV field no spreadsheet evaluates: a leading ``'`` when it is risky."""
    return "'" + text if risky(text) else text
