# shellcheck shell=bash
# A TURN server on loopback (Debian's coturn) with one static user, for the call tests
# that force relay-only ICE, over UDP and over TCP (municipal networks often block UDP).
start_coturn() {
  local dir="$RUN_DIR/coturn"
  mkdir -p "$dir"
  export VIRTU_TEST_TURN_PORT=13478 VIRTU_TEST_TURN_USER=kiosk VIRTU_TEST_TURN_PASSWORD=turn-test-secret
  daemon_start coturn "ss -ltn | grep -q ':13478 '" \
    turnserver -n --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 --listening-port=13478 \
    --min-port=40000 --max-port=40100 --lt-cred-mech --user="kiosk:turn-test-secret" --realm=kiosk.test \
    --no-tls --no-dtls --no-cli --allow-loopback-peers --userdb="$dir/turndb" --log-file=stdout --simple-log \
    || return 1
}
