"""Document scanner: one interface, a SANE back end, pages kept in the session vault."""
from devices.scanner.base import (
    ColourMode, CoverOpen, NoDocument, PaperJam, ScanCancelled, ScanError, ScanOptions, Scanner, ScannerInfo,
)
from devices.scanner.pdf import make_pdf, save_page

__all__ = [
    "ColourMode", "CoverOpen", "NoDocument", "PaperJam", "ScanCancelled", "ScanError", "ScanOptions",
    "Scanner", "ScannerInfo", "make_pdf", "save_page",
]
