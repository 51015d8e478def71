#!/usr/bin/env bash
# Remove the Virtu kiosk from a Debian 12 booth. Run as root:
#   bash installer/linux/uninstall.sh [--root DIR] [--purge]
#
#   --root DIR  remove from another root (a chroot or a mounted disk) instead of /
#   --purge     also remove /etc/virtu-kiosk/kiosk.toml, /var/lib/virtu-kiosk (statistics,
#               logs, the PIN's key-store file) and the user kiosk
#
# Undoes what install.sh did: the program, its units, the RAM spool for CUPS, the polkit
# rule, the swap changes (fstab lines it marked, swap.target masked), tty1's getty. The
# Debian packages (cage, pcscd, cups, SANE...) stay installed.
set -euo pipefail

ROOT=/
PURGE=0

# shellcheck source=layout.sh
. "$(dirname "$0")/layout.sh"

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
say() { echo "uninstall: $*"; }
die() { echo "uninstall: error: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case $1 in
    --root) [ $# -ge 2 ] || die "--root needs a folder"; ROOT=$2; shift 2 ;;
    --purge) PURGE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

[ "$(id -u)" -eq 0 ] || die "run this as root"
[ -d "$ROOT" ] || die "--root $ROOT is not a folder"
ROOT=$(realpath "$ROOT")


if live; then
  say "stopping the kiosk"
  systemctl stop "$UNIT" 2>/dev/null || true
  if mountpoint -q "$SPOOL"; then
    systemctl stop cups.service cups.socket cups.path 2>/dev/null || true
    systemctl stop "$SPOOL_MOUNT" 2>/dev/null || umount "$SPOOL" || true
  fi
fi
for u in "$UNIT" "$SPOOL_MOUNT"; do
  if [ -e "$(r "$UNIT_DIR/$u")" ]; then in_root systemctl disable "$u" || true; fi
done

say "removing the program, its units and settings for pcscd and CUPS"
rm -rf "$(r "$APP_DIR")" "$(r "$APP_DIR").new" "$(r "$APP_DIR").old"
rm -f "$(r "$SESSION")" "$(r "$UNIT_DIR/$UNIT")" "$(r "$UNIT_DIR/$SPOOL_MOUNT")" \
  "$(r "$CUPS_DROPIN")" "$(r "$TMPFILES")" "$(r "$POLKIT_RULE")"
rmdir "$(r "$(dirname "$CUPS_DROPIN")")" 2>/dev/null || true

# Swap as before: the fstab lines install.sh marked, and swap.target.
fstab=$(r /etc/fstab)
if [ -f "$fstab" ]; then
  sed -i "s/^$FSTAB_MARK//" "$fstab"
fi
in_root systemctl unmask swap.target || true
# A console login on tty1 again.
in_root systemctl enable getty@tty1.service || true

if [ "$PURGE" = 1 ]; then
  say "--purge: removing $CONF, $DATA_DIR and the user $KIOSK_USER"
  rm -f "$(r "$CONF")"
  rmdir "$(r "$CONF_DIR")" 2>/dev/null || true
  rm -rf "$(r "$DATA_DIR")"
  if grep -q "^$KIOSK_USER:" "$(r /etc/passwd)"; then in_root userdel "$KIOSK_USER"; fi
else
  say "kept $CONF, $DATA_DIR and the user $KIOSK_USER (--purge removes them)"
fi

if live; then
  systemctl daemon-reload
  swapon -a || true
  systemctl start cups.service 2>/dev/null || true
  systemctl start getty@tty1.service 2>/dev/null || true
fi
say "done"
