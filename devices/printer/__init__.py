"""Printing vault documents through CUPS; printer state asked from the printer over IPP."""
from devices.printer.cups_printer import (
    ColourChoice, CupsPrinter, JobHandle, JobState, PageLimitExceeded, PrintError, PrintOptions, PrinterState,
)

__all__ = [
    "ColourChoice", "CupsPrinter", "JobHandle", "JobState", "PageLimitExceeded", "PrintError", "PrintOptions",
    "PrinterState",
]
