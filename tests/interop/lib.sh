# Shared helpers for the strongSwan interop scripts in tests/interop (source it; needs bash, root, iproute2,
# util-linux unshare, strongswan-charon, strongswan-swanctl).
#
# The caller defines `pids=()` (every background process it starts goes there; its cleanup kills them) and
# calls lab_down from its EXIT trap (scenario_harness's cleanup does; interop_begin sets both up).
# lib-strongswan.sh (sourced at the end) holds the steps and checks the strongSwan scenario scripts share.

# lab_up PREFIX [MTU]: namespaces PREFIX-a (192.0.2.1, 2001:db8::1) and PREFIX-b (192.0.2.2, 2001:db8::2) joined by
# the veth pair PREFIX-va/PREFIX-vb (interface names <= 15 chars, so PREFIX <= 12). Each side also owns an inner
# tunnel address on lo: A 198.51.100.1, B 198.51.100.2 (documentation ranges only; nothing leaves the pair).
# Sets NA NB VA VB.
lab_up() {
  local p=$1 mtu=${2:-1500} ns
  NA=$p-a NB=$p-b VA=$p-va VB=$p-vb
  lab_down                                   # leftovers of an aborted run with the same prefix
  ip netns add "$NA"; ip netns add "$NB"
  ip link add "$VA" type veth peer name "$VB"
  ip link set "$VA" netns "$NA"; ip link set "$VB" netns "$NB"
  ip -n "$NA" addr add 192.0.2.1/24 dev "$VA"; ip -n "$NB" addr add 192.0.2.2/24 dev "$VB"
  ip -n "$NA" -6 addr add 2001:db8::1/64 dev "$VA" nodad; ip -n "$NB" -6 addr add 2001:db8::2/64 dev "$VB" nodad
  for ns in "$NA:$VA" "$NB:$VB"; do
    ip -n "${ns%%:*}" link set "${ns#*:}" mtu "$mtu" up
    ip -n "${ns%%:*}" link set lo up
  done
  # Inner addresses for tunnel-mode traffic selectors (kernel-libipsec refuses selectors equal to the IKE peers).
  ip -n "$NA" addr add 198.51.100.1/32 dev lo; ip -n "$NB" addr add 198.51.100.2/32 dev lo
}

lab_down() {
  [ -n "${NA:-}" ] && ip netns del "$NA" 2>/dev/null || true
  [ -n "${NN:-}" ] && ip netns del "$NN" 2>/dev/null || true
  [ -n "${NB:-}" ] && ip netns del "$NB" 2>/dev/null || true
}

# nat_lab_up PREFIX [nft masquerade options, e.g. "random"]: three namespaces for NAT traversal (needs nftables):
#   PREFIX-a  private host 192.0.2.1/24 on PREFIX-an, default route via 192.0.2.254; inner 198.51.100.1/32 on lo
#   PREFIX-n  NAT router: 192.0.2.254/24 on PREFIX-na, 203.0.113.254/24 on PREFIX-nb, ip_forward=1, nftables
#             `masquerade` on PREFIX-nb (the public side): everything from A leaves as 203.0.113.254
#   PREFIX-b  public host 203.0.113.2/24 on PREFIX-bn (no route back to 192.0.2.0/24: only the NAT's address is
#             reachable); inner 198.51.100.2/32 on lo
# (PREFIX <= 12 characters.) Sets NA NN NB VA VB (VA/VB: A's and B's interfaces).
nat_lab_up() {
  local p=$1 masq=${2:-}
  NA=$p-a NN=$p-n NB=$p-b VA=$p-an VB=$p-bn
  lab_down
  ip netns add "$NA"; ip netns add "$NN"; ip netns add "$NB"
  ip link add "$VA" type veth peer name "$p-na"
  ip link add "$VB" type veth peer name "$p-nb"
  ip link set "$VA" netns "$NA"; ip link set "$p-na" netns "$NN"
  ip link set "$VB" netns "$NB"; ip link set "$p-nb" netns "$NN"
  ip -n "$NA" addr add 192.0.2.1/24 dev "$VA"
  ip -n "$NN" addr add 192.0.2.254/24 dev "$p-na"; ip -n "$NN" addr add 203.0.113.254/24 dev "$p-nb"
  ip -n "$NB" addr add 203.0.113.2/24 dev "$VB"
  ip -n "$NA" link set "$VA" up; ip -n "$NN" link set "$p-na" up; ip -n "$NN" link set "$p-nb" up; ip -n "$NB" link set "$VB" up
  local ns
  for ns in "$NA" "$NN" "$NB"; do ip -n "$ns" link set lo up; done
  ip -n "$NA" route add default via 192.0.2.254
  ip netns exec "$NN" sh -c "echo 1 >/proc/sys/net/ipv4/ip_forward"
  printf 'table ip nat {\n  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n    oifname "%s" masquerade %s\n  }\n}\n' \
    "$p-nb" "$masq" | ip netns exec "$NN" nft -f -
  ip -n "$NA" addr add 198.51.100.1/32 dev lo; ip -n "$NB" addr add 198.51.100.2/32 dev lo
}

# write_strongswan_conf DIR LIBIPSEC(yes|no) FRAGMENT_SIZE [EXTRA_LOG]
# EXTRA_LOG: more filelog levels, e.g. "enc = 2" (one "key = value" per line).
write_strongswan_conf() {
  local kernel=kernel-netlink
  [ "$2" = yes ] && kernel="kernel-libipsec kernel-netlink"   # kernel-netlink still provides kernel-net
  # kernel-netlink: no ESP in this kernel, so CHILD_SA install fails after Quick Mode/IKE_AUTH went over the wire,
  #   but IKE stays on port 500. kernel-libipsec: userspace ESP (tunnel only) that fakes NAT-D => port 4500.
  # A custom load list needs kdf (5.9.x) or key derivation fails.
  cat >"$1/strongswan.conf" <<EOF
charon {
  load_modular = no
  load = random nonce openssl kdf pem pkcs1 x509 pubkey constraints $kernel socket-default vici
  port = 500
  port_nat_t = 4500
  install_routes = $2
  send_vendor_id = yes
  fragment_size = $3
  filelog {
    main {
      path = $1/charon.log
      default = 1
      ike = 2
${4:-}
      flush_line = yes
    }
  }
  plugins {
    vici {
      socket = unix://$1/charon.vici
    }
  }
}
swanctl {
  load = random openssl pem pkcs1 x509 pubkey
}
EOF
}

# start_charon NS DIR: charon with DIR/strongswan.conf in namespace NS, then loads DIR/swanctl.conf.
# charon has a compiled-in /run/charon.pid: give each instance a private mount namespace with tmpfs on /run.
start_charon() {
  ip netns exec "$1" unshare -m --propagation private sh -c \
    "mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF='$2/strongswan.conf' /usr/lib/ipsec/charon" \
    >"$2/charon.out" 2>&1 &
  pids+=($!); echo $! >"$2/charon.pid"
  local i
  for i in $(seq 1 50); do [ -S "$2/charon.vici" ] && break; sleep 0.1; done
  [ -S "$2/charon.vici" ] || { echo "charon did not start, see $2/charon.out" >&2; cat "$2/charon.out" >&2; return 1; }
  sw "$2" --load-all --file "$2/swanctl.conf" >"$2/load.out" 2>&1 || { cat "$2/load.out" >&2; return 1; }
}

# sw DIR ARGS...: swanctl against the charon of DIR.
sw() { local d=$1; shift; STRONGSWAN_CONF="$d/strongswan.conf" swanctl "$@" --uri "unix://$d/charon.vici"; }

stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# need_tools CMD...: fail unless root and every command exists.
need_tools() {
  [ "$(id -u)" = 0 ] || { echo "run as root (network/mount namespaces)" >&2; return 1; }
  local c
  for c in "$@"; do command -v "$c" >/dev/null || { echo "missing $c" >&2; return 1; }; done
}

# make_test_pki DIR [BITS]: a throw-away RSA PKI made with strongSwan's pki (package strongswan-pki) in DIR:
# ca.key/ca.pem ("C=XX, O=IkeExtensions, CN=IkeExtensions Test CA") and, for s in a b, s.key (PKCS#1 PEM) and
# s.pem ("C=XX, O=IkeExtensions, CN=s.ike.test", subjectAltName s.ike.test), all valid 10 years. BITS defaults to 3072.
# Throw-away only: the keys are not protected in any way.
make_test_pki() {
  local dir=$1 bits=${2:-3072} s
  mkdir -p "$dir"
  # Own plugin list: the default one names plugins Debian does not ship (noisy "failed to load" lines).
  printf 'pki {\n  load = random openssl pem pkcs1 x509 pubkey\n}\n' >"$dir/pki.conf"
  (
    export STRONGSWAN_CONF=$dir/pki.conf
    pki --gen --type rsa --size "$bits" --outform pem >"$dir/ca.key"
    pki --self --ca --lifetime 3650 --in "$dir/ca.key" --dn "C=XX, O=IkeExtensions, CN=IkeExtensions Test CA" \
        --outform pem >"$dir/ca.pem"
    for s in a b; do
      pki --gen --type rsa --size "$bits" --outform pem >"$dir/$s.key"
      pki --pub --in "$dir/$s.key" | pki --issue --cacert "$dir/ca.pem" --cakey "$dir/ca.key" \
          --dn "C=XX, O=IkeExtensions, CN=$s.ike.test" --san "$s.ike.test" --lifetime 3650 --outform pem \
          >"$dir/$s.pem"
    done
  )
}

# scenario_harness [TAIL_LINES] LOG...: the verdict protocol every interop script shares. Defines note, show_logs,
# cleanup, pass, fail and the traps. The caller sets `scenario`, `pids=()` and `work` (the temp dir, "" until made);
# LOG names are relative to $work and may be globs (e.g. '*/charon.log'). The last line printed is always
# "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1), also on a script error or a signal;
# KEEP=1 keeps $work for a post-mortem.
scenario_harness() {
  harness_tail=60
  case "${1:-}" in ''|*[!0-9]*) ;; *) harness_tail=$1; shift ;; esac
  harness_logs=("$@") verdict_done=""
  trap 'err_line=$LINENO' ERR
  trap on_exit EXIT
  trap 'exit 130' INT TERM
}
note() { echo "== $*"; }
# Print the tails of every log we have (charon's config dump left out), then the verdict line last.
show_logs() {
  [ -n "${work:-}" ] || return 0
  local pattern f
  for pattern in "${harness_logs[@]}"; do
    for f in "$work"/$pattern; do
      [ -s "$f" ] || continue
      echo "---- ${f#"$work"/} (tail) ----"
      grep -v "\[CFG\]   " "$f" | tail -n "$harness_tail" | sed -E 's/^[A-Z][a-z]{2} [0-9 ]{2} [0-9:]{8} //'
    done
  done
}
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
  lab_down
  if [ -n "${work:-}" ]; then
    if [ -n "${KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
    work=""
  fi
}
pass() { cleanup; verdict_done=1; echo "PASS $scenario"; exit 0; }
fail() { show_logs; cleanup; verdict_done=1; echo "FAIL $scenario: $*"; exit 1; }
on_exit() {
  local rc=$?
  [ -n "$verdict_done" ] && return
  show_logs; cleanup; echo "FAIL ${scenario:-?}: script error (exit $rc) near line ${err_line:-?}"; exit 1
}

# start_sa_monitor DIR OUT: `swanctl --monitor-sa --raw` against the charon of DIR, its output in OUT (line-buffered),
# and wait until charon has registered it for ike-updown. The ike-updown/child-updown events are the evidence the
# checks read: ikex deletes its SAs when it exits, so a later `swanctl --list-sas` may come too late.
start_sa_monitor() {
  stdbuf -oL env STRONGSWAN_CONF="$1/strongswan.conf" swanctl --monitor-sa --raw --uri "unix://$1/charon.vici" \
    >"$2" 2>&1 &
  pids+=($!)
  local i
  for i in $(seq 1 50); do grep -q 'registered for: .*ike-updown' "$1/charon.log" && break; sleep 0.1; done
}

# start_ikex_responder NS DLL CTL OUT LOG ARGS...: `ikex responder ARGS... --control CTL` in namespace NS (stdout to
# OUT, stderr to LOG), then wait until it listens on UDP 500 and its control socket exists. Sets ikex_pid (also in
# pids). Started directly, not through a shell function: $! must be the dotnet process itself (ip netns exec execs
# it), so cleanup's SIGTERM reaches it; processes in a deleted namespace live on. Calls the harness's fail.
# ikex_listen_port=4500 start_ikex_responder ...: wait for UDP 4500 (the NAT-T socket) instead of 500.
start_ikex_responder() {
  local ns=$1 dll=$2 ctl=$3 out=$4 log=$5 port=${ikex_listen_port:-500} i
  shift 5
  ip netns exec "$ns" dotnet "$dll" responder "$@" --control "$ctl" >"$out" 2>"$log" &
  ikex_pid=$!; pids+=("$ikex_pid")
  for i in $(seq 1 100); do
    kill -0 "$ikex_pid" 2>/dev/null || fail "ikex responder exited early"
    ip netns exec "$ns" ss -Hunl "sport = :$port" | grep -q . && [ -S "$ctl" ] && break
    sleep 0.1
  done
  ip netns exec "$ns" ss -Hunl "sport = :$port" | grep -q . || fail "ikex responder does not listen on UDP $port"
}

# sw_initiate DIR CHILD OUT: `swanctl --initiate --child CHILD` against the charon of DIR (30 s), output in OUT.
# Sets rc and notes it with swanctl's verdict line. A non-zero rc is not a failure here: without ESP in this kernel
# charon cannot install the CHILD_SA while the IKE SA is up; the caller checks what matters.
sw_initiate() {
  rc=0; sw "$1" --initiate --child "$2" --timeout 30 >"$3" 2>&1 || rc=$?
  note "swanctl --initiate rc=$rc ($(grep -E 'initiate (completed|failed)' "$3" || tail -n 1 "$3"))"
}

# swanctl_psk_auth [LOCAL_ID REMOTE_ID]: the local/remote sections of a swanctl.conf connection for charon in B
# (lab_up's 192.0.2.2) talking to us in A (192.0.2.1), both authenticating with the pre-shared key under ID_IPV4_ADDR
# identities (RFC 2409 §5.4 / RFC 7296 §2.15); LOCAL_ID/REMOTE_ID (charon's, ours) replace the two addresses.
# Printed at the connection's indentation, for use inside a heredoc.
swanctl_psk_auth() {
  cat <<EOC
    local {
      auth = psk
      id = ${1:-192.0.2.2}
    }
    remote {
      auth = psk
      id = ${2:-192.0.2.1}
    }
EOC
}

# swanctl_psk_secrets PSK [ID_A ID_B]: swanctl.conf's secrets section with PSK for the A/B identity pair of
# swanctl_psk_auth (ID_A ours, default 192.0.2.1; ID_B charon's, default 192.0.2.2).
swanctl_psk_secrets() {
  cat <<EOC
secrets {
  ike-ab {
    id-a = ${2:-192.0.2.1}
    id-b = ${3:-192.0.2.2}
    secret = "$1"
  }
}
EOC
}

# shellcheck source=lib-strongswan.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-strongswan.sh"
