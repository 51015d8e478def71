#!/usr/bin/env bash
# Install (or update) the Virtu kiosk on a Debian 12 booth. Run as root:
#   bash installer/linux/install.sh [--from BUILD] [--root DIR] [--no-apt]
#       [--config-template FILE] [--remove-vpcd]
#
#   --from DIR    the PyInstaller one-folder build holding the program `virtu-kiosk`
#                 (default: dist/virtu-kiosk)
#   --root DIR    install into another root (a chroot or a mounted disk) instead of /;
#                 commands then run with `chroot DIR` and nothing is started
#   --no-apt      do not install the Debian packages (they must be there already)
#   --config-template FILE
#                 the file copied to /etc/virtu-kiosk/kiosk.toml when that is absent (default:
#                 kiosk.example.toml in the build, next to this script, or the repo's
#                 docs/kiosk.example.toml)
#   --remove-vpcd purge the test-only virtual card reader vsmartcard-vpcd if present
#                 (without it the installer refuses to run when it finds it)
#
# Safe to run again: that is how an update is installed. It never overwrites
# /etc/virtu-kiosk/kiosk.toml and never touches /var/lib/virtu-kiosk's contents.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

FROM=dist/virtu-kiosk
ROOT=/
DO_APT=1
TEMPLATE=
REMOVE_VPCD=0

# shellcheck source=layout.sh
. "$(dirname "$0")/layout.sh"
KIOSK_GROUPS=(scanner lp video render input audio)
# cage/pcscd/cups/SANE/fonts for the kiosk; libvlc (the attract video) and libzbar
# (barcodes), which the frozen build loads from the system; polkitd, libpam-systemd and
# dbus for the logind session cage needs and the polkit rule for pcscd.
PACKAGES=(cage pcscd cups sane-utils libsane1 fonts-dejavu libvlc5 vlc-plugin-base vlc-plugin-video-output libzbar0
  polkitd libpam-systemd dbus)

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
say() { echo "install: $*"; }
die() { echo "install: error: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case $1 in
    --from) [ $# -ge 2 ] || die "--from needs a folder"; FROM=$2; shift 2 ;;
    --root) [ $# -ge 2 ] || die "--root needs a folder"; ROOT=$2; shift 2 ;;
    --no-apt) DO_APT=0; shift ;;
    --config-template) [ $# -ge 2 ] || die "--config-template needs a file"; TEMPLATE=$2; shift 2 ;;
    --remove-vpcd) REMOVE_VPCD=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

[ "$(id -u)" -eq 0 ] || die "run this as root"
[ -d "$ROOT" ] || die "--root $ROOT is not a folder"
ROOT=$(realpath "$ROOT")
[ -d "$FROM" ] || die "--from $FROM is not a folder (build it with: pyinstaller kiosk.spec)"
FROM=$(realpath "$FROM")
if [ ! -f "$FROM/virtu-kiosk" ] || [ ! -x "$FROM/virtu-kiosk" ]; then
  die "$FROM has no executable virtu-kiosk"
fi

# A path inside the target root.
unit_exists() {
  local d
  for d in /etc/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
    [ -e "$(r "$d/$1")" ] && return 0
  done
  return 1
}

[ "$(r "$APP_DIR")" != "$FROM" ] || die "--from is the installed folder itself; copy the new build elsewhere first"

# --- Never the virtual card reader --------------------------------------------------------
# vsmartcard-vpcd makes pcscd listen for a "virtual smart card" on the network (0.0.0.0):
# fine on a test machine, never on a booth.
vpcd_present() {
  in_root dpkg -s vsmartcard-vpcd >/dev/null 2>&1 && return 0
  [ -e "$(r /etc/reader.conf.d/vpcd)" ] && return 0
  compgen -G "$(r /usr/lib/pcsc/drivers)/*/libifdvpcd*" >/dev/null && return 0
  return 1
}
check_no_vpcd() {
  vpcd_present || return 0
  if [ "$REMOVE_VPCD" = 1 ]; then
    say "purging the virtual card reader vsmartcard-vpcd"
    if in_root dpkg -s vsmartcard-vpcd >/dev/null 2>&1; then
      in_root dpkg --purge vsmartcard-vpcd
    fi
    rm -f "$(r /etc/reader.conf.d/vpcd)"
    rm -f "$(r /usr/lib/pcsc/drivers)"/*/libifdvpcd*
    vpcd_present && die "vsmartcard-vpcd is still present"
    return 0
  fi
  die "the virtual card reader vsmartcard-vpcd is installed: it must never be on a booth.
  Remove it (apt-get purge vsmartcard-vpcd) or run again with --remove-vpcd."
}
check_no_vpcd

# --- Debian packages ------------------------------------------------------------------------
if [ "$DO_APT" = 1 ]; then
  say "installing Debian packages: ${PACKAGES[*]}"
  export DEBIAN_FRONTEND=noninteractive
  in_root apt-get -o DPkg::Lock::Timeout=600 -q update
  in_root apt-get -o DPkg::Lock::Timeout=600 -q install -y --no-install-recommends "${PACKAGES[@]}"
  check_no_vpcd
else
  say "--no-apt: not installing Debian packages"
fi

# --- The kiosk user ---------------------------------------------------------------------
for g in "${KIOSK_GROUPS[@]}"; do
  grep -q "^$g:" "$(r /etc/group)" || in_root groupadd --system "$g"
done
groups_csv=$(IFS=,; echo "${KIOSK_GROUPS[*]}")
if grep -q "^$KIOSK_USER:" "$(r /etc/passwd)"; then
  in_root usermod --append --groups "$groups_csv" "$KIOSK_USER"
else
  say "creating the system user $KIOSK_USER"
  in_root useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
    --shell /usr/sbin/nologin --comment "Virtu kiosk" --groups "$groups_csv" "$KIOSK_USER"
fi
mkdir -p "$(r "$DATA_DIR")"
in_root chown "$KIOSK_USER:$KIOSK_USER" "$DATA_DIR"
chmod 0700 "$(r "$DATA_DIR")"

# --- The program ----------------------------------------------------------------------------
# Copied beside the old one and swapped in, so a failed copy leaves the old one working.
say "copying $FROM to $APP_DIR"
dst=$(r "$APP_DIR")
mkdir -p "$(dirname "$dst")"
rm -rf "$dst.new" "$dst.old"
cp -a "$FROM" "$dst.new"
chown -R 0:0 "$dst.new"
chmod -R u+rwX,go+rX,go-w "$dst.new"
if [ -e "$dst" ]; then mv "$dst" "$dst.old"; fi
mv "$dst.new" "$dst"
rm -rf "$dst.old"

install -D -m 0755 "$SCRIPT_DIR/virtu-kiosk-session" "$(r "$SESSION")"

# --- systemd units --------------------------------------------------------------------------
install -D -m 0644 "$SCRIPT_DIR/$UNIT" "$(r "$UNIT_DIR/$UNIT")"

# The CUPS spool holds copies of printed documents: keep it in RAM.
lp_gid=$(awk -F: '$1 == "lp" { print $3 }' "$(r /etc/group)")
[ -n "$lp_gid" ] || die "no group lp in $(r /etc/group)"
cat >"$(r "$UNIT_DIR/$SPOOL_MOUNT")" <<EOF
# Written by virtu-kiosk install.sh: the CUPS spool (copies of printed documents) in RAM,
# so no print job outlives a reboot.
[Unit]
Description=CUPS spool in RAM (virtu-kiosk)
Before=cups.service

[Mount]
What=tmpfs
Where=$SPOOL
Type=tmpfs
Options=mode=0710,uid=0,gid=$lp_gid,nosuid,nodev,noexec,size=25%

[Install]
WantedBy=local-fs.target
EOF
chmod 0644 "$(r "$UNIT_DIR/$SPOOL_MOUNT")"
install -d -m 0755 "$(r "$(dirname "$CUPS_DROPIN")")"
cat >"$(r "$CUPS_DROPIN")" <<EOF
# Written by virtu-kiosk install.sh: CUPS starts only once its spool is in RAM.
[Unit]
RequiresMountsFor=$SPOOL
EOF
install -d -m 0755 "$(r "$(dirname "$TMPFILES")")"
cat >"$(r "$TMPFILES")" <<EOF
# Written by virtu-kiosk install.sh: CUPS's temporary folder inside the RAM spool.
d $SPOOL/tmp 1770 root lp -
EOF

# --- pcscd for the kiosk user ---------------------------------------------------------------
# pcscd built with polkit (Debian 13's; Debian 12's 1.9.9 is built without it and lets
# every local user in) asks polkit; this rule lets the kiosk use the readers and cards.
install -d -m 0755 "$(r "$(dirname "$POLKIT_RULE")")"
cat >"$(r "$POLKIT_RULE")" <<EOF
// Written by virtu-kiosk install.sh: the kiosk user may use PC/SC readers and ID cards.
polkit.addRule(function(action, subject) {
    if ((action.id == "org.debian.pcsc-lite.access_pcsc" ||
         action.id == "org.debian.pcsc-lite.access_card") &&
        subject.user == "$KIOSK_USER") {
        return polkit.Result.YES;
    }
});
EOF
chmod 0644 "$(r "$POLKIT_RULE")"

# --- The booth's configuration (only when absent) -------------------------------------------
if [ -e "$(r "$CONF")" ]; then
  say "keeping the existing $CONF"
else
  if [ -z "$TEMPLATE" ]; then
    for t in "$FROM/kiosk.example.toml" "$SCRIPT_DIR/kiosk.example.toml" \
      "$SCRIPT_DIR/../../docs/kiosk.example.toml"; do
      if [ -f "$t" ]; then TEMPLATE=$t; break; fi
    done
  fi
  if [ -z "$TEMPLATE" ] || [ ! -f "$TEMPLATE" ]; then
    die "no configuration template found: pass --config-template FILE (docs/kiosk.example.toml)"
  fi
  say "writing $CONF from $TEMPLATE: edit it for this booth"
  install -d -m 0755 "$(r "$CONF_DIR")"
  install -m 0640 "$TEMPLATE" "$(r "$CONF")"
  in_root chown "root:$KIOSK_USER" "$CONF"
fi

# --- No swap -------------------------------------------------------------------------------
# Memory holding a resident's documents must never be written to disk. Three layers:
# swap lines in /etc/fstab are commented out (marked, so uninstall.sh can restore them),
# swap.target is masked (no swap unit is pulled in at boot, including partitions found by
# systemd-gpt-auto-generator), and on a live system `swapoff -a` ends swap now.
fstab=$(r /etc/fstab)
if [ -f "$fstab" ]; then
  sed -i -E "/^[[:space:]]*[^#[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+swap([[:space:]]|$)/s/^/$FSTAB_MARK/" "$fstab"
fi
in_root systemctl mask swap.target

# --- Enable ------------------------------------------------------------------------------
for u in pcscd.socket cups.service; do
  if unit_exists "$u"; then
    in_root systemctl enable "$u"
  else
    echo "install: warning: $u is not installed (--no-apt?); not enabled" >&2
  fi
done
in_root systemctl enable "$SPOOL_MOUNT" "$UNIT"
# The kiosk owns tty1; a console login stays on tty2 (Ctrl+Alt+F2) and over ssh.
in_root systemctl disable getty@tty1.service
in_root systemctl set-default graphical.target

if live; then
  systemctl daemon-reload
  swapoff -a
  if ! mountpoint -q "$SPOOL"; then
    # Jobs already on disk may hold documents: removed before the RAM spool covers them.
    systemctl stop cups.service cups.socket cups.path 2>/dev/null || true
    find "$SPOOL" -maxdepth 1 -type f -name '[cd][0-9]*' -delete 2>/dev/null || true
    systemctl start "$SPOOL_MOUNT"
    systemd-tmpfiles --create "$TMPFILES"
  fi
  systemctl restart pcscd.socket cups.service || echo "install: warning: could not (re)start pcscd/cups" >&2
  say "done. Start the kiosk with a reboot, or from ssh / tty2: systemctl restart $UNIT"
else
  say "done (into $ROOT; nothing started)"
fi
