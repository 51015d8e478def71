"""Fleet health and signed configuration: booths enrol, report every minute and fetch
their configuration; admins see every booth on one page."""
