"""``coursecheck audit``: check a province's many course folders at once and export the results."""
