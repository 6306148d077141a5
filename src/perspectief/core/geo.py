"""Great-circle distances between PC4 centroids (pure Python, no Django).

It sits in the foundation so that reference data (a postcode's distance to another), the
catalogue's "near" filter and the matching engine share one definition; the engine may
import this module and nothing else of the project (see the import-linter contracts)."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in kilometres between two (latitude, longitude) points in degrees."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    dlat = lat2 - lat1
    dlon = lon2 - lon1
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
