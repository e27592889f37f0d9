"""Benchmarks and the synthetic document corpus (not part of the app)."""
