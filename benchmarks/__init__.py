"""Measured figures beside baselines taken in the same run: `python -m benchmarks --help`."""
