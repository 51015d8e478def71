"""Reusable widgets of the kiosk shell."""
