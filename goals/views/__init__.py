"""The pages of the goal-setting cycle, one module per domain."""
