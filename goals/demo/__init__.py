"""Demo data of the goal-setting cycle (loaded by `manage.py seed_demo`)."""
