"""Maintenance-mode core without Qt: PIN, lock-out, key store, log buffer, CLI commands."""
