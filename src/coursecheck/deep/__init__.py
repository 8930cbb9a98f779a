"""Deep checks: one decode pass per lesson (``--deep``) and the facts it yields.

Importable without rich or typer: :func:`analyse` runs in worker processes.
"""

from coursecheck.deep.facts import ANALYSIS_VERSION, DeepFacts, Level, Span, TrackTimes
from coursecheck.deep.runner import DeepParams, analyse

__all__ = ["ANALYSIS_VERSION", "DeepFacts", "DeepParams", "Level", "Span", "TrackTimes",
           "analyse"]
