"""Barcodes at the booth: the camera-frame decoder, untrusted payload handling and the
keyboard-wedge scanner detector. No Qt; plain functions and small classes."""
