"""A virtual Finnish ID card (FINEID v3, PKCS#15) for the tests and the card benchmark.

It plays the card's side of vsmartcard's vpcd protocol: the card connects to the reader's
TCP port (connecting = inserted, closing = removed); each message is a 2-byte big-endian
length and a payload; a 1-byte payload is a control code (0 power off, 1 power on, 2 reset,
4 send the ATR), anything longer an APDU that gets a response APDU back.
"""
from __future__ import annotations

from virtual_card.card import Behaviour, VirtualFineid
from virtual_card.identities import HOLDERS, Holder, make_certificate
from virtual_card.reader import VPCD_READER, wait_reader

__all__ = ["HOLDERS", "VPCD_READER", "Behaviour", "Holder", "VirtualFineid", "make_certificate", "wait_reader"]
