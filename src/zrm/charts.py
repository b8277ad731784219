"""The per-case ZRM trend as an inline SVG line chart (no JavaScript), drawn beside a data table
that carries the same numbers for screen readers."""

from dataclasses import dataclass

from .services import Trend

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 56, 44, 12, 28
# Colour and dash pattern both differ per line, so colour is never the only difference.
STYLES = [
    ("#0b5ea5", ""),
    ("#b3261e", "6 3"),
    ("#1d7a3a", "2 3"),
    ("#7a3fa0", "8 3 2 3"),
    ("#8a5a00", "4 4"),
    ("#00707a", "1 2"),
    ("#444444", "10 4"),
]


@dataclass
class Line:
    label: str
    colour: str
    dash: str
    points: list[tuple[float, float, int]]  # x, y, score

    @property
    def path(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in self.points)


@dataclass
class Chart:
    width: int
    height: int
    lines: list[Line]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]
    left: int
    right: int


def _x(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return LEFT + inner / 2 if count == 1 else LEFT + inner * index / (count - 1)


def _y(score: int) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (5 - score) / 4


def trend_chart(trend: Trend) -> Chart | None:
    count = len(trend.assessments)
    if not count:
        return None
    lines = []
    for number, domain_trend in enumerate(trend.domains):
        colour, dash = STYLES[number % len(STYLES)]
        points = [(_x(i, count), _y(score), score) for i, score in enumerate(domain_trend.scores) if score is not None]
        lines.append(Line(domain_trend.domain.label, colour, dash, points))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        lines=lines,
        x_labels=[(_x(i, count), a.assessed_on.strftime("%d-%m-%Y")) for i, a in enumerate(trend.assessments)],
        y_ticks=[(_y(score), score) for score in range(1, 6)],
        left=LEFT,
        right=WIDTH - RIGHT,
    )
