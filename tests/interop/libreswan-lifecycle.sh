#!/usr/bin/env bash
# What happens to an established IKEv2 SA with libreswan's pluto (Debian 12: libreswan 4.10) as the peer: rekeying
# (RFC 7296 §1.3.2, §2.18) and deletion (§1.4.1), pre-shared keys, in two throw-away network
# namespaces: A (192.0.2.1) runs `ikex initiate --ike-version 2 --hold`, B (192.0.2.2) runs pluto (libreswan-lib.sh).
#
#   sudo tests/interop/libreswan-lifecycle.sh <scenario> <path-to-ikex.dll>
#
# ikex initiates (IKE aes256-sha2_256;modp2048, ID_IPV4_ADDR identities, tunnel child 198.51.100.1/32 <=> .2/32); pluto
# cannot install the child (no ESP in this kernel), answers TS_UNACCEPTABLE and keeps the IKE SA (see libreswan.sh),
# which ikex holds for a while. Then:
#   lsw-v2-rekeys-ike   `whack --rekey-ike`: pluto rekeys the IKE SA with CREATE_CHILD_SA (new SPI, nonce, KE) towards
#                       us, then deletes the old one (INFORMATIONAL Delete on the old SA). Asserts the new SA's SPIs are
#                       the same on both sides and the old SA is gone on both; then `whack --terminate` deletes the new
#                       SA, which we can only do if we derived the same new keys (RFC 7296 §2.18 SKEYSEED).
#   lsw-v2-we-rekey-ike our policy file gives the IKE SA a 10 s lifetime (held 17 s): at its soft lifetime (~90 %) we
#                       rekey it towards pluto (CREATE_CHILD_SA with an IKE proposal) and delete the old one ourselves.
#                       Asserts pluto's rekeyed state has our new SPIs and pluto deleted the old state on our Delete; the
#                       new SA's keys work: our Delete of it when ikex exits is processed by pluto.
#   lsw-v2-deletes-ike  `whack --terminate`: pluto sends an INFORMATIONAL Delete of the IKE SA; we remove ours
#                       ("deleted by peer") and answer (pluto has already dropped its state and says so).
# Liveness checks are not covered: pluto 4.10 schedules them (dpddelay) only for an established child, which this
# kernel cannot install.
#
# Last line: "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1). KEEP=1 keeps the temp dir.
# Needs root, iproute2, util-linux, dotnet, libnss3-tools, libreswan unpacked in $LIBRESWAN_ROOT (default /opt/libreswan).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=libreswan-lib.sh
. "$here/libreswan-lib.sh"   # and lib.sh

lsw_begin "${1:-}" "${2:-}" 80 b/pluto.log ikex.log ikex.out showstates.out whack.out

case "$scenario" in
  lsw-v2-rekeys-ike) action=rekey ;;
  lsw-v2-deletes-ike) action=delete ;;
  lsw-v2-we-rekey-ike) action=we-rekey ;;
  *) echo "usage: $0 lsw-v2-rekeys-ike|lsw-v2-we-rekey-ike|lsw-v2-deletes-ike <ikex.dll>" >&2
     verdict_done=1; echo "FAIL ${scenario:-?}: unknown scenario"; exit 1 ;;
esac
need_tools ip unshare ss dotnet timeout || fail "prerequisites missing (see above)"
need_libreswan || fail "libreswan prerequisites missing (see above)"
[ -f "$dll" ] || fail "ikex.dll not found at '$dll'"
dll=$(realpath "$dll")

work=$(mktemp -d /tmp/lsx-life.XXXXXX)
mkdir -p "$work/b"
lab_up "lsxl$$"                     # namespaces lsxl<pid>-a / lsxl<pid>-b
psk=interop-lab-psk-not-a-secret
printf '%s' "$psk" >"$work/psk"
# Our policy: pluto's ike=/esp= below; the IKE SA lives 10 s when we are to rekey it (else an hour).
hold=12 ike_lifetime=3600
[ "$action" = we-rekey ] && hold=17 ike_lifetime=10
cat >"$work/policy.json" <<EOF
{"mainMode":[{"encryption":"aes256","hash":"sha256","group":14,"lifetimeSeconds":$ike_lifetime}],
 "quickMode":[{"encryption":"aes256","integrity":"sha256","pfsGroup":0,"lifetimeSeconds":3600}]}
EOF

# --- pluto in B ---------------------------------------------------------------------------------------------------
b=$work/b
write_pluto_setup "$b" >/dev/null
cat >>"$b/ipsec.conf" <<EOF
conn c
  ikev2=yes
  authby=secret
  type=tunnel
  left=192.0.2.2
  leftsubnet=198.51.100.2/32
  right=192.0.2.1
  rightsubnet=198.51.100.1/32
  ike=aes256-sha2_256;modp2048
  esp=aes256-sha2_256
  fragmentation=no
  auto=add
EOF
write_pluto_psk_secrets "$b" 192.0.2.2 192.0.2.1 "$psk"
start_pluto "$NB" "$b" c --impair revival || fail "pluto did not start"
note "pluto $("$LSW_LIBEXEC/ipsec/pluto" --version 2>&1 | head -n 1 | cut -d' ' -f1-2) in $NB, conn c (IKEv2, PSK)"
dlog=$b/pluto-debug.log
plog() { grep -v ': |' "$dlog"; }

# --- the IKE SA ---------------------------------------------------------------------------------------------------
note "ikex initiate --ike-version 2 --hold $hold (A, IKE SA lifetime $ike_lifetime s) to pluto (B)"
ip netns exec "$NA" dotnet "$dll" initiate --ike-version 2 --address 192.0.2.1 --peer 192.0.2.2 --psk-file "$work/psk" \
  --policy "$work/policy.json" --mode tunnel --local-ts 198.51.100.1/32 --remote-ts 198.51.100.2/32 --timeout 8 --hold "$hold" --json --verbose \
  >"$work/ikex.out" 2>"$work/ikex.log" &
ikex_pid=$!; pids+=("$ikex_pid")
for _ in $(seq 1 150); do
  grep -q '"quickModeSa"' "$work/ikex.out" 2>/dev/null && break
  kill -0 "$ikex_pid" 2>/dev/null || break
  sleep 0.1
done
grep -q '"quickModeSa"' "$work/ikex.out" || fail "ikex initiate printed no SAs"
st=$(pluto_state_of "$b" c "responder established IKE SA; authenticated peer using authby=secret and ID_IPV4_ADDR '192.0.2.1'")
[ -n "$st" ] || fail "pluto never established the IKE SA"
read -r spi_i spi_r <<<"$(pluto_ike_spis "$b" c "$st")"
[ -n "${spi_r:-}" ] || fail "no IKE SPIs for pluto's state #$st"
mm=$(tr -d ' \n' <"$work/ikex.out" | grep -o '"mainModeSa":{[^}]*}' || true)
grep -qi "\"initiatorCookie\":\"$spi_i\"" <<<"$mm" && grep -qi "\"responderCookie\":\"$spi_r\"" <<<"$mm" && grep -qi '"state":"Established"' <<<"$mm" ||
  fail "ikex's IKE SA is not Established with pluto's SPIs $spi_i/$spi_r"
our_id=$(grep -oE "IKEv2#[0-9]+ established with 192\.0\.2\.2" "$work/ikex.log" | head -n 1 | sed -E 's/IKEv2#([0-9]+) .*/\1/')
note "IKE SA up: pluto #$st, ours IKEv2#$our_id, SPIs $spi_i/$spi_r"

# --- the action and both sides' views ------------------------------------------------------------------------------
show() {
  whack "$NB" "$b" --showstates >"$work/showstates.out" 2>&1 || true
  note "pluto: whack --showstates:$([ -s "$work/showstates.out" ] || echo ' (none left)')"; sed 's/^/   /' "$work/showstates.out"
  grep -E 'IKEv2#[0-9]+ |CHILD#[0-9]+ ' "$work/ikex.log" | tail -n 8 | sed 's/^/   ikex: /'
}
# terminate ST OURS: `whack --terminate`; pluto deletes IKE SA #ST with a notification and we remove IKEv2#OURS.
# decrypted_delete ST: pluto decrypted an INFORMATIONAL on IKE SA #ST that carries a Delete payload (its debug log).
decrypted_delete() { grep -A3 -E "\| #$1 ikev2 ISAKMP_v2_INFORMATIONAL decrypt success" "$dlog" | grep -q 'parse IKEv2 Delete Payload'; }
answers() { grep -c 'packet from 192.0.2.1:500: INFORMATIONAL response has no corresponding IKE SA' "$dlog" || true; }
terminate() {
  local before
  before=$(answers)
  whack "$NB" "$b" --terminate --name c >"$work/whack.out" 2>&1 || true
  sed 's/^/   /' "$work/whack.out"
  grep -qE "\"c\" #$1: deleting state \(STATE_V2_ESTABLISHED_IKE_SA\) aged [0-9.]+s and sending notification" "$work/whack.out" ||
    fail "pluto did not delete IKE SA #$1 with a notification"
  for _ in $(seq 1 50); do grep -q "IKEv2#$2 deleted: deleted by peer" "$work/ikex.log" && break; sleep 0.1; done
  grep -q "IKEv2#$2 deleted: deleted by peer" "$work/ikex.log" || fail "ikex did not remove IKEv2#$2 on pluto's Delete"
  # We answer the Delete (RFC 7296 §1.4.1); pluto has already dropped the state when the answer arrives.
  for _ in $(seq 1 20); do [ "$(answers)" -gt "$before" ] && break; sleep 0.1; done
  [ "$(answers)" -gt "$before" ] || fail "pluto never received our INFORMATIONAL response to its Delete"
  note "pluto deleted #$1 with a notification; ikex: IKEv2#$2 deleted by peer, and answered"
}

if [ "$action" = rekey ]; then
  whack "$NB" "$b" --rekey-ike --name c >"$work/whack.out" 2>&1 || true
  sed 's/^/   /' "$work/whack.out"
  new_st=$(grep -oE "\"c\" #[0-9]+: initiator rekeyed IKE SA #$st " "$work/whack.out" | head -n 1 | sed -E 's/"c" #([0-9]+): .*/\1/')
  [ -n "$new_st" ] || fail "pluto did not rekey IKE SA #$st (whack --rekey-ike)"
  read -r new_i new_r <<<"$(pluto_ike_spis "$b" c "$new_st")"
  [ -n "${new_r:-}" ] && [ "$new_i$new_r" != "$spi_i$spi_r" ] || fail "no new IKE SPIs for pluto's rekeyed state #$new_st"
  for _ in $(seq 1 50); do grep -q "IKEv2#$our_id deleted: deleted by peer" "$work/ikex.log" && break; sleep 0.1; done
  show
  line=$(grep -E "IKEv2#[0-9]+ established by rekeying IKEv2#$our_id \(the peer's rekey, RFC 7296 §1\.3\.2\)" "$work/ikex.log" | head -n 1)
  [ -n "$line" ] || fail "ikex did not establish a new IKE SA from pluto's rekey of IKEv2#$our_id"
  grep -qi "spi $new_i/$new_r\$" <<<"$line" || fail "our rekeyed IKE SA's SPIs differ from pluto's #$new_st ($new_i/$new_r): $line"
  new_id=$(sed -E 's/.*IKEv2#([0-9]+) established by rekeying.*/\1/' <<<"$line")
  # The old SA: pluto deleted it after the rekey (with a notification), and we removed ours on that Delete.
  grep -qE "\"c\" #$st: deleting state \(STATE_V2_ESTABLISHED_IKE_SA\) aged [0-9.]+s and sending notification" "$dlog" ||
    fail "pluto did not delete the old IKE SA #$st with a notification"
  grep -q "IKEv2#$our_id deleted: deleted by peer" "$work/ikex.log" || fail "ikex did not remove the old IKEv2#$our_id on pluto's Delete"
  grep -qE "#$new_st: \"c\":500 STATE_V2_ESTABLISHED_IKE_SA" "$work/showstates.out" && ! grep -qE "#$st: " "$work/showstates.out" ||
    fail "whack --showstates does not list (only) the new IKE SA #$new_st"
  note "pluto: #$new_st rekeyed #$st, new SPIs $new_i/$new_r; ikex: IKEv2#$new_id with the same SPIs, old IKEv2#$our_id deleted by peer"
  # The new SA works both ways: pluto's Delete on it is decrypted (with the rekeyed SK_e/SK_a) and answered.
  terminate "$new_st" "$new_id"
elif [ "$action" = we-rekey ]; then
  note "waiting for our soft lifetime (~9 s) to rekey the IKE SA towards pluto"
  for _ in $(seq 1 200); do grep -q "IKEv2#$our_id deleted" "$work/ikex.log" && break; sleep 0.1; done
  sleep 0.5
  show
  grep -q "IKEv2#$our_id rekeying the IKE SA (soft lifetime reached)" "$work/ikex.log" || fail "ikex did not rekey IKEv2#$our_id at its soft lifetime"
  line=$(grep -E "IKEv2#[0-9]+ established by rekeying IKEv2#$our_id \(our rekey, RFC 7296 §1\.3\.2\)" "$work/ikex.log" | head -n 1)
  [ -n "$line" ] || fail "ikex did not establish the rekeyed IKE SA"
  new_id=$(sed -E 's/.*IKEv2#([0-9]+) established by rekeying.*/\1/' <<<"$line")
  read -r new_i new_r <<<"$(grep -oE 'spi [0-9a-f]{16}/[0-9a-f]{16}$' <<<"$line" | cut -d' ' -f2 | tr / ' ')"
  new_st=$(plog | grep -oE "\"c\" #[0-9]+: responder rekeyed IKE SA #$st" | head -n 1 | sed -E 's/"c" #([0-9]+): .*/\1/')
  [ -n "$new_st" ] || fail "pluto did not log that it rekeyed IKE SA #$st as responder"
  [ "$(pluto_ike_spis "$b" c "$new_st")" = "$new_i $new_r" ] || fail "pluto's rekeyed #$new_st has SPIs $(pluto_ike_spis "$b" c "$new_st"), ours $new_i/$new_r"
  grep -q "IKEv2#$our_id deleted" "$work/ikex.log" || fail "ikex did not delete the old IKEv2#$our_id after the rekey"
  decrypted_delete "$st" && grep -qE "\"c\" #$st: deleting state \(STATE_V2_ESTABLISHED_IKE_SA\)" "$dlog" ||
    fail "pluto did not decrypt our Delete of the old IKE SA #$st and delete it"
  grep -qE "#$new_st: \"c\":500 STATE_V2_ESTABLISHED_IKE_SA" "$work/showstates.out" && ! grep -qE "#$st: " "$work/showstates.out" ||
    fail "whack --showstates does not list (only) the rekeyed IKE SA #$new_st"
  note "ikex: IKEv2#$new_id rekeyed IKEv2#$our_id (our rekey), SPIs $new_i/$new_r = pluto's #$new_st; old SA deleted on both"
  # The new keys work: when the hold ends ikex deletes the new SA, and pluto decrypts that Delete.
  rc=0; wait "$ikex_pid" || rc=$?
  for _ in $(seq 1 20); do decrypted_delete "$new_st" && break; sleep 0.1; done
  decrypted_delete "$new_st" ||
    fail "pluto did not decrypt our INFORMATIONAL Delete on the rekeyed IKE SA #$new_st"
  note "pluto: decrypted our Delete on the rekeyed #$new_st"
else
  terminate "$st" "$our_id"
  show
fi
pass
