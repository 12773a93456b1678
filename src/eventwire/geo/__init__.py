"""Places: the offline gazetteer, toponym resolution, datelines and each event's own location."""

from eventwire.geo.gazetteer import Gazetteer, GazetteerError, build_gazetteer, load_gazetteer
from eventwire.geo.normalize import name_key
from eventwire.geo.parser import Focus, Geoparser, document_focus
from eventwire.geo.search import event_location, find_places
from eventwire.geo.structured import Located, locate_fields
from eventwire.helpers import haversine_km

__all__ = [
    "Focus",
    "Gazetteer",
    "GazetteerError",
    "Geoparser",
    "Located",
    "build_gazetteer",
    "document_focus",
    "event_location",
    "find_places",
    "haversine_km",
    "load_gazetteer",
    "locate_fields",
    "name_key",
]
