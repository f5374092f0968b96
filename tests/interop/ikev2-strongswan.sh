#!/usr/bin/env bash
# IKEv2 interop (RFC 7296): our engine (the ikex CLI) against strongSwan's charon, in two throw-away network namespaces.
#
#   sudo tests/interop/ikev2-strongswan.sh <scenario> <path-to-ikex.dll>
#
# Scenarios:
#   v2-sw-initiates-psk      `ikex responder` (IKEv1 and IKEv2 on one socket) in A (192.0.2.1); charon in B (192.0.2.2)
#                            initiates IKE_SA_INIT + IKE_AUTH (PSK) with a tunnel-mode child 198.51.100.2/32 <=> .1/32,
#                            IKE aes256-sha256-modp2048, ESP aes256-sha256.
#   v2-we-initiate-psk       charon in B responds; `ikex initiate --ike-version 2` from A, same child.
#   v2-sw-initiates-psk-gcm  as above with IKE aes128gcm16-prfsha256-ecp256 and ESP aes128gcm16 (RFC 5282 SK payload).
#   v2-we-initiate-psk-gcm   ditto; ikex's default policy sends KE for MODP-2048 first, so charon answers
#                            INVALID_KE_PAYLOAD(ECP_256) and we retry with ECP-256 (RFC 7296 §1.2).
#
# strongSwan: version = 2, mobike = no, kernel-netlink. This kernel has no ESP, so charon negotiates the child on the
# wire and then fails to install it: as initiator it deletes the CHILD_SA after IKE_AUTH, as responder it answers
# IKE_AUTH with an error notify for the child. Either way its IKE SA stays ESTABLISHED, and so does ours: the checks
# below assert that both sides list the same ESTABLISHED IKEv2 SA (SPIs, algorithms).
#
# Last line: "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1). KEEP=1 keeps the temp dir.
# Needs root, iproute2, util-linux, dotnet, strongswan-charon strongswan-swanctl libcharon-extra-plugins.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

interop_begin "${1:-}" "${2:-}" b/charon.log ikex.log ikex.out initiate.out sa-list.out

# --- arguments and prerequisites ----------------------------------------------------------------------------------
case "$scenario" in
  v2-sw-initiates-psk) role=sw suite=cbc ;;
  v2-we-initiate-psk) role=we suite=cbc ;;
  v2-sw-initiates-psk-gcm) role=sw suite=gcm ;;
  v2-we-initiate-psk-gcm) role=we suite=gcm ;;
  v2-sw-initiates-psk-modp2048s256) role=sw suite=g24 ;;
  v2-we-initiate-psk-modp2048s256) role=we suite=g24 ;;
  *) unknown_scenario "v2-sw-initiates-psk|v2-we-initiate-psk|v2-sw-initiates-psk-gcm|v2-we-initiate-psk-gcm|v2-sw-initiates-psk-modp2048s256|v2-we-initiate-psk-modp2048s256" ;;
esac
if [ "$suite" = cbc ]; then
  proposal=aes256-sha256-modp2048 esp=aes256-sha256
  ike_algs="encr-alg=AES_CBC encr-keysize=256 integ-alg=HMAC_SHA2_256_128 prf-alg=PRF_HMAC_SHA2_256 dh-group=MODP_2048"
  list_algs="AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048" our_cipher=AES-CBC-256 our_group=14
elif [ "$suite" = g24 ]; then
  # DH group 24 (RFC 5114 MODP-2048 with a 256-bit prime-order subgroup), through an ikex --policy file on our side.
  proposal=aes128-sha256-modp2048s256 esp=aes128-sha256
  ike_algs="encr-alg=AES_CBC encr-keysize=128 integ-alg=HMAC_SHA2_256_128 prf-alg=PRF_HMAC_SHA2_256 dh-group=MODP_2048_256"
  list_algs="AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048_256" our_cipher=AES-CBC-128 our_group=24
else
  proposal=aes128gcm16-prfsha256-ecp256 esp=aes128gcm16
  ike_algs="encr-alg=AES_GCM_16 encr-keysize=128 prf-alg=PRF_HMAC_SHA2_256 dh-group=ECP_256"
  list_algs="AES_GCM_16-128/PRF_HMAC_SHA2_256/ECP_256" our_cipher=AES-GCM-128 our_group=19
fi
need_tools ip unshare ss swanctl /usr/lib/ipsec/charon dotnet timeout || fail "prerequisites missing (see above)"
check_ikex_dll

make_work ikev2-sw
lab_up "ikv$$"
write_lab_psk
policy_args=()
if [ "$suite" = g24 ]; then
  printf '%s' '{"mainMode":[{"encryption":"aes128","hash":"sha256","group":24}],"quickMode":[{"encryption":"aes128","integrity":"sha256"}]}' >"$work/policy.json"
  policy_args=(--policy "$work/policy.json")
fi

# --- strongSwan in B ----------------------------------------------------------------------------------------------
# enc = 2: the payloads charon parses and generates, so the log shows our IKE_AUTH as strongSwan decoded it.
write_strongswan_conf "$work/b" no 1280 "      cfg = 2
      knl = 2
      enc = 2"
swanctl_conf proposals="$proposal" esp_proposals="$esp" secrets="$(swanctl_psk_secrets "$psk")" >"$work/b/swanctl.conf"
start_charon_monitored "$NB" "$work/b" "$work/monitor.out"
ikex() { ip netns exec "$NA" dotnet "$dll" "$@"; }

# --- the exchange -------------------------------------------------------------------------------------------------
ctl=$work/ikex.ctl
if [ "$role" = sw ]; then
  start_ikex_responder "$NA" "$dll" "$ctl" "$work/ikex.out" "$work/ikex.log" --verbose --address 192.0.2.1 --psk-file "$work/psk" "${policy_args[@]}"
  note "charon (B) initiates IKEv2 to ikex responder (A)"
  # rc 1 is expected: the CHILD_SA cannot be installed in this kernel while the IKE SA is up (checked below).
  sw_initiate "$work/b" t "$work/initiate.out"
else
  note "ikex initiate --ike-version 2 (A) to charon (B), tunnel mode"
  # rc 1 is expected when charon refuses the child it cannot install; the IKE SA JSON is printed either way.
  ikex_initiate_v2 "$NA" "$dll" "$work/ikex.out" "$work/ikex.log" --psk-file "$work/psk" "${policy_args[@]}"
fi
sleep 1

# --- strongSwan's view -------------------------------------------------------------------------------------------
log=$work/b/charon.log
charon_ike_up "$work/monitor.out" 2
grep -qF "$ike_algs" <<<"$up" || fail "charon's IKE SA does not use $ike_algs"
grep -qF "local-id=192.0.2.2" <<<"$up" && grep -qF "remote-id=192.0.2.1" <<<"$up" || fail "charon's IKE SA identities are not the addresses"
grep -q "authentication of '192.0.2.1' with pre-shared key successful" "$log" || fail "charon did not verify our PSK AUTH"
note "charon: $(grep -o "authentication of '192.0.2.1' with pre-shared key successful" "$log" | head -n 1)"
note "charon: $(grep -o 'IKE_SA c\[[0-9]*\] established between .*' "$log" | head -n 1)"
grep -q "selected proposal: ESP" "$log" && note "charon: $(grep -o 'selected proposal: ESP.*' "$log" | tail -n 1)"
if grep -q 'unable to install .*IPsec SA (SAD) in kernel' "$log"; then
  note "charon: CHILD_SA not installed in the kernel (no ESP here: expected): $(grep -o 'unable to install .*' "$log" | head -n 1)"
fi
if [ "$suite" = gcm ] && [ "$role" = we ]; then
  grep -q 'generating IKE_SA_INIT response 0 \[ N(INVAL_KE)' "$log" || fail "charon never asked for another D-H group (INVALID_KE_PAYLOAD) though we sent MODP-2048 first"
  note "charon: $(grep -o 'DH group MODP_2048 unacceptable, requesting ECP_256' "$log" | head -n 1 || true); $(grep -o 'generating IKE_SA_INIT response 0 \[ N(INVAL_KE).*' "$log" | head -n 1)"
fi
if [ "$role" = sw ]; then   # our responder keeps the IKE SA: charon still lists it
  check_charon_lists_sa "$work/b" "$work/list-sas.out" 2
  grep -qF "$list_algs" "$work/list-sas.out" || fail "swanctl --list-sas does not show $list_algs"
else
  # ikex initiate deletes its IKE SA when it exits (after charon refused the child it cannot install): charon must
  # have decrypted that INFORMATIONAL and deleted the SA it had ESTABLISHED (the ike-updown event above).
  grep -q 'received DELETE for IKE_SA c\[[0-9]*\]' "$log" || fail "charon never received our Delete of the IKE SA"
  note "charon: $(grep -o 'parsed INFORMATIONAL request [0-9]* \[ D \]' "$log" | head -n 1); $(grep -o 'received DELETE for IKE_SA c\[[0-9]*\]' "$log" | head -n 1)"
fi
note "charon: IKE SA ESTABLISHED, IKEv2, $list_algs, SPIs $spi_i/$spi_r"

# --- our view ------------------------------------------------------------------------------------------------------
check_our_ikev2_sa "$role" "$ctl" "$work/sa-list.out" "$work/ikex.out"
grep -qi "\"cipherAlgorithm\":\"$our_cipher\"" <<<"$mm" && grep -qi "\"groupId\":$our_group" <<<"$mm" ||
  fail "ikex's IKEv2 SA does not use $our_cipher / group $our_group"
grep -qi '"authenticationMethod":"PreSharedKey"' <<<"$mm" || fail "ikex's IKEv2 SA did not use the pre-shared key"
grep -E 'IKEv2#[0-9]+ (IKE_SA_INIT|INVALID_KE|established)|CHILD#[0-9]+ (established|deleted|failed)' "$work/ikex.log" | sed 's/^/   ikex: /'
note "ikex: IKEv2 SA Established, KeyModule IKEv2, SPIs match charon's ($spi_i/$spi_r)"
pass
