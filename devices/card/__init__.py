"""Finnish ID cards (FINEID) over PC/SC: watch readers, read the holder, PIN and signing."""
