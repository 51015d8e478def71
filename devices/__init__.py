"""Booth hardware layer. No Qt here: devices report health() and raise events."""
