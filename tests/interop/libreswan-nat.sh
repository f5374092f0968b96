#!/usr/bin/env bash
# IKEv2 NAT traversal (RFC 7296 §2.23, RFC 3948 §2.2) with libreswan's pluto (Debian 12: libreswan 4.10) through a real
# NAT (lib.sh nat_lab_up: nftables masquerade in a router namespace), pre-shared keys.
#
#   sudo tests/interop/libreswan-nat.sh <scenario> <path-to-ikex.dll>
#
# Topology: A = 192.0.2.1 (private side, default route via the NAT), N = masquerading router 192.0.2.254 |
# 203.0.113.254, B = 203.0.113.2 (public side). IKE aes256-sha2_256;modp2048, ID_IPV4_ADDR identities (each host's
# own address), tunnel 198.51.100.1/32 (A) <=> 198.51.100.2/32 (B).
#
# Scenarios:
#   lsw-v2-nat-we-initiate   `ikex initiate --ike-version 2` in A (behind the NAT) to pluto in B. Both detect the NAT
#                            from the NAT_DETECTION_*_IP notifies in IKE_SA_INIT; we float to 4500 for IKE_AUTH
#                            (non-ESP marker); pluto's IKE SA is on 203.0.113.2:4500 <=> 203.0.113.254:4500 with
#                            "NAT detected" for the peer, ours on 192.0.2.1:4500 <=> 203.0.113.2:4500, natDetectedLocal.
#   lsw-v2-nat-lsw-initiates pluto in A (behind the NAT) initiates to `ikex responder` in B: pluto floats to 4500, we
#                            follow it and list the NAT's address, natDetectedRemote.
#
# No ESP in this kernel: the child is never installed (see libreswan.sh); the IKE SA is what both sides are checked for.
# Last line: "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1). KEEP=1 keeps the temp dir.
# Needs root, iproute2, util-linux, nftables, dotnet, libnss3-tools, libreswan unpacked in $LIBRESWAN_ROOT.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=libreswan-lib.sh
. "$here/libreswan-lib.sh"   # and lib.sh

lsw_begin "${1:-}" "${2:-}" lsw/pluto.log ikex.log ikex.out initiate.out showstates.out sa-list.out

case "$scenario" in
  lsw-v2-nat-we-initiate) role=we ;;
  lsw-v2-nat-lsw-initiates) role=lsw ;;
  *) echo "usage: $0 lsw-v2-nat-we-initiate|lsw-v2-nat-lsw-initiates <ikex.dll>" >&2
     verdict_done=1; echo "FAIL ${scenario:-?}: unknown scenario"; exit 1 ;;
esac
need_tools ip unshare ss nft dotnet timeout || fail "prerequisites missing (see above; apt-get install nftables)"
need_libreswan || fail "libreswan prerequisites missing (see above)"
[ -f "$dll" ] || fail "ikex.dll not found at '$dll'"
dll=$(realpath "$dll")

work=$(mktemp -d /tmp/lsx-nat.XXXXXX)
psk=interop-lab-psk-not-a-secret
printf '%s' "$psk" >"$work/psk"
nat_lab_up "lsxn$$"                 # namespaces lsxn<pid>-a / -n / -b
priv=192.0.2.1 pub=203.0.113.2 nat=203.0.113.254
if [ "$role" = we ]; then
  we_ns=$NA we_addr=$priv lsw_ns=$NB lsw_addr=$pub peer_seen=$nat we_inner=198.51.100.1 lsw_inner=198.51.100.2
else
  lsw_ns=$NA lsw_addr=$priv we_ns=$NB we_addr=$pub peer_seen=$pub lsw_inner=198.51.100.1 we_inner=198.51.100.2
fi

# --- pluto ---------------------------------------------------------------------------------------------------------
d=$work/lsw
write_pluto_setup "$d" >/dev/null
# right= is where pluto reaches (or sees) us: behind the NAT we come from the NAT's public address.
cat >>"$d/ipsec.conf" <<EOF
conn c
  ikev2=yes
  authby=secret
  type=tunnel
  left=$lsw_addr
  leftid=$lsw_addr
  leftsubnet=$lsw_inner/32
  right=$peer_seen
  rightid=$we_addr
  rightsubnet=$we_inner/32
  ike=aes256-sha2_256;modp2048
  esp=aes256-sha2_256
  fragmentation=no
  auto=add
EOF
write_pluto_psk_secrets "$d" "$lsw_addr" "$we_addr" "$psk"
start_pluto "$lsw_ns" "$d" c --impair revival || fail "pluto did not start"
note "pluto $("$LSW_LIBEXEC/ipsec/pluto" --version 2>&1 | head -n 1 | cut -d' ' -f1-2) in $lsw_ns ($lsw_addr), conn c (IKEv2, PSK)"
dlog=$d/pluto-debug.log
plog() { grep -v ': |' "$dlog"; }
ikex() { ip netns exec "$we_ns" dotnet "$dll" "$@"; }
jf() { grep -o "\"$1\":[^,}]*" <<<"$2" | head -n 1 | cut -d: -f2- | tr -d '"'; }   # jf FIELD OBJECT

# --- the exchange --------------------------------------------------------------------------------------------------
ctl=$work/ikex.ctl
if [ "$role" = lsw ]; then
  start_ikex_responder "$we_ns" "$dll" "$ctl" "$work/ikex.out" "$work/ikex.log" --verbose --address "$we_addr" --psk-file "$work/psk"
  note "pluto ($lsw_addr, behind the NAT) initiates IKEv2 to ikex responder ($we_addr)"
  rc=0; timeout 60 ip netns exec "$lsw_ns" "$LSW_LIBEXEC/ipsec/whack" --rundir "$d/run" --initiate --name c >"$work/initiate.out" 2>&1 || rc=$?
  note "whack --initiate rc=$rc"; sed 's/^/   /' "$work/initiate.out"
  sleep 1
  whack "$lsw_ns" "$d" --showstates >"$work/showstates.out" 2>&1 || true
else
  note "ikex initiate --ike-version 2 ($we_addr, behind the NAT) to pluto ($lsw_addr)"
  ip netns exec "$we_ns" dotnet "$dll" initiate --ike-version 2 --address "$we_addr" --peer "$lsw_addr" --psk-file "$work/psk" \
    --mode tunnel --local-ts "$we_inner/32" --remote-ts "$lsw_inner/32" --timeout 8 --hold 3 --json --verbose \
    >"$work/ikex.out" 2>"$work/ikex.log" &
  ikex_pid=$!; pids+=("$ikex_pid")
  wait_pluto_showstates "$lsw_ns" "$d" "$work/showstates.out" '"c"(\[[0-9]+\])?:4500 STATE_V2_ESTABLISHED_IKE_SA'
  rc=0; wait "$ikex_pid" || rc=$?
  note "ikex initiate rc=$rc ($(grep -m1 'ikex initiate:' "$work/ikex.log" || echo ok))"
  sed 's/^/   /' "$work/ikex.out"
fi

# --- pluto's view --------------------------------------------------------------------------------------------------
note "pluto: whack --showstates:$([ -s "$work/showstates.out" ] || echo ' (none left)')"; sed 's/^/   /' "$work/showstates.out"
if [ "$role" = lsw ]; then who=initiator; else who=responder; fi
st=$(pluto_state_of "$d" c "$who established IKE SA; authenticated peer using authby=secret and ID_IPV4_ADDR '$we_addr'")
[ -n "$st" ] || fail "pluto never established the IKEv2 SA authenticating us by PSK as ID_IPV4_ADDR $we_addr"
note "pluto: $(plog | grep -oE "\"c\" #$st: $who established IKE SA.*" | head -n 1)"
read -r spi_i spi_r <<<"$(pluto_ike_spis "$d" c "$st")"
[ -n "${spi_r:-}" ] || fail "no IKE SPIs for pluto's state #$st in its debug log"
grep -E '\| NAT_TRAVERSAL (this|that) end is' "$dlog" | cut -d'|' -f2- | sed 's/^/   pluto:/'
# RFC 7296 §2.23: each side's NAT_DETECTION_*_IP hashes tell pluto where the NAT is; the IKE_AUTH exchange then runs
# between the two 4500 ports (pluto's debug log names the endpoints of every datagram).
if [ "$role" = we ]; then
  grep -qF "| NAT_TRAVERSAL that end is behind NAT $nat:500" "$dlog" && grep -qF '| NAT_TRAVERSAL this end is NOT behind NAT' "$dlog" ||
    fail "pluto did not detect the NAT in front of us ($nat) from our NAT_DETECTION_SOURCE_IP"
  grep -qE "\| \*received [0-9]+ bytes from $nat:4500 on [^ ]+ $lsw_addr:4500 using UDP" "$dlog" ||
    fail "pluto never received our IKE_AUTH on $lsw_addr:4500 from the NAT's $nat:4500"
  grep -qE "#$st: \"c\":4500 STATE_V2_ESTABLISHED_IKE_SA" "$work/showstates.out" ||
    fail "whack --showstates does not list #$st on port 4500 in STATE_V2_ESTABLISHED_IKE_SA"
  note "pluto: peer behind NAT $nat, IKE SA #$st on $lsw_addr:4500 <=> $nat:4500, SPIs $spi_i/$spi_r"
else
  grep -qF '| NAT_TRAVERSAL this end is behind NAT' "$dlog" && grep -qF '| NAT_TRAVERSAL that end is NOT behind NAT' "$dlog" ||
    fail "pluto did not detect the NAT in front of itself from our NAT_DETECTION_DESTINATION_IP"
  grep -qE "\| sending [0-9]+ bytes for [A-Z0-9_]+ through [^ ]+ from $lsw_addr:4500 to $we_addr:4500 using UDP" "$dlog" ||
    fail "pluto did not float to port 4500 for IKE_AUTH"
  note "pluto: itself behind the NAT, IKE_AUTH from $lsw_addr:4500 to $we_addr:4500, IKE SA #$st SPIs $spi_i/$spi_r"
fi
# The child: pluto tried to install it UDP-encapsulated (ESP in UDP, RFC 3948) between the 4500 ports; no ESP here.
grep -qE '\| kernel: natt/tcp sa encap_type=2\(espinudp\) sport=4500 dport=[0-9]+' "$dlog" ||
  fail "pluto did not set up the child as ESP in UDP (RFC 3948)"
note "pluto: child as ESP-in-UDP: $(grep -oE 'encap_type=2\(espinudp\) sport=4500 dport=[0-9]+' "$dlog" | head -n 1) (then: no ESP in this kernel)"

# --- our view ------------------------------------------------------------------------------------------------------
if [ "$role" = lsw ]; then
  ikex sa list --control "$ctl" --json >"$work/sa-list.out" 2>&1 || fail "ikex sa list failed"
  mm=$(tr -d ' \n' <"$work/sa-list.out" | grep -oiE "\{[^{}]*\"initiatorCookie\":\"$spi_i\",\"responderCookie\":\"$spi_r\"[^{}]*\}" | head -n 1 || true)
else
  mm=$(tr -d ' \n' <"$work/ikex.out" | grep -o '"mainModeSa":{[^}]*}' || true)
  [ "$(jf initiatorCookie "$mm")" = "$spi_i" ] && [ "$(jf responderCookie "$mm")" = "$spi_r" ] || mm=""
fi
[ -n "$mm" ] || fail "ikex lists no SA with pluto's SPIs $spi_i/$spi_r"
grep -E 'IKEv2#[0-9]+ (NAT detected|floating|peer floated|established)|CHILD#[0-9]+ failed' "$work/ikex.log" | sed 's/^/   ikex: /' | head -n 6 || true
note "ikex: IKE SA $(jf localEndpoint "$mm") <=> $(jf remoteEndpoint "$mm") $(jf keyModule "$mm") $(jf state "$mm"), natDetectedLocal=$(jf natDetectedLocal "$mm") natDetectedRemote=$(jf natDetectedRemote "$mm") ports $(jf localUdpEncapsulationPort "$mm")/$(jf remoteUdpEncapsulationPort "$mm")"
[ "$(jf keyModule "$mm")" = IKEv2 ] && [ "$(jf state "$mm")" = Established ] || fail "ikex's SA with pluto's SPIs is not an Established IKEv2 SA"
[ "$(jf authenticationMethod "$mm")" = PreSharedKey ] && [ "$(jf remoteFirstId "$mm")" = "$lsw_addr" ] || fail "ikex did not authenticate pluto by PSK as $lsw_addr"
if [ "$role" = we ]; then
  [ "$(jf natDetectedLocal "$mm")" = true ] && [ "$(jf natDetectedRemote "$mm")" = false ] || fail "we did not detect (only) the NAT in front of us"
  [ "$(jf localEndpoint "$mm")" = "$we_addr:4500" ] && [ "$(jf remoteEndpoint "$mm")" = "$lsw_addr:4500" ] || fail "our IKE SA is not on $we_addr:4500 <=> $lsw_addr:4500"
  [ "$rc" = 1 ] && grep -q 'the peer refused the child SA: TS_UNACCEPTABLE' "$work/ikex.log" ||
    fail "ikex initiate exited $rc without pluto's TS_UNACCEPTABLE for the child"
else
  [ "$(jf natDetectedRemote "$mm")" = true ] && [ "$(jf natDetectedLocal "$mm")" = false ] || fail "we did not detect (only) the NAT in front of pluto"
  [ "$(jf localEndpoint "$mm")" = "$we_addr:4500" ] && [ "$(jf remoteEndpoint "$mm")" = "$nat:4500" ] ||
    fail "our IKE SA did not follow pluto to $we_addr:4500 <=> $nat:4500"
fi
[ "$(jf localUdpEncapsulationPort "$mm")" = 4500 ] && [ "$(jf remoteUdpEncapsulationPort "$mm")" = 4500 ] ||
  fail "our IKE SA's UDP encapsulation ports are not 4500/4500"
note "ikex: IKE SA Established through the NAT, SPIs match pluto's ($spi_i/$spi_r)"
pass
