"""One module per command; importing this package registers them all on the app."""

from coursecheck.commands import audit, check, info

__all__ = ["audit", "check", "info"]
