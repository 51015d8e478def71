"""The Qt shell of the Virtu kiosk: the only package that imports Qt."""

__version__ = "0.1.0"
