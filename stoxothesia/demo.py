"""Demo data shared by the seed_demo command, the README and the start script."""

DEMO_PASSWORD = "heraklion-demo"
