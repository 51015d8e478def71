"""Layers drawn over the whole window: the idle warning and the cleaning lock."""
