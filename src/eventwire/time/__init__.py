"""Time stage: date expressions in the text, resolved against the publication date.

- ``resolve(text, anchor)``: one expression ("last Wednesday", "in early March") to a
  ``ResolvedDate`` (date, enddate, precision, relation, future).
- ``find_time_expressions(doc_or_span, anchor)``: every date expression, as ``TimeExpression``.
- ``date_for_trigger(trigger, expressions, other_triggers)``: the expression that dates one event.
"""

from eventwire.time.expressions import date_for_trigger, find_time_expressions
from eventwire.time.resolve import ResolvedDate, resolve

__all__ = ["ResolvedDate", "date_for_trigger", "find_time_expressions", "resolve"]
