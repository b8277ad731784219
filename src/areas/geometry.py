"""Just enough plane geometry on GeoJSON (WGS84) to tell which district a postcode area lies in.

CBS's generalised boundaries are about 100 m precise: right for maps and for assigning a whole
four-digit postcode area to the district that holds most of it, not for single addresses.
"""

from collections.abc import Iterator

Ring = list[list[float]]
Polygon = list[Ring]  # outer ring first, then holes


def polygons(geometry: dict) -> list[Polygon]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"Unsupported geometry type {geometry['type']}")


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry: dict, x: float, y: float) -> bool:
    for polygon in polygons(geometry):
        if _in_ring(x, y, polygon[0]) and not any(_in_ring(x, y, hole) for hole in polygon[1:]):
            return True
    return False


def bbox(geometry: dict) -> tuple[float, float, float, float]:
    xs = [point[0] for polygon in polygons(geometry) for point in polygon[0]]
    ys = [point[1] for polygon in polygons(geometry) for point in polygon[0]]
    return min(xs), min(ys), max(xs), max(ys)


def sample_points(geometry: dict, steps: int = 24) -> Iterator[tuple[float, float]]:
    """Points of a regular grid over the bounding box that fall inside the geometry."""
    x0, y0, x1, y1 = bbox(geometry)
    for i in range(steps):
        for j in range(steps):
            x = x0 + (x1 - x0) * (i + 0.5) / steps
            y = y0 + (y1 - y0) * (j + 0.5) / steps
            if contains(geometry, x, y):
                yield x, y


def overlaps(geometry: dict, candidates: dict[str, dict]) -> dict[str, float]:
    """For each candidate geometry that overlaps ``geometry``: the share of it that it covers (0..1)."""
    counts: dict[str, int] = {}
    total = 0
    boxes = {key: bbox(candidate) for key, candidate in candidates.items()}
    for x, y in sample_points(geometry):
        total += 1
        for key, candidate in candidates.items():
            bx0, by0, bx1, by1 = boxes[key]
            if bx0 <= x <= bx1 and by0 <= y <= by1 and contains(candidate, x, y):
                counts[key] = counts.get(key, 0) + 1
                break
    return {key: count / total for key, count in counts.items()} if total else {}
