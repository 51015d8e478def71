# shellcheck shell=bash
# CUPS with a virtual IPP Everywhere printer: system D-Bus, avahi on loopback only,
# ippeveprinter on :8631, a private cupsd (own ServerRoot, socket in $RUN_DIR), one queue.
start_cups() {
  local here dir
  here="$(dirname "${BASH_SOURCE[0]}")/cups"
  dir="$RUN_DIR/cups"
  rm -rf "$dir"
  mkdir -p "$dir"/{root,spool/tmp,cache,state,printer,printer-work} /run/dbus
  export VIRTU_PRINTER_SPOOL="$dir/printer"

  daemon_start dbus "[ -S /run/dbus/system_bus_socket ]" \
    dbus-daemon --system --nofork --nopidfile || return 1
  daemon_start avahi "avahi-daemon -c" \
    avahi-daemon -f "$here/avahi-lo-only.conf" --no-chroot --no-drop-root --no-rlimits || return 1
  daemon_start ippeveprinter "ipptool -q ipp://localhost:8631/ipp/print get-printer-attributes.test" \
    ippeveprinter -n localhost -p 8631 -d "$dir/printer-work" -k -c "$(realpath "$here/hook.sh")" \
    -f application/pdf,image/pwg-raster,image/urf,image/jpeg -M Test -m "Virtual Printer" kioskipp || return 1

  sed "s#@DIR@#$dir#g" "$here/cupsd.conf.in" >"$dir/root/cupsd.conf"
  sed "s#@DIR@#$dir#g" "$here/cups-files.conf.in" >"$dir/root/cups-files.conf"
  export CUPS_SERVER="$dir/cups.sock"
  daemon_start cupsd "lpstat -r | grep -q 'is running'" \
    cupsd -f -c "$dir/root/cupsd.conf" -s "$dir/root/cups-files.conf" || return 1
  # No "?contimeout=30" on the URI: ippeveprinter answers not-found to it, and the
  # IPP Everywhere PPD is then never made.
  lpadmin -p kioskprinter -E -v "ipp://localhost:8631/ipp/print" -m everywhere \
    -o PageSize=A4 -o printer-error-policy=abort-job || return 1

  export VIRTU_TEST_PRINTER=kioskprinter
  export VIRTU_TEST_PRINTER_SPOOL="$VIRTU_PRINTER_SPOOL"
  export VIRTU_TEST_IPP=ipp://localhost:8631/ipp/print
  export VIRTU_TEST_CUPS_ROOT="$dir"
}
