"""One module per command; importing this package registers them all on the app.

The import order is the order ``coursecheck --help`` lists the commands in.
"""

# isort: skip_file
from coursecheck.commands import check, audit, fix, init, info

__all__ = ["audit", "check", "fix", "info", "init"]
