# shellcheck shell=bash
# The smart-card service with vsmartcard's virtual readers (Debian's vsmartcard-vpcd adds
# "Virtual PCD 00 00" on TCP 35963 and "Virtual PCD 00 01" on 35964). The tests' virtual
# FINEID card (tests/virtual_card/) connects there: connecting = card inserted. /run is the
# test namespace's private tmpfs, so this pcscd is invisible to the machine's own.
start_pcscd() {
  daemon_start --clear /run/pcscd/pcscd.comm --clear /run/pcscd/pcscd.pid \
    pcscd "ss -ltn | grep -q ':35963 '" pcscd --foreground --info || return 1
  export VIRTU_TEST_VPCD_PORT=35963
}
