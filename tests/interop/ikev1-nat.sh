#!/usr/bin/env bash
# IKEv1 NAT traversal interop (MS-IKEE 3.2, RFC 3947/3948): our engine (the ikex CLI) against strongSwan's charon.
#
#   sudo tests/interop/ikev1-nat.sh <scenario> <path-to-ikex.dll>
#
# Scenarios (all IKEv1, PSK, aes256-sha256-modp2048, ESP aes256-sha256, tunnel 198.51.100.1/32 <=> 198.51.100.2/32):
#   nat-we-initiate        three namespaces (lib.sh nat_lab_up): A = `ikex initiate` on 192.0.2.1 (private side),
#                          N = nftables masquerade router 192.0.2.254 | 203.0.113.254, B = charon responder on
#                          203.0.113.2. Asserts: charon sees the peer behind the NAT (nat-remote=yes, 203.0.113.254
#                          port 4500), our Main Mode SA has natDetectedLocal and floated to 4500, Quick Mode is
#                          UDP-encapsulated tunnel, and on B's wire (tcpdump, checked with tshark) MM1-MM4 are on 500,
#                          everything after on 4500 with the non-ESP marker, and our NAT-T keep-alive (0xFF) arrives
#                          about 20 s after the float (ikex initiate --hold keeps the SAs up for it).
#   nat-sw-initiates       the same three namespaces with the roles swapped: charon (A, behind the NAT) initiates to
#                          `ikex responder` on 203.0.113.2. Asserts both sides detect the NAT and float to 4500, and
#                          that charon's keep-alives (keep_alive = 5s here) reach our NAT-T socket and are dropped
#                          there as keep-alives (natKeepalivesDropped).
#   nat-we-initiate-random, nat-sw-initiates-random
#                          the same through a port-changing NAT (nftables "masquerade random"): the SA floats to the
#                          NAT's random mapping of A's port 4500, and the responder answers there.
#   libipsec-sw-initiates  two namespaces (lab_up), no NAT: charon (B, 192.0.2.2) with kernel-libipsec initiates to
#                          `ikex responder` on 192.0.2.1. kernel-libipsec fakes NAT-D, so both sides float to 4500 and
#                          charon installs its UDP-encapsulated tunnel child in userspace: the whole Quick Mode
#                          completes (QM3). Asserts the child INSTALLED, TUNNEL-in-UDP, on charon and our QM SA
#                          Established with the same SPIs.
#
# With kernel-netlink (the nat-* scenarios) this kernel has no ESP: charon negotiates Quick Mode on the wire and then
# fails to install the CHILD_SA (QM responder: Delete after QM3; QM initiator: N(NO_PROP) instead of QM3), exactly as
# in ikev1-strongswan.sh. Its IKE SA stays ESTABLISHED.
#
# Every scenario also decrypts the Quick Mode in the capture with tshark, using the encryption key charon logs at
# ike = 4 (throw-away lab keys; our own logs never hold key material), to check the encapsulation mode on the wire.
#
# Last line: "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1). KEEP=1 keeps the temp dir.
# Needs root, iproute2, util-linux, nftables, tcpdump, tshark, dotnet, strongswan-charon strongswan-swanctl
# libcharon-extra-plugins (kernel-libipsec).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

interop_begin "${1:-}" "${2:-}" 80 '*/charon.log' ikex.log ikex.out initiate.out sa-list.out tshark.out

masq="" mapped=""
case "$scenario" in
  nat-we-initiate-random) role=we topology=nat libipsec=no masq=random ;;
  nat-sw-initiates-random) role=sw topology=nat libipsec=no masq=random ;;
  nat-we-initiate) role=we topology=nat libipsec=no ;;
  nat-sw-initiates) role=sw topology=nat libipsec=no ;;
  libipsec-sw-initiates) role=sw topology=flat libipsec=yes ;;
  *) unknown_scenario "nat-we-initiate[-random]|nat-sw-initiates[-random]|libipsec-sw-initiates" ;;
esac
tools=(ip unshare ss swanctl /usr/lib/ipsec/charon dotnet timeout tcpdump tshark)
[ "$topology" = nat ] && tools+=(nft)
need_tools "${tools[@]}" || fail "prerequisites missing (see above; apt-get install nftables tcpdump tshark)"
if [ "$libipsec" = yes ]; then
  [ -f /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] || fail "kernel-libipsec plugin missing (apt-get install libcharon-extra-plugins)"
  [ -c /dev/net/tun ] || fail "/dev/net/tun missing (kernel-libipsec needs a TUN device)"
fi
base=${scenario%-random}
check_ikex_dll

work=$(mktemp -d /tmp/ikev1-nat.XXXXXX)
write_lab_psk
cat >"$work/policy.json" <<EOF
{"mainMode":[{"encryption":"aes256","hash":"sha256","group":14}],
 "quickMode":[{"encryption":"aes256","integrity":"sha256","pfsGroup":0}]}
EOF
ike_algs="encr-alg=AES_CBC encr-keysize=256 integ-alg=HMAC_SHA2_256_128 prf-alg=PRF_HMAC_SHA2_256 dh-group=MODP_2048"

# Addresses per topology. "sw" = charon's side, "we" = ours; *_seen = how the other side sees the address.
if [ "$topology" = nat ]; then
  nat_lab_up "ikn$$" "$masq"            # namespaces ikn<pid>-a / -n / -b
  priv=192.0.2.1 pub=203.0.113.2 nat=203.0.113.254
  if [ "$role" = we ]; then
    we_ns=$NA we_addr=$priv sw_ns=$NB sw_addr=$pub sw_dir=$work/b
    we_inner=198.51.100.1 sw_inner=198.51.100.2
  else
    sw_ns=$NA sw_addr=$priv we_ns=$NB we_addr=$pub sw_dir=$work/a
    sw_inner=198.51.100.1 we_inner=198.51.100.2
  fi
  cap_ns=$NB cap_if=$VB                 # B's side of the NAT (the public wire)
else
  lab_up "ikl$$"
  we_ns=$NA we_addr=192.0.2.1 sw_ns=$NB sw_addr=192.0.2.2 sw_dir=$work/b
  we_inner=198.51.100.1 sw_inner=198.51.100.2
  cap_ns=$NB cap_if=$VB
fi
mkdir -p "$sw_dir"

# --- strongSwan ------------------------------------------------------------------------------------------------------
# keep_alive 5s: charon behind the NAT (nat-sw-initiates) sends its keep-alives within the test's patience.
write_strongswan_conf "$sw_dir" "$libipsec" 1280 "      cfg = 2
      knl = 2
      ike = 4"
sed -i 's/^  port_nat_t = 4500$/  port_nat_t = 4500\n  keep_alive = 5s/' "$sw_dir/strongswan.conf"
if [ "$role" = we ]; then remote_addrs=%any; else remote_addrs=$we_addr; fi   # we arrive from the NAT's address
swanctl_conf version=1 encap=no local_addrs="$sw_addr" remote_addrs="$remote_addrs" local_ts="$sw_inner/32" \
  remote_ts="$we_inner/32" auth="$(swanctl_psk_auth "$sw_addr" "$we_addr")" \
  secrets="$(swanctl_psk_secrets "$psk" "$we_addr" "$sw_addr")" >"$sw_dir/swanctl.conf"
start_charon_monitored "$sw_ns" "$sw_dir" "$work/monitor.out"

# --- capture on B's wire ---------------------------------------------------------------------------------------------
start_udp_capture "$cap_ns" "$cap_if" "$work/cap.pcap" "$work/tcpdump.out"
# frames: one line per UDP datagram on B's wire: number|time|src|sport|dst|dport|exchtype|msgid|marker|keepalive|esp
frames() {
  capture_frames "$work/cap.pcap" isakmp.exchangetype isakmp.messageid udpencap.non_esp_marker udpencap.nat_keepalive esp.spi
}

ikex() { ip netns exec "$we_ns" dotnet "$dll" "$@"; }

# --- the exchange ----------------------------------------------------------------------------------------------------
if [ "$role" = sw ]; then
  ctl=$work/ikex.ctl
  ikex_listen_port=4500 start_ikex_responder "$we_ns" "$dll" "$ctl" "$work/ikex.out" "$work/ikex.log" \
    --verbose --address "$we_addr" --psk-file "$work/psk" --policy "$work/policy.json"
  note "charon ($sw_addr) initiates to ikex responder ($we_addr)"
  sw_initiate "$sw_dir" t "$work/initiate.out"
  sleep 1
else
  note "ikex initiate ($we_addr, behind the NAT) to charon ($sw_addr), tunnel mode, holding the SAs 24 s"
  start_ikex_initiate_held "$we_ns" "$dll" "$work/ikex.out" "$work/ikex.log" --address "$we_addr" --peer "$sw_addr" \
    --psk-file "$work/psk" --policy "$work/policy.json" --mode tunnel --local-ts "$we_inner/32" --remote-ts "$sw_inner/32" \
    --timeout 20 --json --hold 24 --verbose
  sleep 1
fi

# --- strongSwan's view -----------------------------------------------------------------------------------------------
log=$sw_dir/charon.log
up=$(grep -m1 '^ike-updown event {up=yes' "$work/monitor.out" || true)
[ -n "$up" ] || fail "charon never reported an IKE SA up (no ike-updown event)"
echo "   $up"
grep -q 'version=1 state=ESTABLISHED' <<<"$up" || fail "charon's IKE SA is not an ESTABLISHED IKEv1 SA"
grep -qF "$ike_algs" <<<"$up" || fail "charon's IKE SA does not use aes256-sha256-modp2048"
sw "$sw_dir" --list-sas --raw >"$work/list-sas.out" 2>&1 || true
raw=$(grep -m1 'list-sa event' "$work/list-sas.out" || true)
echo "   $raw"
[ -n "$raw" ] || fail "swanctl --list-sas --raw lists no SA"
spi_i=$(grep -o 'initiator-spi=[0-9a-f]*' <<<"$raw" | cut -d= -f2)
spi_r=$(grep -o 'responder-spi=[0-9a-f]*' <<<"$raw" | cut -d= -f2)
field() { grep -o " $1=[^ ]*" <<<"$raw" | head -n 1 | cut -d= -f2; }
# How the NAT maps A's ports: the same ports (plain masquerade) or random ones (-random); B's wire tells.
case "$base" in
  nat-we-initiate)
    # The NAT's mapping of our port 4500: 4500 itself with plain masquerade, a random port with "masquerade random".
    mapped=$(field remote-port)
    { [ -n "$masq" ] && [ -n "$mapped" ] && [ "$mapped" != 500 ]; } || [ "$mapped" = 4500 ] ||
      fail "charon's IKE SA did not float to the NAT's mapping of our port 4500 (remote port $mapped)"
    [ "$(field remote-host)" = "$nat" ] && [ "$(field local-port)" = 4500 ] ||
      fail "charon's IKE SA is not on $sw_addr[4500] <=> $nat[$mapped] (local-port=$(field local-port) remote=$(field remote-host)[$(field remote-port)])"
    [ "$(field nat-remote)" = yes ] || fail "charon does not see the peer behind a NAT (no nat-remote=yes)"
    [ -z "$(field nat-local)" ] || fail "charon believes it is behind a NAT itself (nat-local=yes)"
    grep -q 'remote host is behind NAT' "$log" || fail "charon did not log 'remote host is behind NAT'"
    note "charon: IKE SA $sw_addr[4500] <=> $nat[$mapped], nat-remote=yes nat-any=$(field nat-any) (peer behind the NAT)"
    ;;
  nat-sw-initiates)
    [ "$(field remote-host)" = "$we_addr" ] && [ "$(field remote-port)" = 4500 ] && [ "$(field local-port)" = 4500 ] ||
      fail "charon's IKE SA is not on $sw_addr[4500] <=> $we_addr[4500] (local-port=$(field local-port) remote=$(field remote-host)[$(field remote-port)])"
    [ "$(field nat-local)" = yes ] || fail "charon does not see itself behind a NAT (no nat-local=yes)"
    [ -z "$(field nat-remote)" ] || fail "charon believes we are behind a NAT (nat-remote=yes)"
    grep -q 'local host is behind NAT, sending keep alives' "$log" || fail "charon did not log 'local host is behind NAT, sending keep alives'"
    note "charon: IKE SA $sw_addr[4500] <=> $we_addr[4500], nat-local=yes (itself behind the NAT)"
    ;;
  libipsec-sw-initiates)
    [ "$(field remote-port)" = 4500 ] && [ "$(field local-port)" = 4500 ] ||
      fail "charon's IKE SA did not float to 4500 (local-port=$(field local-port) remote-port=$(field remote-port))"
    grep -q 'faking NAT situation to enforce UDP encapsulation' "$log" || fail "kernel-libipsec did not fake NAT-D"
    note "charon: kernel-libipsec faked NAT-D, IKE SA floated to $sw_addr[4500] <=> $we_addr[4500] (nat-any=$(field nat-any) nat-fake=$(field nat-fake))"
    ;;
esac
grep -q 'selected proposal: ESP:AES_CBC_256/HMAC_SHA2_256_128' "$log" || fail "charon did not select the Quick Mode proposal"
if grep -q 'no matching CHILD_SA config found' "$log"; then fail "charon found no child config for the Quick Mode"; fi
note "charon: $(grep -o 'selected proposal: ESP.*' "$log" | tail -n 1)"
# charon logs the encapsulation it negotiated when it installs (kernel-netlink: then fails, no ESP here).
if grep -q 'unable to install .*IPsec SA (SAD) in kernel' "$log"; then
  note "charon: CHILD_SA not installed (no ESP in this kernel, expected with kernel-netlink): $(grep -o 'unable to install .*' "$log" | head -n 1)"
fi

# --- our view --------------------------------------------------------------------------------------------------------
read_our_sas "$role" "${ctl:-}" "$work/sa-list.out" "$work/ikex.out"   # ctl: only our responder has one
# Our responder without an Established Quick Mode SA: its first one, whatever its state.
if [ "$role" = sw ] && [ -z "$qm" ]; then
  qm=$(grep -o '"quickModeSas":\[.*\]' <<<"$json" | grep -o '{[^}]*}' | head -n 1 || true)
fi
note "ikex: MM SA $(jf localEndpoint "$mm") <=> $(jf remoteEndpoint "$mm") $(jf state "$mm"), natTraversalRevision=$(jf natTraversalRevision "$mm") natDetectedLocal=$(jf natDetectedLocal "$mm") natDetectedRemote=$(jf natDetectedRemote "$mm") ports $(jf localUdpEncapsulationPort "$mm")/$(jf remoteUdpEncapsulationPort "$mm")"
[ "$(jf state "$mm")" = Established ] || fail "our Main Mode SA is not Established"
[ "$(jf initiatorCookie "$mm")" = "$spi_i" ] && [ "$(jf responderCookie "$mm")" = "$spi_r" ] ||
  fail "our Main Mode SA's cookies differ from charon's ($spi_i/$spi_r)"
[ "$(jf natTraversalRevision "$mm")" = Rfc3947 ] || fail "our Main Mode SA did not select RFC 3947 NAT-T"
# Our peer's NAT-T port: charon's 4500, or (charon behind the NAT) the NAT's mapping of it, random with -random.
want=4500
if [ "$base" = nat-sw-initiates ]; then
  mapped=$(jf remoteUdpEncapsulationPort "$mm")
  [ -n "$masq" ] && [ -n "$mapped" ] && [ "$mapped" != 500 ] && [ "$mapped" != 0 ] && want=$mapped
fi
[ "$(jf localUdpEncapsulationPort "$mm")" = 4500 ] && [ "$(jf remoteUdpEncapsulationPort "$mm")" = "$want" ] ||
  fail "our Main Mode SA did not float to 4500 (udp encapsulation ports $(jf localUdpEncapsulationPort "$mm")/$(jf remoteUdpEncapsulationPort "$mm"))"
case "$base" in
  nat-we-initiate)
    [ "$(jf natDetectedLocal "$mm")" = true ] && [ "$(jf natDetectedRemote "$mm")" = false ] ||
      fail "our Main Mode SA should see a NAT in front of us only (natDetectedLocal=$(jf natDetectedLocal "$mm") natDetectedRemote=$(jf natDetectedRemote "$mm"))"
    [ "$(jf localEndpoint "$mm")" = "$we_addr:4500" ] && [ "$(jf remoteEndpoint "$mm")" = "$sw_addr:4500" ] ||
      fail "our Main Mode SA's endpoints are not $we_addr:4500 <=> $sw_addr:4500" ;;
  nat-sw-initiates)
    [ "$(jf natDetectedLocal "$mm")" = false ] && [ "$(jf natDetectedRemote "$mm")" = true ] ||
      fail "our Main Mode SA should see a NAT in front of the peer only (natDetectedLocal=$(jf natDetectedLocal "$mm") natDetectedRemote=$(jf natDetectedRemote "$mm"))"
    [ "$(jf localEndpoint "$mm")" = "$we_addr:4500" ] && [ "$(jf remoteEndpoint "$mm")" = "$nat:$mapped" ] ||
      fail "our Main Mode SA's endpoints are not $we_addr:4500 <=> $nat:$mapped (the NAT's mapping)" ;;
  libipsec-sw-initiates)
    [ "$(jf natDetectedRemote "$mm")" = true ] || fail "we did not detect kernel-libipsec's faked NAT (natDetectedRemote=false)" ;;
esac

# Quick Mode.
[ -z "$qm" ] || note "ikex: QM SA $(jf state "$qm") $(jf encapsulationMode "$qm") in $(jf inboundSpi "$qm") out $(jf outboundSpi "$qm") $(jf localTrafficSelector "$qm") <=> $(jf remoteTrafficSelector "$qm") NAT-OA i=$(jf peerOriginalInitiatorAddress "$qm") r=$(jf peerOriginalResponderAddress "$qm")"
# charon's SAD entries (knl 2, logged before the kernel install is attempted).
sad=$(grep -o 'adding SAD entry with SPI [0-9a-f]*' "$log" | awk '{print $NF}' | sort -u | xargs || true)
check_spis() {
  local k spi
  for k in inboundSpi outboundSpi; do
    spi=$(jf "$k" "$qm")
    [ -n "$spi" ] && grep -qi "$spi" <<<"$sad" || fail "our $k '$spi' is not among charon's SAD entries ($sad)"
  done
}
case "$base" in
  nat-we-initiate)
    # The JSON is printed when our QM SA is established; charon's Delete for the uninstallable child comes after.
    [ "$(jf state "$qm")" = Established ] || [ "$(jf state "$qm")" = Deleted ] && grep -q '"establishedAt":"[0-9]' <<<"$qm" ||
      fail "ikex initiate shows no established Quick Mode SA"
    grep -qi '"encapsulationMode":"UdpEncapsulatedTunnel"' <<<"$qm" || fail "our Quick Mode SA is not UDP-encapsulated tunnel ($(jf encapsulationMode "$qm"))"
    check_spis
    grep -q 'parsed QUICK_MODE request [0-9]* \[ HASH \]' "$log" || fail "charon never received our QM3"
    ;;
  nat-sw-initiates)
    # charon is QM initiator: it installs on QM2, fails (no ESP), and answers N(NO_PROP) instead of QM3; our responder
    # then drops its half-done QM SA (the wire check below reads QM1/QM2 themselves).
    grep -q 'generating INFORMATIONAL_V1 request [0-9]* \[ HASH N(NO_PROP) \]' "$log" ||
      fail "expected charon to refuse its uninstallable child with N(NO_PROP)"
    grep -q 'QM#[0-9]* on MM#[0-9]* failed: peer sent NoProposalChosen' "$work/ikex.log" ||
      fail "our responder did not take charon's N(NO_PROP) as the end of the Quick Mode"
    note "charon sent N(NO_PROP) instead of QM3 (kernel-netlink, no ESP): our QM SA cannot complete - expected"
    ;;
  libipsec-sw-initiates)
    [ "$rc" = 0 ] || fail "swanctl --initiate failed (rc $rc): charon did not complete its child"
    sw "$sw_dir" --list-sas >"$work/list-sas-text.out" 2>&1 || true
    sed 's/^/   /' "$work/list-sas-text.out"
    grep -qE 't: #[0-9]+, reqid [0-9]+, INSTALLED, TUNNEL-in-UDP, ESP:AES_CBC-256/HMAC_SHA2_256_128' "$work/list-sas-text.out" ||
      fail "charon's child is not INSTALLED, TUNNEL-in-UDP"
    sw_in=$(grep -oE '^ +in +[0-9a-f]{8}' "$work/list-sas-text.out" | awk '{print $2}' | head -n 1)
    sw_out=$(grep -oE '^ +out +[0-9a-f]{8}' "$work/list-sas-text.out" | awk '{print $2}' | head -n 1)
    sad="$sw_in $sw_out"   # kernel-libipsec installs in userspace: no kernel-netlink SAD lines
    grep -q 'generating QUICK_MODE request [0-9]* \[ HASH \]' "$log" || fail "charon did not send QM3"
    note "charon: child INSTALLED, TUNNEL-in-UDP, SPIs in $sw_in out $sw_out; sent QM3"
    [ "$(jf state "$qm")" = Established ] || fail "charon sent QM3 but our Quick Mode SA is $(jf state "$qm")"
    grep -qi '"encapsulationMode":"UdpEncapsulatedTunnel"' <<<"$qm" || fail "our Quick Mode SA is not UDP-encapsulated tunnel ($(jf encapsulationMode "$qm"))"
    [ "$(jf inboundSpi "$qm")" = "$sw_out" ] && [ "$(jf outboundSpi "$qm")" = "$sw_in" ] ||
      fail "SPIs differ: ours in $(jf inboundSpi "$qm") out $(jf outboundSpi "$qm"), charon's in $sw_in out $sw_out"
    grep -E 'QM#[0-9]+ established' "$work/ikex.log" | sed 's/^/   ikex: /' || true
    ;;
esac
grep -E 'NAT detected|MM#[0-9]+ established|QM#[0-9]+ established' "$work/ikex.log" | sed -E 's/^/   ikex: /' | head -n 5 || true

# --- the wire (tshark) -----------------------------------------------------------------------------------------------
if [ "$role" = we ]; then
  note "waiting for ikex initiate's hold to end (NAT-T keep-alives)"
  # ~22 s into the 24 s hold (our first keep-alive is due 20 s after the float): charon must still hold the IKE SA.
  sleep $(( 22 - SECONDS + we_started > 0 ? 22 - SECONDS + we_started : 0 ))
  sw "$sw_dir" --list-sas --raw 2>/dev/null | grep -q 'state=ESTABLISHED' || fail "charon lost the IKE SA during the hold"
  note "charon still holds the IKE SA $((SECONDS - we_started)) s after ikex started"
  rc=0; wait "$ikex_pid" || rc=$?
  [ "$rc" = 0 ] || fail "ikex initiate exited $rc"
elif [ "$base" = nat-sw-initiates ]; then
  sleep 7   # charon's keep_alive = 5s
else
  # Traffic into charon's userspace tunnel: ESP-in-UDP to our NAT-T socket with our inbound SPI. We have no ESP data
  # plane, so the host must recognise and drop it (espDropped), not feed it to the engine as IKE.
  # (bash's /dev/udp: no ping needed; charon routes the inner address into its TUN device.)
  for _ in 1 2 3; do
    ip netns exec "$sw_ns" bash -c "echo probe >/dev/udp/$we_inner/9" >>"$work/ping.out" 2>&1 || true
    sleep 0.2
  done
  sleep 0.5
fi
stop_capture
frames >"$work/tshark.out" || fail "tshark could not read the capture"
[ -s "$work/tshark.out" ] || fail "nothing captured on $cap_if"
# Ports as B sees them: B's own (bport) and the other side's (oport: the NAT's mapping when there is one).
b_addr=$(ip -n "$cap_ns" -4 -o addr show dev "$cap_if" | awk '{print $4}' | cut -d/ -f1)
add_b_ports "$b_addr" "$work/tshark.out" "$work/tshark-ports.out"
# MM1-MM4 (exchange type 2 = Identity Protection) on B's 500, no marker.
on500=$(awk -F'|' '$12==500 && $7==2' "$work/tshark-ports.out" | wc -l)
[ "$on500" = 4 ] || fail "expected MM1-MM4 on UDP 500, saw $on500 Main Mode datagrams there"
last500=$(awk -F'|' '$12==500 {n=$1} END {print n+0}' "$work/tshark-ports.out")
o500=$(awk -F'|' '$12==500 {print $13}' "$work/tshark-ports.out" | sort -u | xargs)
# After MM4: every IKE datagram between B's 4500 and one port on the other side (4500, or the NAT's mapping of
# 4500 = the port the SA floated to), each with the non-ESP marker (tshark's udpencap marker field).
after=$(awk -F'|' -v n="$last500" '$1>n && $7!=""' "$work/tshark-ports.out")
[ -n "$after" ] || fail "no IKE after MM4"
bad=$(awk -F'|' '$12!=4500' <<<"$after" | head -n 3)
[ -z "$bad" ] || fail "IKE after MM4 not on B's port 4500: $bad"
o4500=$(awk -F'|' '{print $13}' <<<"$after" | sort -u | xargs)
[ "$o4500" = "${mapped:-4500}" ] || fail "IKE after MM4 not on one port ${mapped:-4500} on the other side (saw: $o4500)"
[ "$o4500" != "$o500" ] || fail "the other side's port did not change after MM4 ($o500 -> $o4500): no float"
nomarker=$(awk -F'|' '$9==""' <<<"$after" | head -n 3)
[ -z "$nomarker" ] || fail "IKE on 4500 without the non-ESP marker: $nomarker"
mm56=$(awk -F'|' '$7==2' <<<"$after" | wc -l)
qmn=$(awk -F'|' '$7==32' <<<"$after" | wc -l)
[ "$mm56" -ge 2 ] || fail "MM5/MM6 not seen on 4500"
[ "$qmn" -ge 2 ] || fail "Quick Mode not seen on 4500"
note "wire: MM1-MM4 on $b_addr:500 <=> port $o500, then $mm56 Main Mode and $qmn Quick Mode datagrams on $b_addr:4500 <=> port $o4500, all with the non-ESP marker"
if [ "$topology" = nat ]; then check_no_private_leak "$work/tshark.out"; fi
# Quick Mode decrypted by tshark with charon's Ka (logged at ike = 4; throw-away lab keys): the encapsulation mode
# on the wire is 3 = UDP-Encapsulated-Tunnel (RFC 3947) both ways, and our SPI is one charon installed.
ka=$(awk '/encryption key Ka =>/ {on=1; next} on && /\] +[0-9]+: / {sub(/^.*\] +[0-9]+: /, ""); print substr($0, 1, 47); next} on {exit}' "$log" | tr -d ' \n' | tr A-F a-f)
[ -n "$ka" ] || fail "charon did not log its encryption key (ike = 4)"
tshark -r "$work/cap.pcap" -n -o "uat:ikev1_decryption_table:$spi_i,$ka" -Y 'isakmp.exchangetype==32' -T fields -E separator='|' \
  -E aggregator=';' -e frame.number -e ip.src -e isakmp.spi -e isakmp.ipsec.attr.encap_mode -e isakmp.ike.nat_original_address_ipv4 \
  -e isakmp.nextpayload >"$work/tshark-qm.out" 2>/dev/null || fail "tshark could not decrypt the Quick Mode"
sed 's/^/   qm: /' "$work/tshark-qm.out"
[ "$(awk -F'|' '$4!=""' "$work/tshark-qm.out" | wc -l)" -ge 2 ] || fail "tshark decrypted no QM1/QM2 with an SA payload"
badmode=$(awk -F'|' '$4!="" && $4!="3"' "$work/tshark-qm.out" | head -n 1)
[ -z "$badmode" ] || fail "Quick Mode SA not in UDP-Encapsulated-Tunnel (3) on the wire: $badmode"
if [ "$topology" = nat ] && [ "$role" = we ]; then ours_src=$nat; else ours_src=$we_addr; fi
our_spi=$(awk -F'|' -v a="$ours_src" '$2==a && $4!="" {split($3, s, ";"); print s[1]; exit}' "$work/tshark-qm.out")
[ -n "$our_spi" ] && grep -qi "$our_spi" <<<"$sad" || fail "our Quick Mode SPI on the wire '$our_spi' is not among charon's SAD entries ($sad)"
note "wire (decrypted): QM1/QM2 encapsulation mode 3 (UDP-Encapsulated-Tunnel) both ways; our SPI $our_spi is charon's SAD entry"
if [ "$base" = nat-we-initiate ]; then
  # MS-IKEE 3.1.5 / RFC 3947 5.2: behind the NAT we send NAT-OA (our original address and the responder's) in QM1.
  oa=$(awk -F'|' -v a="$nat" '$2==a && $4!="" {print $5; exit}' "$work/tshark-qm.out")
  [ "$oa" = "$we_addr;$sw_addr" ] || fail "our QM1 did not carry NAT-OA $we_addr;$sw_addr (got '$oa')"
  note "wire (decrypted): our QM1 carries NAT-OA $oa"
fi
if [ "$base" = libipsec-sw-initiates ]; then
  [ "$(wc -l <"$work/tshark-qm.out")" -ge 3 ] || fail "QM3 not on the wire"
  esp=$(awk -F'|' -v s="0x$(jf inboundSpi "$qm")" '$11==s && $4==4500 && $6==4500' "$work/tshark-ports.out" | wc -l)
  [ "$esp" -ge 1 ] || fail "no ESP-in-UDP with our inbound SPI $(jf inboundSpi "$qm") from charon's tunnel ($(xargs <"$work/ping.out"))"
  read_ikex_counter espdrop "$ctl" "$work/sa-list2.out" espDropped
  [ "${espdrop:-0}" -ge "$esp" ] || fail "charon's ESP-in-UDP reached our NAT-T socket ($esp datagrams) but espDropped=${espdrop:-?}"
  note "wire: UDP into charon's tunnel => $esp ESP-in-UDP datagram(s) with our inbound SPI $(jf inboundSpi "$qm") on 4500; ikex espDropped=$espdrop (no data plane)"
fi
ka=$(awk -F'|' '$10!=""' "$work/tshark-ports.out")
case "$base" in
  nat-we-initiate)
    # Ours: one 0xFF byte from behind the NAT (it arrives from 203.0.113.254:4500), 20 s after the float (MS-IKEE 3.2.2).
    kao=$(awk -F'|' -v a="$nat" -v m="$mapped" '$3==a && $4==m && $6==4500' <<<"$ka")
    [ -n "$kao" ] || fail "no NAT-T keep-alive from us (via $nat:$mapped) within the 24 s hold"
    t5=$(awk -F'|' '$12==4500 && $7==2 {print $2; exit}' "$work/tshark-ports.out")
    tk=$(head -n 1 <<<"$kao" | cut -d'|' -f2)
    gap=$(awk -v a="$t5" -v b="$tk" 'BEGIN {printf "%.1f", b-a}')
    awk -v g="$gap" 'BEGIN {exit !(g >= 19 && g <= 23)}' || fail "our first keep-alive came ${gap}s after MM5 (want ~20 s)"
    note "wire: NAT-T keep-alive (0xFF) from $nat:$mapped ${gap}s after MM5 ($(wc -l <<<"$kao") in all)"
    ;;
  nat-sw-initiates)
    kai=$(awk -F'|' -v a="$nat" -v m="$mapped" '$3==a && $4==m && $6==4500' <<<"$ka")
    [ -n "$kai" ] || fail "no NAT-T keep-alive from charon (behind the NAT) seen"
    read_ikex_counter dropped "$ctl" "$work/sa-list2.out" natKeepalivesDropped
    [ "${dropped:-0}" -ge 1 ] || fail "charon's keep-alives reached our NAT-T socket but natKeepalivesDropped=${dropped:-?}"
    note "wire: $(wc -l <<<"$kai") keep-alive(s) from charon via $nat:$mapped; ikex counted natKeepalivesDropped=$dropped"
    ;;
esac
pass
