# Helpers for running libreswan's pluto as an interop peer (sources lib.sh; needs bash, root, iproute2,
# util-linux unshare, certutil from libnss3-tools, and libreswan unpacked in $LIBRESWAN_ROOT).
#
# Debian's libreswan package conflicts with strongswan-charon, so it is not installed with apt: .ci/run unpacks the
# .deb (`apt-get download libreswan; dpkg-deb -x`) into /opt/libreswan and installs its library dependencies.
# pluto runs its helpers from the compiled-in /usr/libexec/ipsec (addconn at startup, _updown): start_pluto gives it
# a private mount namespace in which the unpacked usr/libexec is bind-mounted over /usr/libexec, so nothing on the
# host changes. Everything else (ctl socket, pid file, NSS database, secrets, ipsec.d) is per-instance via options.

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LIBRESWAN_ROOT=${LIBRESWAN_ROOT:-/opt/libreswan}
LSW_LIBEXEC=$LIBRESWAN_ROOT/usr/libexec

# need_libreswan: fail unless pluto, whack and addconn are unpacked and certutil is installed.
need_libreswan() {
  local f
  for f in pluto whack addconn; do
    [ -x "$LSW_LIBEXEC/ipsec/$f" ] || { echo "missing $LSW_LIBEXEC/ipsec/$f (libreswan unpacked by .ci/run)" >&2; return 1; }
  done
  command -v certutil >/dev/null || { echo "missing certutil (apt-get install libnss3-tools)" >&2; return 1; }
  "$LSW_LIBEXEC/ipsec/pluto" --version >/dev/null 2>&1 || {
    echo "pluto does not run (libraries missing?):" >&2; ldd "$LSW_LIBEXEC/ipsec/pluto" | grep 'not found' >&2; return 1; }
}

# write_pluto_setup DIR: DIR/run (ctl socket, pid file), an empty-password NSS database in DIR/nss (pluto needs one
# even for PSK), and the `config setup` section of DIR/ipsec.conf (conns are appended by the caller).
# plutodebug=all: the debug lines carry the IKE SPIs of each state (pluto_ike_spis reads them).
write_pluto_setup() {
  local d=$1
  mkdir -p "$d/run" "$d/nss" "$d/ipsec.d"
  certutil -N -d "sql:$d/nss" --empty-password
  cat >"$d/ipsec.conf" <<EOF
config setup
  plutodebug=all
  ikev1-policy=accept
  dumpdir=$d/run

EOF
}

# write_pluto_psk_secrets DIR LOCAL REMOTE PSK: DIR/ipsec.secrets with PSK for the ID_IPV4_ADDR pair.
write_pluto_psk_secrets() {
  printf '%s %s : PSK "%s"\n' "$2" "$3" "$4" >"$1/ipsec.secrets"
  chmod 600 "$1/ipsec.secrets"
}

# start_pluto NS DIR CONN [PLUTO ARGS...]: pluto (--nofork, log on stderr into DIR/pluto-debug.log) in namespace NS with
# DIR/ipsec.conf, then wait until its control socket answers and CONN (auto=add, loaded by pluto's own addconn run)
# is listed. Sets pluto_pid (also in pids: the harness's cleanup SIGTERMs it; pluto then deletes its states).
# DIR/pluto.log gets the non-debug lines (what the harness's show_logs prints).
start_pluto() {
  local ns=$1 d=$2 conn=$3 i
  shift 3
  # $! must be pluto itself: ip netns exec and unshare exec, and sh execs pluto after the bind mount.
  ip netns exec "$ns" unshare -m --propagation private sh -c \
    "mount --bind '$LSW_LIBEXEC' /usr/libexec && exec /usr/libexec/ipsec/pluto --config '$d/ipsec.conf' \
     --rundir '$d/run' --nssdir '$d/nss' --secretsfile '$d/ipsec.secrets' --ipsecdir '$d/ipsec.d' --nofork --stderrlog $*" \
    >"$d/pluto-debug.log" 2>&1 &
  pluto_pid=$!; pids+=("$pluto_pid")
  tail --pid="$pluto_pid" -n +1 -F "$d/pluto-debug.log" 2>/dev/null | grep --line-buffered -v '^[A-Z][a-z][a-z] [0-9 ]* [0-9:.]*: |' >"$d/pluto.log" &
  pids+=($!)
  for i in $(seq 1 100); do
    kill -0 "$pluto_pid" 2>/dev/null || { echo "pluto exited, see $d/pluto-debug.log" >&2; tail -n 30 "$d/pluto-debug.log" >&2; return 1; }
    whack "$ns" "$d" --status 2>/dev/null | grep -qF "\"$conn\":" && return 0
    sleep 0.1
  done
  echo "pluto did not load connection $conn" >&2; return 1
}

# whack NS DIR ARGS...: pluto's control client against the pluto of DIR.
whack() { local ns=$1 d=$2; shift 2; ip netns exec "$ns" "$LSW_LIBEXEC/ipsec/whack" --rundir "$d/run" "$@"; }

# pluto_state_of DIR CONN PATTERN: the serial number of the first state of CONN whose non-debug log line matches PATTERN
# (an extended regex, e.g. 'IKE SA established'); empty if none.
pluto_state_of() {
  grep -v ': |' "$1/pluto-debug.log" | grep -E "\"$2\" #[0-9]+: .*($3)" | head -n 1 | sed -E 's/.*"'"$2"'" #([0-9]+): .*/\1/'
}

# pluto_ike_spis DIR CONN STATE: "ISPI RSPI" (16 hex digits each) of pluto's IKE SA #STATE, from the last debug line
# that hashes the state under both SPIs (pluto prints SPIs in no status command).
pluto_ike_spis() {
  grep -E "hash_table_entries\.ike_spis@[^ ]* \"$2\" #$3: ([0-9a-f]{2} *){16}" "$1/pluto-debug.log" |
    sed -E 's/.*"'"$2"'" #'"$3"': (([0-9a-f]{2} +){15}[0-9a-f]{2}) .*/\1/' | tr -d ' ' | grep -v '0000000000000000$' | tail -n 1 |
    sed -E 's/^(.{16})(.{16})$/\1 \2/'
}

# lsw_begin SCENARIO DLL [TAIL_LINES] LOG...: the start every libreswan interop script shares: sets scenario and dll
# (the script's two arguments), pids=() work="" ikex_pid="" pluto_pid="", then scenario_harness [TAIL_LINES] LOG...
lsw_begin() {
  scenario=$1 dll=$2
  shift 2
  pids=() work="" ikex_pid="" pluto_pid=""
  scenario_harness "$@"
}

# wait_pluto_showstates NS DIR OUT PATTERN: `whack --showstates` of the pluto of DIR in namespace NS into OUT, again every
# 0.1 s (15 s at most) until OUT matches the extended regular expression PATTERN or ikex ($ikex_pid) has exited.
wait_pluto_showstates() {
  local ns=$1 d=$2 out=$3 pattern=$4 i
  for i in $(seq 1 150); do
    whack "$ns" "$d" --showstates >"$out" 2>&1 || true
    grep -qE "$pattern" "$out" && break
    kill -0 "$ikex_pid" 2>/dev/null || break
    sleep 0.1
  done
}
