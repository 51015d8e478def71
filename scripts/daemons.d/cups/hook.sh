#!/bin/sh
# ippeveprinter's per-job command: keep the document where the tests can see it arrived.
cp "$1" "$VIRTU_PRINTER_SPOOL/" && echo "ATTR: job-impressions-completed=1" >&2
