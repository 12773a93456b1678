"""Size stage: casualty counts (dead, injured, arrested) read from the dependency parse."""

from eventwire.size.casualties import casualty_kind, find_casualties, size_for_trigger
from eventwire.size.numbers import parse_count

__all__ = ["casualty_kind", "find_casualties", "parse_count", "size_for_trigger"]
