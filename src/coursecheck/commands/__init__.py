"""One module per command; importing this package registers them all on the app."""

from coursecheck.commands import audit, check, fix, info, init

__all__ = ["audit", "check", "fix", "info", "init"]
