"""The spatial grid both indexes order their rows by.

Rows are sorted by grid cell — latitude band, then longitude band, of ``CELL_DEG``
degrees (the vacancy index: ``FINE_CELL_DEG``) — with rows without a location last. The
rows within some distance of a point are then a few contiguous row ranges (one per latitude
band it touches), found by binary search, so a query reads slices of its columns instead of
every row.
"""

from __future__ import annotations

import numpy as np

from .columns import BoolArray, FloatArray, IntArray
from .scoring import EARTH_RADIUS_KM

#: Grid cell size in degrees for the spatial order of rows (about 28 × 17 km).
CELL_DEG = 0.25

#: Half-open row ranges [start, end) in spatial order.
RowRanges = list[tuple[int, int]]
#: Latitude band → its row range.
Bands = dict[int, tuple[int, int]]


def cells(
    lat: FloatArray, lon: FloatArray, cell_deg: float = CELL_DEG
) -> tuple[BoolArray, IntArray, IntArray]:
    """Grid cell (lat band, lon band) per row from coordinates in radians; rows without a
    location get band 0 and are told apart by ``located``."""
    located = ~(np.isnan(lat) | np.isnan(lon))
    lat_band = np.where(located, np.floor(np.nan_to_num(np.degrees(lat)) / cell_deg), 0)
    lon_band = np.where(located, np.floor(np.nan_to_num(np.degrees(lon)) / cell_deg), 0)
    return located, lat_band.astype(np.int64), lon_band.astype(np.int64)


def band_index(lat_band_sorted: IntArray) -> Bands:
    """Row range per latitude band of rows sorted by (band, ...)."""
    bands, starts, counts = np.unique(lat_band_sorted, return_index=True, return_counts=True)
    return {int(b): (int(s), int(s + c)) for b, s, c in zip(bands, starts, counts, strict=True)}


def cell_ranges(
    bands: Bands,
    cell_lon: IntArray,
    n_located: int,
    lat: float,
    lon: float,
    reach_km: float,
    cell_deg: float = CELL_DEG,
) -> RowRanges | None:
    """Row ranges (in spatial order) of the grid cells (of ``cell_deg`` degrees) within
    ``reach_km`` (+1 km) of (lat, lon) in degrees; None when that is every located row."""
    reach = reach_km + 1.0
    dlat = reach / 111.0
    coslat = max(np.cos(np.radians(min(abs(lat) + dlat, 89.0))), 0.01)
    dlon = reach / (111.32 * coslat)
    lat_lo, lat_hi = int(np.floor((lat - dlat) / cell_deg)), int(np.floor((lat + dlat) / cell_deg))
    lon_lo, lon_hi = int(np.floor((lon - dlon) / cell_deg)), int(np.floor((lon + dlon) / cell_deg))
    ranges: RowRanges = []
    for band in range(lat_lo, lat_hi + 1):
        found = bands.get(band)
        if found is None:
            continue
        start, end = found
        cells_in_band = cell_lon[start:end]
        a = start + int(np.searchsorted(cells_in_band, lon_lo, "left"))
        b = start + int(np.searchsorted(cells_in_band, lon_hi, "right"))
        if a < b:
            if ranges and ranges[-1][1] == a:  # adjacent bands: one range
                ranges[-1] = (ranges[-1][0], b)
            else:
                ranges.append((a, b))
    # One range with every located row: no slicing needed (a region's own index).
    if len(ranges) == 1 and ranges[0] == (0, n_located):
        return None
    return ranges


# -- the candidate index's finer grid, per reach class ---------------------------------------

#: Cell size in degrees of the candidate index's grid (about 5.6 × 3.4 km).
FINE_CELL_DEG = 0.05
#: Upper edges (km) of the reach classes the candidate index orders its rows by first: the
#: people of a class can only be within reach of a place in the cells within the largest
#: reach of their class, so a class of short reaches reads few cells.
REACH_CLASSES_KM = (5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 75.0, 100.0, 150.0, 250.0)
#: Added to a class's largest reach when its cells are chosen (floating point, not
#: geometry: the cells are chosen with the haversine's own bounds).
MARGIN_KM = 0.5

#: Row ranges as two arrays: starts and ends (half-open), in spatial order.
RangeArrays = tuple[IntArray, IntArray]


def reach_class(reach_km: FloatArray) -> IntArray:
    """The reach class of each row (a reach already defaulted where unknown)."""
    return np.searchsorted(np.asarray(REACH_CLASSES_KM), reach_km, "left").astype(np.int64)


def spans(lo: IntArray, hi: IntArray) -> IntArray:
    """The integers of the half-open intervals [lo, hi), concatenated (empty ones skipped)."""
    lengths = np.maximum(hi - lo, 0)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(lo - offsets, lengths) + np.arange(total)


class ReachGrid:
    """Rows sorted by (reach class, latitude band, longitude band) — the located rows of the
    candidate index. A query gives the row ranges of the cells that can hold someone within
    their own reach of a point: per reach class only the latitude bands within the class's
    largest reach, and per band only the longitude bands the haversine allows there."""

    def __init__(
        self, klass: IntArray, lat_band: IntArray, lon_band: IntArray, reach: FloatArray
    ) -> None:
        n = len(klass)
        self.n = n
        if n == 0:
            return
        new = np.flatnonzero((np.diff(klass) != 0) | (np.diff(lat_band) != 0)) + 1
        g_start = np.concatenate([[0], new]).astype(np.int64)
        g_end = np.concatenate([new, [n]]).astype(np.int64)
        self.g_band = lat_band[g_start]
        g_class = klass[g_start]
        self.lon_min = int(lon_band.min())
        self.lon_span = int(lon_band.max()) - self.lon_min + 1
        # Globally sorted: group, then longitude band.
        group = np.repeat(np.arange(len(g_start)), g_end - g_start)
        self.row_key = group * self.lon_span + (lon_band - self.lon_min)
        # Per class: its groups and its largest reach.
        classes, c_start = np.unique(g_class, return_index=True)
        self.c_start = c_start.astype(np.int64)
        self.c_end = np.append(self.c_start[1:], len(g_start))
        row_start = g_start[self.c_start]
        self.c_reach = np.maximum(np.maximum.reduceat(reach, row_start), 0.0) + MARGIN_KM
        self.band_min = int(self.g_band.min())
        self.band_span = int(self.g_band.max()) - self.band_min + 1
        self.g_key = np.repeat(
            np.arange(len(classes)), self.c_end - self.c_start
        ) * self.band_span + (self.g_band - self.band_min)
        self.g_reach = np.repeat(self.c_reach, self.c_end - self.c_start)

    def nbytes(self) -> int:
        if self.n == 0:
            return 0
        return int(self.row_key.nbytes + self.g_key.nbytes + self.g_band.nbytes * 2)

    def ranges(self, lat: float, lon: float) -> RangeArrays:
        """Row ranges of the cells that can hold someone within their reach of (lat, lon)
        in degrees. Exact bounds of the haversine: a latitude difference of d/R radians at
        most; at a latitude difference of at least Δφ, hav(Δλ) ≤ (hav(d/R) − hav(Δφ)) /
        (cos φ₁ · cos φ₂), φ₂ taken at the band's edge farthest from the equator."""
        empty = np.zeros(0, np.int64)
        if self.n == 0:
            return empty, empty
        ang = self.c_reach / EARTH_RADIUS_KM  # per class, radians
        dlat = np.degrees(ang)
        lo_band = np.floor((lat - dlat) / FINE_CELL_DEG).astype(np.int64) - self.band_min
        hi_band = np.floor((lat + dlat) / FINE_CELL_DEG).astype(np.int64) - self.band_min
        base = np.arange(len(ang)) * self.band_span
        bounds = np.concatenate(
            [
                base + np.minimum(np.maximum(lo_band, 0), self.band_span),
                base + np.minimum(np.maximum(hi_band + 1, 0), self.band_span),
            ]
        )
        found = np.searchsorted(self.g_key, bounds)
        groups = spans(found[: len(ang)], found[len(ang) :])
        if len(groups) == 0:
            return empty, empty
        band = self.g_band[groups]
        south = np.radians(band * FINE_CELL_DEG)
        north = south + np.radians(FINE_CELL_DEG)
        phi = np.radians(lat)
        dphi = np.maximum(np.maximum(south - phi, phi - north), 0.0)
        g_ang = np.minimum(self.g_reach[groups] / EARTH_RADIUS_KM, np.pi)
        room = np.sin(g_ang / 2) ** 2 - np.sin(dphi / 2) ** 2
        cos_far = np.maximum(np.cos(np.maximum(np.abs(south), np.abs(north))), 1e-12)
        ratio = room / (np.cos(phi) * cos_far)
        dlon = np.degrees(2 * np.arcsin(np.sqrt(np.minimum(np.maximum(ratio, 0.0), 1.0))))
        whole = (ratio >= 1.0) | (g_ang >= np.pi / 2)
        last = self.lon_span - 1
        lon_lo = np.floor((lon - dlon) / FINE_CELL_DEG).astype(np.int64) - self.lon_min
        lon_hi = np.floor((lon + dlon) / FINE_CELL_DEG).astype(np.int64) - self.lon_min
        lon_lo = np.where(whole, 0, np.maximum(lon_lo, 0))
        lon_hi = np.where(whole, last, np.minimum(lon_hi, last))
        keep = (room >= 0) & (lon_hi >= 0) & (lon_lo <= last) & (lon_lo <= lon_hi)
        key = groups[keep] * self.lon_span
        found = np.searchsorted(
            self.row_key, np.concatenate([key + lon_lo[keep], key + lon_hi[keep] + 1])
        )
        starts, ends = found[: len(key)], found[len(key) :]
        full = ends > starts
        return starts[full], ends[full]
