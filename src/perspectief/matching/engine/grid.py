"""The spatial grid both indexes order their rows by.

Rows are sorted by grid cell — latitude band, then longitude band, of ``CELL_DEG``
degrees — with rows without a location last. The rows within some distance of a point are
then a few contiguous row ranges (one per latitude band it touches), found by binary
search, so a query reads slices of its columns instead of every row.
"""

from __future__ import annotations

import numpy as np

from .columns import BoolArray, FloatArray, IntArray

#: Grid cell size in degrees for the spatial order of rows (about 28 × 17 km).
CELL_DEG = 0.25

#: Half-open row ranges [start, end) in spatial order.
RowRanges = list[tuple[int, int]]
#: Latitude band → its row range.
Bands = dict[int, tuple[int, int]]


def cells(lat: FloatArray, lon: FloatArray) -> tuple[BoolArray, IntArray, IntArray]:
    """Grid cell (lat band, lon band) per row from coordinates in radians; rows without a
    location get band 0 and are told apart by ``located``."""
    located = ~(np.isnan(lat) | np.isnan(lon))
    lat_band = np.where(located, np.floor(np.nan_to_num(np.degrees(lat)) / CELL_DEG), 0)
    lon_band = np.where(located, np.floor(np.nan_to_num(np.degrees(lon)) / CELL_DEG), 0)
    return located, lat_band.astype(np.int64), lon_band.astype(np.int64)


def band_index(lat_band_sorted: IntArray) -> Bands:
    """Row range per latitude band of rows sorted by (band, ...)."""
    bands, starts, counts = np.unique(lat_band_sorted, return_index=True, return_counts=True)
    return {int(b): (int(s), int(s + c)) for b, s, c in zip(bands, starts, counts, strict=True)}


def cell_ranges(
    bands: Bands, cell_lon: IntArray, n_located: int, lat: float, lon: float, reach_km: float
) -> RowRanges | None:
    """Row ranges (in spatial order) of the grid cells within ``reach_km`` (+1 km) of
    (lat, lon) in degrees; None when that is every located row."""
    reach = reach_km + 1.0
    dlat = reach / 111.0
    coslat = max(np.cos(np.radians(min(abs(lat) + dlat, 89.0))), 0.01)
    dlon = reach / (111.32 * coslat)
    lat_lo, lat_hi = int(np.floor((lat - dlat) / CELL_DEG)), int(np.floor((lat + dlat) / CELL_DEG))
    lon_lo, lon_hi = int(np.floor((lon - dlon) / CELL_DEG)), int(np.floor((lon + dlon) / CELL_DEG))
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
