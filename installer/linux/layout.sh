# shellcheck shell=bash
# Where the booth install puts things, and how both scripts reach the target system
# (ROOT: / on a booth, a chroot in the tests): sourced by install.sh and uninstall.sh, so
# that the uninstall removes exactly what the install made.
# shellcheck disable=SC2034  # each script uses its own part of the list
APP_DIR=/opt/virtu-kiosk
KIOSK_USER=kiosk
DATA_DIR=/var/lib/virtu-kiosk
CONF_DIR=/etc/virtu-kiosk
CONF=$CONF_DIR/kiosk.toml
UNIT_DIR=/etc/systemd/system
UNIT=virtu-kiosk.service
SESSION=/usr/local/libexec/virtu-kiosk-session
SPOOL=/var/spool/cups
SPOOL_MOUNT=var-spool-cups.mount
CUPS_DROPIN=$UNIT_DIR/cups.service.d/virtu-kiosk.conf
TMPFILES=/etc/tmpfiles.d/virtu-kiosk.conf
POLKIT_RULE=/etc/polkit-1/rules.d/60-virtu-kiosk-pcscd.rules
FSTAB_MARK='#virtu-kiosk-swap-off# '

# A path in the target system; is the target this running system; run a command there.
r() { printf '%s%s' "${ROOT%/}" "$1"; }
live() { [ "$ROOT" = / ]; }
in_root() {
  if live; then "$@"; else chroot "$ROOT" "$@"; fi
}
