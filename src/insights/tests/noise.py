"""For tests of protected figures: a published count is the true one plus the noise of each base
cell it adds up (``wijkteam.suppression``), at most ``MAX_NOISE`` per cell."""

from wijkteam.suppression import MAX_NOISE


def near(shown, true: int, *, cells: int = 1) -> bool:
    """``shown`` (a number or the text of a cell) could be the published value of ``true`` cases
    counted in ``cells`` base cells."""
    value = int(str(shown))
    return abs(value - true) <= MAX_NOISE * cells
