"""Shared pytest setup for the unit tests, the doctests in nnmath/ and the page runs."""

import matplotlib

# Figures in tests and doctests are drawn off-screen, on any machine.
matplotlib.use("Agg")
