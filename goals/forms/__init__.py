"""The forms of the goal-setting cycle, one module per domain."""
