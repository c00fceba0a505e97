"""The benchmark's CPU time per request, read from /proc: a database connection that closes
during the load moves its time to the postmaster, and is counted once."""

import os

from bench.run import cpu_ticks, cpu_used


def test_cpu_used_follows_an_ended_process_into_its_parent():
    hertz = os.sysconf("SC_CLK_TCK")
    # 1 is the postmaster, 30 a connection that ends after using half a second more.
    before = {10: ("app", 100), 1: ("database", 0), 30: ("database", 400)}
    after = {10: ("app", 100 + hertz), 1: ("database", 400 + hertz // 2)}

    assert cpu_used(before, after) == {"app": 1.0, "database": 0.5}


def test_cpu_ticks_finds_the_children_of_a_process():
    ticks = cpu_ticks(os.getppid())

    part, used = ticks[os.getpid()]
    assert part == "app" and used >= 0
