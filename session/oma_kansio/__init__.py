"""Oma kansio over WebDAV: sign-in, listing, transfers into and out of the vault."""
