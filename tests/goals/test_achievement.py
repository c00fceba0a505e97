"""The arithmetic of achievement, for every kind of target and its edge cases."""

from decimal import Decimal

import pytest

from goals.achievement import achievement, capped, weighted_average

D = Decimal


@pytest.mark.parametrize(
    ("kind", "baseline", "target", "value", "expected"),
    [
        # A number to increase: the distance covered from the baseline.
        ("increase", 100, 150, 125, D("50.0")),
        ("increase", 100, 150, 150, D("100.0")),
        ("increase", 100, 150, 100, D("0.0")),
        ("increase", 4, 12, 7, D("37.5")),
        ("increase", None, 10, 5, D("50.0")),  # no baseline: counted from 0
        # Overshoot is shown as it is.
        ("increase", 100, 150, 160, D("120.0")),
        # Negative progress is 0%, never below.
        ("increase", 100, 150, 80, D("0.0")),
        # A number to decrease: days to payment 90 → 60.
        ("decrease", 90, 60, 75, D("50.0")),
        ("decrease", 90, 60, 60, D("100.0")),
        ("decrease", 90, 60, 45, D("150.0")),
        ("decrease", 90, 60, 95, D("0.0")),
        ("decrease", 3, 1, 2, D("50.0")),
        # A percentage: like an increase from its baseline (0 when none).
        ("percentage", 70, 90, 80, D("50.0")),
        ("percentage", None, 30, 15, D("50.0")),
        ("percentage", 45, 70, 70, D("100.0")),
        ("percentage", 45, 70, 40, D("0.0")),
        # Target equal to baseline: reached or not, in the goal's direction.
        ("percentage", 80, 80, 80, D("100")),
        ("percentage", 80, 80, 79, D("0")),
        ("increase", 5, 5, 6, D("100")),
        ("decrease", 5, 5, 4, D("100")),
        ("decrease", 5, 5, 6, D("0")),
        # A yes/no milestone: 0 or 100.
        ("milestone", None, None, 0, D("0")),
        ("milestone", None, None, 1, D("100")),
        ("milestone", 0, 1, 1, D("100")),
        # Rounded to one decimal.
        ("increase", 0, 3, 1, D("33.3")),
    ],
)
def test_achievement_for_each_kind_of_target(kind, baseline, target, value, expected):
    result = achievement(
        kind=kind,
        baseline=None if baseline is None else D(baseline),
        target=None if target is None else D(target),
        value=D(value),
    )
    assert result == expected


@pytest.mark.parametrize("kind", ["increase", "decrease", "percentage", "milestone"])
def test_no_measurement_yet_is_unknown(kind):
    assert achievement(kind=kind, baseline=D(1), target=D(0), value=None) is None


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(None, D(0)), (D("-5"), D(0)), (D("42.5"), D("42.5")), (D("100"), D(100)), (D(120), D(100))],
)
def test_roll_ups_use_a_capped_figure(percent, expected):
    assert capped(percent) == expected


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], None),
        ([(D(50), 1)], D("50.0")),
        ([(D(100), 30), (D(0), 70)], D("30.0")),  # departments by shares
        ([(D(150), 1), (D(0), 1)], D("50.0")),  # overshoot does not hide a miss
        ([(None, 1), (D(100), 1)], D("50.0")),  # no measurement counts as 0
        ([(D(80), 3), (D(40), 1)], D("70.0")),  # goals by weights
        ([(D(20), 0), (D(60), 0)], D("40.0")),  # all weights zero: plain average
        ([(D(100), 0), (D(50), 2)], D("50.0")),  # a zero weight counts for nothing
    ],
)
def test_weighted_average_rolls_up(pairs, expected):
    assert weighted_average(pairs) == expected
