"""Benchmarks (docs/adr/0012-benchmarks.md). Entry point: `bench/run.py`."""
