#!/usr/bin/env bash
# IKEv2 NAT traversal interop (RFC 7296 §2.23, RFC 3948): our engine (the ikex CLI) against strongSwan's charon through
# a real NAT (lib.sh nat_lab_up: nftables masquerade in a router namespace).
#
#   sudo tests/interop/ikev2-nat.sh <scenario> <path-to-ikex.dll>
#
# Topology (nat_lab_up): A = 192.0.2.1 (private side), N = masquerading router 192.0.2.254 | 203.0.113.254,
# B = 203.0.113.2 (public side). IKEv2, PSK (identities: the hosts' own addresses), aes256-sha256-modp2048,
# ESP aes256-sha256, tunnel 198.51.100.1/32 (A) <=> 198.51.100.2/32 (B).
#
# Scenarios:
#   v2-nat-we-initiate       `ikex initiate --ike-version 2` in A (behind the NAT) to charon in B, holding the SAs 24 s.
#                            Asserts: IKE_SA_INIT on 500, IKE_AUTH and everything after on 4500 with the non-ESP marker
#                            (B's wire, tshark); charon's SA is 203.0.113.2[4500] <=> 203.0.113.254[4500] with
#                            nat-remote=yes and its child TUNNEL-in-UDP (encap=yes); ours is 192.0.2.1:4500 <=>
#                            203.0.113.2:4500, natDetectedLocal, child UdpEncapsulatedTunnel with charon's SPIs; our
#                            NAT-keepalive (0xFF) arrives from 203.0.113.254:4500 about 20 s after IKE_AUTH.
#   v2-nat-sw-initiates      charon in A (behind the NAT) initiates to `ikex responder` in B. Asserts: our SA follows
#                            charon to port 4500 and lists 203.0.113.2:4500 <=> 203.0.113.254:4500, natDetectedRemote,
#                            child UdpEncapsulatedTunnel; charon lists nat-local=yes, port 4500, TUNNEL-in-UDP; charon's
#                            keepalives (keep_alive = 5s) reach our NAT-T socket and are dropped there as keepalives.
#   v2-nat-we-initiate-random, v2-nat-sw-initiates-random
#                            the same through a port-changing NAT (nftables "masquerade random"): the NAT maps A's 4500
#                            to a random port, and the public side's SA follows that port.
#   v2-encap-we-initiate     no NAT (lib.sh lab_up: A 192.0.2.1, B 192.0.2.2): `ikex initiate --ike-version 2 --encap`
#                            (strongSwan's encap = yes): our NAT_DETECTION_SOURCE_IP cannot match, so charon believes
#                            we are behind a NAT (nat-remote=yes); we float to 4500 anyway, both children are
#                            UDP-encapsulated, and nobody sends keepalives (nobody is behind a NAT).
#
# charon runs with kernel-libipsec (userspace ESP, UDP-encapsulated only), so it installs the child and both
# negotiations complete. kernel-libipsec also sends a NAT_DETECTION_SOURCE_IP that cannot match (strongSwan's fake
# NAT, to force encapsulation); the checks therefore read the NAT evidence that is not faked: charon's own detection
# (nat-local / nat-remote), our NAT_DETECTION_DESTINATION_IP result, and the NAT's address and ports on both sides.
#
# Last line: "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1). KEEP=1 keeps the temp dir.
# Needs root, iproute2, util-linux, nftables, tcpdump, tshark, dotnet, strongswan-charon strongswan-swanctl
# libcharon-extra-plugins (kernel-libipsec), /dev/net/tun.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

interop_begin "${1:-}" "${2:-}" 80 '*/charon.log' ikex.log ikex.out initiate.out sa-list.out list-sas.out tshark-ports.out

masq="" topology=nat encap=""
case "$scenario" in
  v2-nat-we-initiate) role=we ;;
  v2-nat-sw-initiates) role=sw ;;
  v2-nat-we-initiate-random) role=we masq=random ;;
  v2-nat-sw-initiates-random) role=sw masq=random ;;
  v2-encap-we-initiate) role=we topology=flat encap=--encap ;;
  *) unknown_scenario "v2-nat-we-initiate[-random]|v2-nat-sw-initiates[-random]|v2-encap-we-initiate" ;;
esac
need_tools ip unshare ss nft swanctl /usr/lib/ipsec/charon dotnet timeout tcpdump tshark ||
  fail "prerequisites missing (see above; apt-get install nftables tcpdump tshark)"
[ -f /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] || fail "kernel-libipsec plugin missing (apt-get install libcharon-extra-plugins)"
[ -c /dev/net/tun ] || fail "/dev/net/tun missing (kernel-libipsec needs a TUN device)"
check_ikex_dll

work=$(mktemp -d /tmp/ikev2-nat.XXXXXX)
write_lab_psk

if [ "$topology" = nat ]; then
  nat_lab_up "v2nat${masq:+r}" "$masq"      # namespaces v2nat[r]-a / -n / -b
  priv=192.0.2.1 pub=203.0.113.2 nat=203.0.113.254
else
  lab_up v2nate                             # namespaces v2nate-a / -b, no NAT: B sees A as it is
  priv=192.0.2.1 pub=192.0.2.2 nat=192.0.2.1
fi
if [ "$role" = we ]; then
  we_ns=$NA we_addr=$priv sw_ns=$NB sw_addr=$pub sw_dir=$work/b we_inner=198.51.100.1 sw_inner=198.51.100.2
else
  sw_ns=$NA sw_addr=$priv we_ns=$NB we_addr=$pub sw_dir=$work/a sw_inner=198.51.100.1 we_inner=198.51.100.2
fi
mkdir -p "$sw_dir"

# --- strongSwan ------------------------------------------------------------------------------------------------------
write_strongswan_conf "$sw_dir" yes 1280 "      cfg = 2
      knl = 2"
# keep_alive 5s: charon behind the NAT (sw-initiates) sends its keepalives within the test's patience.
sed -i 's/^  port_nat_t = 4500$/  port_nat_t = 4500\n  keep_alive = 5s/' "$sw_dir/strongswan.conf"
if [ "$role" = we ]; then remote_addrs=%any; else remote_addrs=$we_addr; fi   # we arrive from the NAT's address
swanctl_conf encap=no local_addrs="$sw_addr" remote_addrs="$remote_addrs" local_ts="$sw_inner/32" remote_ts="$we_inner/32" \
  auth="$(swanctl_psk_auth "$sw_addr" "$we_addr")" secrets="$(swanctl_psk_secrets "$psk" "$we_addr" "$sw_addr")" >"$sw_dir/swanctl.conf"
start_charon_monitored "$sw_ns" "$sw_dir" "$work/monitor.out"

# --- capture on B's wire (the public side of the NAT) ------------------------------------------------------------------
start_udp_capture "$NB" "$VB" "$work/cap.pcap" "$work/tcpdump.out"
# One line per UDP datagram on B's wire: number|time|src|sport|dst|dport|exchtype|marker|keepalive.
frames() { capture_frames "$work/cap.pcap" isakmp.exchangetype udpencap.non_esp_marker udpencap.nat_keepalive; }

ikex() { ip netns exec "$we_ns" dotnet "$dll" "$@"; }

# --- the exchange ----------------------------------------------------------------------------------------------------
ctl=$work/ikex.ctl
if [ "$role" = sw ]; then
  start_ikex_responder "$we_ns" "$dll" "$ctl" "$work/ikex.out" "$work/ikex.log" --verbose --address "$we_addr" --psk-file "$work/psk"
  ip netns exec "$we_ns" ss -Hunl 'sport = :4500' | grep -q . || fail "ikex responder does not listen on UDP 4500"
  note "charon ($sw_addr, behind the NAT) initiates IKEv2 to ikex responder ($we_addr)"
  sw_initiate "$sw_dir" t "$work/initiate.out"
  [ "$rc" = 0 ] || fail "swanctl --initiate failed (rc $rc)"
  sleep 1
else
  note "ikex initiate --ike-version 2 $encap ($we_addr, $([ -n "$encap" ] && echo "no NAT" || echo "behind the NAT")) to charon ($sw_addr), tunnel mode, holding the SAs 24 s"
  start_ikex_initiate_held "$we_ns" "$dll" "$work/ikex.out" "$work/ikex.log" --ike-version 2 $encap --address "$we_addr" \
    --peer "$sw_addr" --psk-file "$work/psk" --mode tunnel --local-ts "$we_inner/32" --remote-ts "$sw_inner/32" --timeout 20 \
    --json --hold 24 --verbose
  sleep 1
fi

# --- strongSwan's view (while the SAs are up) --------------------------------------------------------------------------
log=$sw_dir/charon.log
sw "$sw_dir" --list-sas >"$work/list-sas.out" 2>&1 || true
sed 's/^/   /' "$work/list-sas.out"
sw "$sw_dir" --list-sas --raw >"$work/list-sas-raw.out" 2>&1 || true
raw=$(grep -m1 'list-sa event' "$work/list-sas-raw.out" || true)
[ -n "$raw" ] || fail "swanctl --list-sas --raw lists no SA"
grep -q 'version=2 state=ESTABLISHED' <<<"$raw" || fail "charon's SA is not an ESTABLISHED IKEv2 SA"
field() { grep -o " $1=[^ ]*" <<<"$raw" | head -n 1 | cut -d= -f2; }
spi_i=$(field initiator-spi) spi_r=$(field responder-spi)
if [ "$role" = we ]; then
  # Our 4500 as the NAT maps it: 4500 itself with plain masquerade, a random port with "masquerade random".
  mapped=$(field remote-port)
  [ "$(field remote-host)" = "$nat" ] && [ "$(field local-port)" = 4500 ] ||
    fail "charon's IKE SA is not on $sw_addr[4500] <=> $nat[...] (local-port=$(field local-port) remote=$(field remote-host)[$mapped])"
  if [ -n "$masq" ]; then [ "$mapped" != 500 ] || fail "charon's IKE SA did not follow us off port 500"
  else [ "$mapped" = 4500 ] || fail "charon's IKE SA is not on our port 4500 (remote-port=$mapped)"; fi
  [ "$(field nat-remote)" = yes ] || fail "charon does not see us behind a NAT (no nat-remote=yes)"
  grep -q 'remote host is behind NAT' "$log" || fail "charon did not log 'remote host is behind NAT'"
  [ -z "$encap" ] || [ "$(field nat-local)" != yes ] || fail "charon believes it is behind a NAT itself"
  grep -qE "^ +remote '$we_addr' @ $nat\[$mapped\]" "$work/list-sas.out" || fail "swanctl --list-sas does not show us at $nat[$mapped]"
  note "charon: IKE SA $sw_addr[4500] <=> $nat[$mapped], nat-remote=yes ($([ -n "$encap" ] && echo "our faked NAT_DETECTION_SOURCE_IP" || echo "we are behind the NAT"))"
else
  [ "$(field remote-host)" = "$we_addr" ] && [ "$(field remote-port)" = 4500 ] && [ "$(field local-port)" = 4500 ] ||
    fail "charon's IKE SA is not on $sw_addr[4500] <=> $we_addr[4500] (local-port=$(field local-port) remote=$(field remote-host)[$(field remote-port)])"
  [ "$(field nat-local)" = yes ] || fail "charon does not see itself behind a NAT (no nat-local=yes)"
  grep -q 'local host is behind NAT, sending keep alives' "$log" || fail "charon did not log 'local host is behind NAT, sending keep alives'"
  grep -qE "^ +remote '$we_addr' @ $we_addr\[4500\]" "$work/list-sas.out" || fail "swanctl --list-sas does not show us at $we_addr[4500]"
  note "charon: IKE SA $sw_addr[4500] <=> $we_addr[4500], nat-local=yes (itself behind the NAT)"
fi
grep -qE "^ *c: #[0-9]+, ESTABLISHED, IKEv2, ${spi_i}_i\*? ${spi_r}_r" "$work/list-sas.out" || fail "swanctl --list-sas lacks the ESTABLISHED IKEv2 SA"
grep -qE '^ +t: #[0-9]+, reqid [0-9]+, INSTALLED, TUNNEL-in-UDP, ESP:AES_CBC-256/HMAC_SHA2_256_128' "$work/list-sas.out" ||
  fail "charon's child is not INSTALLED, TUNNEL-in-UDP"
grep -q ' encap=yes' <<<"$(grep -m1 'list-sa event' "$work/list-sas-raw.out")" || fail "charon's child is not UDP-encapsulated (no encap=yes)"
sw_in=$(grep -oE '^ +in +[0-9a-f]{8}' "$work/list-sas.out" | awk '{print $2}' | head -n 1)
sw_out=$(grep -oE '^ +out +[0-9a-f]{8}' "$work/list-sas.out" | awk '{print $2}' | head -n 1)
note "charon: child INSTALLED, TUNNEL-in-UDP (encap=yes), SPIs in $sw_in out $sw_out"

# --- our view --------------------------------------------------------------------------------------------------------
read_our_sas "$role" "$ctl" "$work/sa-list.out" "$work/ikex.out" IKEv2
note "ikex: IKE SA $(jf localEndpoint "$mm") <=> $(jf remoteEndpoint "$mm") $(jf keyModule "$mm") $(jf state "$mm"), natDetectedLocal=$(jf natDetectedLocal "$mm") natDetectedRemote=$(jf natDetectedRemote "$mm") ports $(jf localUdpEncapsulationPort "$mm")/$(jf remoteUdpEncapsulationPort "$mm")"
[ "$(jf keyModule "$mm")" = IKEv2 ] && [ "$(jf state "$mm")" = Established ] || fail "ikex lists no Established IKEv2 SA"
[ "$(jf initiatorCookie "$mm")" = "$spi_i" ] && [ "$(jf responderCookie "$mm")" = "$spi_r" ] || fail "ikex's SPIs differ from charon's ($spi_i/$spi_r)"
if [ -n "$encap" ]; then
  # No NAT: we detect none in front of us, and float (and encapsulate) because we were told to.
  [ "$(jf natDetectedLocal "$mm")" = false ] || fail "we detected a NAT in front of us where there is none"
  [ "$(jf localEndpoint "$mm")" = "$we_addr:4500" ] && [ "$(jf remoteEndpoint "$mm")" = "$sw_addr:4500" ] ||
    fail "our IKE SA did not float to $we_addr:4500 <=> $sw_addr:4500 with --encap"
  want=4500
elif [ "$role" = we ]; then
  [ "$(jf natDetectedLocal "$mm")" = true ] || fail "we did not detect the NAT in front of us (natDetectedLocal=false)"
  [ "$(jf localEndpoint "$mm")" = "$we_addr:4500" ] && [ "$(jf remoteEndpoint "$mm")" = "$sw_addr:4500" ] ||
    fail "our IKE SA is not on $we_addr:4500 <=> $sw_addr:4500"
  want=4500
else
  [ "$(jf natDetectedRemote "$mm")" = true ] || fail "we did not detect the NAT in front of charon (natDetectedRemote=false)"
  mapped=$(jf remoteUdpEncapsulationPort "$mm")
  if [ -n "$masq" ]; then [ "$mapped" != 500 ] && [ "$mapped" != 0 ] || fail "our IKE SA did not follow charon off port 500 (port $mapped)"
  else [ "$mapped" = 4500 ] || fail "our IKE SA did not follow charon to port 4500 (port $mapped)"; fi
  [ "$(jf localEndpoint "$mm")" = "$we_addr:4500" ] && [ "$(jf remoteEndpoint "$mm")" = "$nat:$mapped" ] ||
    fail "our IKE SA is not on $we_addr:4500 <=> $nat:$mapped (the NAT's mapping of charon's 4500)"
  want=$mapped
fi
[ "$(jf localUdpEncapsulationPort "$mm")" = 4500 ] && [ "$(jf remoteUdpEncapsulationPort "$mm")" = "$want" ] ||
  fail "our IKE SA's UDP encapsulation ports are $(jf localUdpEncapsulationPort "$mm")/$(jf remoteUdpEncapsulationPort "$mm"), not 4500/$want"
note "ikex: child $(jf state "$qm") $(jf encapsulationMode "$qm") in $(jf inboundSpi "$qm") out $(jf outboundSpi "$qm") $(jf localTrafficSelector "$qm") <=> $(jf remoteTrafficSelector "$qm")"
[ "$(jf state "$qm")" = Established ] || fail "ikex shows no established child SA"
[ "$(jf encapsulationMode "$qm")" = UdpEncapsulatedTunnel ] || fail "our child SA is not UDP-encapsulated tunnel ($(jf encapsulationMode "$qm"))"
[ "$(jf inboundSpi "$qm")" = "$sw_out" ] && [ "$(jf outboundSpi "$qm")" = "$sw_in" ] ||
  fail "SPIs differ: ours in $(jf inboundSpi "$qm") out $(jf outboundSpi "$qm"), charon's in $sw_in out $sw_out"
grep -E 'IKEv2#[0-9]+ (NAT detected|floating|peer floated|established)|CHILD#[0-9]+ established' "$work/ikex.log" | sed 's/^/   ikex: /' | head -n 6 || true

# --- the wire ----------------------------------------------------------------------------------------------------------
if [ "$role" = we ]; then
  note "waiting for ikex initiate's hold to end (NAT-keepalives)"
  sleep $(( 22 - SECONDS + we_started > 0 ? 22 - SECONDS + we_started : 0 ))
  sw "$sw_dir" --list-sas --raw 2>/dev/null | grep -q 'state=ESTABLISHED' || fail "charon lost the IKE SA during the hold"
  rc=0; wait "$ikex_pid" || rc=$?
  [ "$rc" = 0 ] || fail "ikex initiate exited $rc"
else
  sleep 7   # charon's keep_alive = 5s
fi
stop_capture
frames >"$work/tshark.out" || fail "tshark could not read the capture"
[ -s "$work/tshark.out" ] || fail "nothing captured on $VB"
# Ports as B sees them: B's own (bport, field 10) and the other side's (oport, field 11: the NAT's mapping).
add_b_ports "$pub" "$work/tshark.out" "$work/tshark-ports.out"
# IKE_SA_INIT (exchange 34) on B's 500 without a marker; everything after it on B's 4500, one port on the other side,
# with the non-ESP marker (RFC 3948 §2.2).
init=$(awk -F'|' '$7==34' "$work/tshark-ports.out")
[ -n "$init" ] || fail "no IKE_SA_INIT on the wire"
[ -z "$(awk -F'|' '$10!=500' <<<"$init")" ] || fail "IKE_SA_INIT not on B's port 500"
o500=$(awk -F'|' '{print $11}' <<<"$init" | sort -u | xargs)
last500=$(awk -F'|' '$10==500 {n=$1} END {print n+0}' "$work/tshark-ports.out")
after=$(awk -F'|' -v n="$last500" '$1>n && $7!=""' "$work/tshark-ports.out")
[ -n "$after" ] || fail "no IKE after IKE_SA_INIT"
[ -z "$(awk -F'|' '$10!=4500' <<<"$after")" ] || fail "IKE after IKE_SA_INIT not on B's port 4500: $(awk -F'|' '$10!=4500' <<<"$after" | head -n 2)"
o4500=$(awk -F'|' '{print $11}' <<<"$after" | sort -u | xargs)
if [ "$role" = we ]; then [ "$o4500" = "$mapped" ] || fail "IKE after IKE_SA_INIT not on one port $mapped on the other side (saw: $o4500)"
else [ "$o4500" = "$mapped" ] || fail "IKE after IKE_SA_INIT not on the NAT's port $mapped (saw: $o4500)"; fi
[ -z "$(awk -F'|' '$8==""' <<<"$after")" ] || fail "IKE on 4500 without the non-ESP marker: $(awk -F'|' '$8==""' <<<"$after" | head -n 2)"
[ "$(awk -F'|' '$7==35' <<<"$after" | wc -l)" -ge 2 ] || fail "IKE_AUTH request and response not both on 4500"
if [ "$topology" = nat ]; then check_no_private_leak "$work/tshark.out"; fi
note "wire: IKE_SA_INIT on $pub:500 <=> port $o500, then $(wc -l <<<"$after") IKE datagrams (IKE_AUTH first) on $pub:4500 <=> $nat:$o4500, all with the non-ESP marker"
ka=$(awk -F'|' -v a="$nat" -v m="$mapped" '$9!="" && $3==a && $4==m && $6==4500' "$work/tshark-ports.out")
if [ -n "$encap" ]; then
  # RFC 3948 §2.3: keepalives come from the side behind a NAT; here there is none.
  [ -z "$(awk -F'|' '$9!=""' "$work/tshark-ports.out")" ] || fail "NAT-keepalives on the wire though nobody is behind a NAT"
  note "wire: no NAT-keepalives (nobody is behind a NAT)"
elif [ "$role" = we ]; then
  # RFC 3948 §2.3: ours, from behind the NAT, the first one 20 s after we floated (IKE_AUTH request).
  [ -n "$ka" ] || fail "no NAT-keepalive from us (via $nat:$mapped) within the 24 s hold"
  t_auth=$(awk -F'|' '$7==35 {print $2; exit}' "$work/tshark-ports.out")
  t_ka=$(head -n 1 <<<"$ka" | cut -d'|' -f2)
  gap=$(awk -v a="$t_auth" -v b="$t_ka" 'BEGIN {printf "%.1f", b-a}')
  awk -v g="$gap" 'BEGIN {exit !(g >= 19 && g <= 23)}' || fail "our first NAT-keepalive came ${gap}s after IKE_AUTH (want ~20 s)"
  note "wire: NAT-keepalive (0xFF) from $nat:$mapped ${gap}s after IKE_AUTH ($(wc -l <<<"$ka") in all)"
else
  [ -n "$ka" ] || fail "no NAT-keepalive from charon (behind the NAT) seen"
  read_ikex_counter dropped "$ctl" "$work/sa-list2.out" natKeepalivesDropped
  [ "${dropped:-0}" -ge 1 ] || fail "charon's keepalives reached our NAT-T socket but natKeepalivesDropped=${dropped:-?}"
  ours=$(awk -F'|' -v b="$pub" '$9!="" && $3==b' "$work/tshark-ports.out" | wc -l)
  [ "$ours" = 0 ] || fail "we sent $ours NAT-keepalive(s) though we are not behind the NAT"
  note "wire: $(wc -l <<<"$ka") keepalive(s) from charon via $nat:$mapped, none from us; ikex counted natKeepalivesDropped=$dropped"
fi
pass
