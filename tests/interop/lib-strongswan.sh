# Steps and checks the strongSwan interop scripts share (sourced by lib.sh; uses its fail, note, sw, start_charon,
# start_sa_monitor, swanctl_psk_auth). Every function that checks calls the harness's fail, so it must run in the
# script's own shell (not in a $(...) substitution).

# interop_begin SCENARIO DLL [TAIL_LINES] LOG...: the start every strongSwan interop script shares: sets scenario and dll
# (the script's two arguments), pids=() work="" ikex_pid="" cap_pid="", then scenario_harness [TAIL_LINES] LOG...
# (the PASS/FAIL verdict protocol and its traps).
interop_begin() {
  scenario=$1 dll=$2
  shift 2
  pids=() work="" ikex_pid="" cap_pid=""
  scenario_harness "$@"
}

# make_work NAME: work=$(mktemp -d /tmp/NAME.XXXXXX), the scenario's temp dir, with $work/b for charon in B.
make_work() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  mkdir -p "$work/b"
}

# unknown_scenario USAGE: the verdict for a scenario name the script does not know ("usage: SCRIPT USAGE <ikex.dll>"
# on stderr, then "FAIL <scenario>: unknown scenario"); exits 1.
unknown_scenario() {
  echo "usage: $0 $1 <ikex.dll>" >&2
  verdict_done=1; echo "FAIL ${scenario:-?}: unknown scenario"; exit 1
}

# check_ikex_dll: fails unless $dll names a file, then makes $dll an absolute path (it is run inside namespaces).
check_ikex_dll() {
  [ -f "$dll" ] || fail "ikex.dll not found at '$dll'"
  dll=$(realpath "$dll")
}

# write_lab_psk: sets psk to the lab's throw-away pre-shared key and writes it to $work/psk (for ikex --psk-file).
write_lab_psk() {
  psk=interop-lab-psk-not-a-secret
  printf '%s' "$psk" >"$work/psk"
}

# swanctl_conf [KEY=VALUE]...: prints a swanctl.conf with one connection "c" and its child "t" (write it to
# DIR/swanctl.conf). KEYs and their defaults (charon in B of lab_up, 192.0.2.2, talking to us in A, 192.0.2.1):
#   version=2 (1: IKEv1 Main Mode, aggressive = no)   fragmentation=no   encap= (the line only when set)
#   local_addrs=192.0.2.2   remote_addrs=192.0.2.1   proposals=aes256-sha256-modp2048   esp_proposals=aes256-sha256
#   mode=tunnel   local_ts=198.51.100.2/32   remote_ts=198.51.100.1/32 (local_ts= empty: no selector lines, i.e.
#   the IKE addresses)   auth= the local/remote sections (default swanctl_psk_auth)   secrets= a secrets section
#   (default none; e.g. swanctl_psk_secrets). mobike is always off.
swanctl_conf() {
  local version=2 fragmentation=no encap="" local_addrs=192.0.2.2 remote_addrs=192.0.2.1 \
        proposals=aes256-sha256-modp2048 esp_proposals=aes256-sha256 mode=tunnel \
        local_ts=198.51.100.2/32 remote_ts=198.51.100.1/32 auth secrets="" kv aggressive_line="" encap_line="" ts_lines=""
  auth=$(swanctl_psk_auth)
  for kv in "$@"; do
    case "${kv%%=*}" in
      version|fragmentation|encap|local_addrs|remote_addrs|proposals|esp_proposals|mode|local_ts|remote_ts|auth|secrets)
        local "$kv" ;;
      *) echo "swanctl_conf: unknown setting '$kv'" >&2; return 1 ;;
    esac
  done
  if [ "$version" = 1 ]; then aggressive_line=$'\n    aggressive = no'; fi
  if [ -n "$encap" ]; then encap_line=$'\n'"    encap = $encap"; fi
  if [ -n "$local_ts" ]; then ts_lines=$'\n'"        local_ts = $local_ts"$'\n'"        remote_ts = $remote_ts"; fi
  cat <<EOF
connections {
  c {
    version = $version$aggressive_line
    mobike = no
    fragmentation = $fragmentation$encap_line
    local_addrs = $local_addrs
    remote_addrs = $remote_addrs
    proposals = $proposals
$auth
    children {
      t {
        mode = $mode$ts_lines
        esp_proposals = $esp_proposals
      }
    }
  }
}
$secrets
EOF
}

# swanctl_cert_auth LOCAL_DN REMOTE_DN: the local/remote sections of a swanctl.conf connection for charon
# authenticating with B's certificate (b.pem, see install_charon_cert) under ID_DER_ASN1_DN LOCAL_DN and expecting
# REMOTE_DN certified by the test CA (ca.pem). For swanctl_conf auth=.
swanctl_cert_auth() {
  cat <<EOC
    local {
      auth = pubkey
      id = "$1"
      certs = b.pem
    }
    remote {
      auth = pubkey
      id = "$2"
      cacerts = ca.pem
    }
EOC
}

# install_charon_cert DIR PKI [KEYTYPE]: copies B's certificate, the CA and B's private key from PKI (make_test_pki)
# into DIR/x509, DIR/x509ca and DIR/KEYTYPE (rsa or ecdsa, default rsa): what swanctl --load-all loads next to
# DIR/swanctl.conf.
install_charon_cert() {
  local dir=$1 pki=$2 keytype=${3:-rsa}
  mkdir -p "$dir/x509" "$dir/x509ca" "$dir/$keytype"
  cp "$pki/b.pem" "$dir/x509/"; cp "$pki/ca.pem" "$dir/x509ca/"; cp "$pki/b.key" "$dir/$keytype/"
}

# start_charon_monitored NS DIR MONITOR_OUT: start_charon NS DIR (fails the scenario when it does not come up), then
# start_sa_monitor DIR MONITOR_OUT (the ike-updown events the checks read).
start_charon_monitored() {
  start_charon "$1" "$2" || fail "charon did not start"
  start_sa_monitor "$2" "$3"
}

# ikex_initiate_v2 NS DLL OUT LOG ARGS...: `ikex initiate --ike-version 2` in namespace NS (60 s at most) from lab_up's
# A (192.0.2.1) to B (192.0.2.2), tunnel child 198.51.100.1/32 <=> 198.51.100.2/32, --json (to OUT, printed) and
# --verbose (to LOG), plus ARGS (the authentication, e.g. --psk-file F). Sets rc. A non-zero exit passes only when it is
# the child charon cannot install in this kernel (LOG says "child SA failed" or "deleted"); the IKE SA is checked later.
ikex_initiate_v2() {
  local ns=$1 dll=$2 out=$3 log=$4
  shift 4
  rc=0; timeout 60 ip netns exec "$ns" dotnet "$dll" initiate --ike-version 2 --address 192.0.2.1 --peer 192.0.2.2 "$@" \
    --mode tunnel --local-ts 198.51.100.1/32 --remote-ts 198.51.100.2/32 --timeout 20 --json --verbose \
    >"$out" 2>"$log" || rc=$?
  note "ikex initiate rc=$rc ($(grep -m1 'ikex initiate:' "$log" || echo ok))"
  sed 's/^/   /' "$out"
  [ "$rc" = 0 ] || grep -q 'child SA failed\|deleted' "$log" || fail "ikex initiate exited $rc for another reason than the child"
}

# start_ikex_initiate_held NS DLL OUT LOG ARGS...: `ikex initiate ARGS...` (which should hold its SAs, --hold) in the
# background in namespace NS (90 s at most), stdout to OUT, stderr to LOG; waits until it printed its SAs (the JSON's
# "elapsedMilliseconds") and prints OUT, or fails when it exited without. Sets ikex_pid (also in pids) and we_started
# ($SECONDS at the start).
start_ikex_initiate_held() {
  local ns=$1 dll=$2 out=$3 log=$4 i
  shift 4
  ip netns exec "$ns" timeout 90 dotnet "$dll" initiate "$@" >"$out" 2>"$log" &
  ikex_pid=$!; pids+=("$ikex_pid"); we_started=$SECONDS
  for i in $(seq 1 300); do
    grep -q '"elapsedMilliseconds"' "$out" 2>/dev/null && break
    kill -0 "$ikex_pid" 2>/dev/null || break
    sleep 0.1
  done
  grep -q '"elapsedMilliseconds"' "$out" || { rc=0; wait "$ikex_pid" || rc=$?; fail "ikex initiate printed no SAs (exit $rc)"; }
  sed 's/^/   /' "$out"
}

# charon_ike_up MONITOR_OUT VERSION: reads charon's first ike-updown up event from MONITOR_OUT (start_sa_monitor) into
# up (printed) and fails unless it is an ESTABLISHED IKE SA of VERSION (1 or 2). Sets spi_i and spi_r (IKEv1: cookies).
charon_ike_up() {
  up=$(grep -m1 '^ike-updown event {up=yes' "$1" || true)
  [ -n "$up" ] || fail "charon never reported an IKE SA up (no ike-updown event)"
  echo "   $up"
  grep -q "version=$2 state=ESTABLISHED" <<<"$up" || fail "charon's IKE SA came up but not as an ESTABLISHED IKEv$2 SA"
  spi_i=$(grep -o 'initiator-spi=[0-9a-f]*' <<<"$up" | cut -d= -f2)
  spi_r=$(grep -o 'responder-spi=[0-9a-f]*' <<<"$up" | cut -d= -f2)
}

# check_charon_lists_sa DIR OUT VERSION: `swanctl --list-sas --ike c` against the charon of DIR (into OUT, printed) must
# list the ESTABLISHED IKE SA of VERSION with the SPIs spi_i/spi_r (IKEv1: the initiator's cookie marked "*").
check_charon_lists_sa() {
  local between='.*'
  [ "$3" = 1 ] && between='\*'
  sw "$1" --list-sas --ike c >"$2" 2>&1 || true
  sed 's/^/   /' "$2"
  grep -q "ESTABLISHED, IKEv$3, ${spi_i}_i$between ${spi_r}_r" "$2" || fail "swanctl --list-sas lacks the ESTABLISHED IKEv$3 SA"
}

# check_our_ikev2_sa ROLE CTL SA_LIST_OUT INITIATE_OUT: sets mm to our IKEv2 SA as ikex shows it (spaces and newlines
# removed) and fails unless it is an Established IKEv2 SA with charon's SPIs spi_i/spi_r. ROLE sw (our responder):
# `ikex sa list --control CTL --json` (the script's ikex function) into SA_LIST_OUT, its mainModeSas; ROLE we: the
# mainModeSa of `ikex initiate --json` in INITIATE_OUT.
check_our_ikev2_sa() {
  if [ "$1" = sw ]; then
    ikex sa list --control "$2" --json >"$3" 2>&1 || fail "ikex sa list failed"
    mm=$(tr -d ' \n' <"$3" | grep -o '"mainModeSas":\[.*\],"quickModeSas"' || true)
  else
    mm=$(tr -d ' \n' <"$4" | grep -o '"mainModeSa":{[^}]*}' || true)
  fi
  grep -qi '"keyModule":"IKEv2"' <<<"$mm" || fail "ikex lists no IKEv2 SA"
  grep -qi '"state":"Established"' <<<"$mm" || fail "ikex's IKEv2 SA is not Established"
  grep -qi "$spi_i" <<<"$mm" && grep -qi "$spi_r" <<<"$mm" || fail "ikex's IKEv2 SA SPIs differ from charon's ($spi_i/$spi_r)"
}

# read_our_sas ROLE CTL SA_LIST_OUT INITIATE_OUT [KEY_MODULE]: sets json to ikex's JSON (spaces and newlines removed),
# mm to our IKE (Main Mode) SA and qm to our child (Quick Mode) SA, as flat JSON objects for jf. ROLE we: the
# mainModeSa and quickModeSa of `ikex initiate --json` in INITIATE_OUT. ROLE sw: `ikex sa list --control CTL --json`
# (the script's ikex function) into SA_LIST_OUT; mm is its first mainModeSas entry of KEY_MODULE (e.g. IKEv2), or
# without KEY_MODULE its first one; qm its first Established quickModeSas entry (empty when there is none).
read_our_sas() {
  if [ "$1" = we ]; then
    json=$(tr -d ' \n' <"$4")
    mm=$(grep -o '"mainModeSa":{[^}]*}' <<<"$json" || true)
    qm=$(grep -o '"quickModeSa":{[^}]*}' <<<"$json" || true)
    return 0
  fi
  ikex sa list --control "$2" --json >"$3" 2>&1 || fail "ikex sa list failed"
  json=$(tr -d ' \n' <"$3")
  if [ -n "${5:-}" ]; then
    mm=$(grep -o '"mainModeSas":\[.*\],"quickModeSas"' <<<"$json" | grep -o '{[^}]*}' | grep -i "\"keyModule\":\"$5\"" | head -n 1 || true)
  else
    mm=$(grep -o '"mainModeSas":\[{[^}]*}' <<<"$json" || true)
  fi
  qm=$(grep -o '"quickModeSas":\[.*\]' <<<"$json" | grep -o '{[^}]*}' | grep -i '"state":"Established"' | head -n 1 || true)
}

# jf FIELD OBJECT: the value of FIELD in the flat JSON OBJECT (quotes removed; empty when absent).
jf() { grep -o "\"$1\":[^,}]*" <<<"$2" | head -n 1 | cut -d: -f2- | tr -d '"'; }

# read_ikex_counter VAR CTL OUT NAME: `ikex sa list --control CTL --json` (the script's ikex function) into OUT, and
# sets VAR to its counter NAME (e.g. natKeepalivesDropped, espDropped).
read_ikex_counter() {
  local value
  ikex sa list --control "$2" --json >"$3" 2>&1 || fail "ikex sa list failed"
  value=$(tr -d ' \n' <"$3" | grep -o "\"$4\":[0-9]*" | cut -d: -f2)
  printf -v "$1" '%s' "$value"
}

# start_udp_capture NS IF PCAP LOG: tcpdump of every UDP datagram on interface IF of namespace NS into PCAP (its own
# output in LOG); waits until it listens, fails when it does not. Sets cap_pid (also in pids); stop_capture ends it.
start_udp_capture() {
  local i
  ip netns exec "$1" tcpdump -i "$2" -U -n -s 0 -w "$3" udp >"$4" 2>&1 &
  cap_pid=$!; pids+=("$cap_pid")
  for i in $(seq 1 50); do grep -q 'listening on' "$4" && break; sleep 0.1; done
  grep -q 'listening on' "$4" || fail "tcpdump did not start: $(cat "$4")"
}
stop_capture() { [ -n "$cap_pid" ] && { sleep 0.5; kill -INT "$cap_pid" 2>/dev/null || true; wait "$cap_pid" 2>/dev/null || true; cap_pid=""; }; }

# capture_frames PCAP FIELD...: one line per UDP datagram in PCAP, '|'-separated: number|time|src|sport|dst|dport, then
# the tshark FIELDs (first occurrence each). tshark dissects a datagram by its lower port first, so a NAT mapping that
# lands on a registered port (random masquerading picked 389 once: CLDAP) would hide the IKE in it: the source ports
# of datagrams to 500 and 4500 are decoded as what they carry (isakmp, udpencap).
capture_frames() {
  local pcap=$1 decode=() fields=() f p
  shift
  for f in "$@"; do fields+=(-e "$f"); done
  for p in $(tshark -r "$pcap" -n -T fields -e udp.srcport -Y 'udp.dstport == 500' 2>/dev/null | sort -u); do
    [ "$p" = 500 ] || decode+=(-d "udp.port==$p,isakmp")
  done
  for p in $(tshark -r "$pcap" -n -T fields -e udp.srcport -Y 'udp.dstport == 4500' 2>/dev/null | sort -u); do
    [ "$p" = 4500 ] || decode+=(-d "udp.port==$p,udpencap")
  done
  tshark -r "$pcap" -n "${decode[@]}" -T fields -E separator='|' -E occurrence=f \
    -e frame.number -e frame.time_relative -e ip.src -e udp.srcport -e ip.dst -e udp.dstport "${fields[@]}" 2>/dev/null
}

# add_b_ports B_ADDR FRAMES OUT: FRAMES (capture_frames) with two more fields, as host B_ADDR sees each datagram:
# B's own port and the other side's port (the NAT's mapping when there is one).
add_b_ports() {
  awk -F'|' -v b="$1" '{ if ($3==b) print $0 "|" $4 "|" $6; else print $0 "|" $6 "|" $4 }' "$2" >"$3"
}

# check_no_private_leak FRAMES: fails when a datagram in FRAMES (capture_frames on the NAT's public side) has a
# private-side (192.0.2.0/24) source or destination address.
check_no_private_leak() {
  local leak
  leak=$(awk -F'|' '$3 ~ /^192\.0\.2\./ || $5 ~ /^192\.0\.2\./' "$1" | head -n 1)
  [ -z "$leak" ] || fail "a private address crossed the NAT: $leak"
}
