"""One module per command; importing this package registers them all on the app."""

from coursecheck.commands import check, info

__all__ = ["check", "info"]
