#!/usr/bin/env bash
# IKEv2 interop with libreswan's pluto (Debian 12: libreswan 4.10) beyond PSK: RSA and ECDSA certificate authentication
# (RFC 7296 §2.15, §3.6-§3.8; RFC 7427) and IKEv2 fragmentation (RFC 7383), in two throw-away network namespaces:
# A (192.0.2.1) runs our engine (the ikex CLI), B (192.0.2.2) runs pluto (libreswan-lib.sh).
#
#   sudo tests/interop/libreswan-v2.sh <scenario> <path-to-ikex.dll>
#
# Scenarios (IKE aes256-sha2_256;modp2048, tunnel child 198.51.100.2/32 <=> .1/32, ID_DER_ASN1_DN identities of RSA-3072
# certificates from lib.sh make_test_pki, imported into pluto's NSS database with pk12util/certutil):
#   lsw-v2-cert-rsa              pluto initiates (authby=rsasig, leftcert=b) to `ikex responder --cert/--key/--ca`.
#                                pluto has fragmentation=no: the IKE_AUTH messages (~2 KB with the certificates) go whole.
#   lsw-v2-we-initiate-cert-rsa  pluto responds; `ikex initiate --ike-version 2 --cert/--key/--ca` from A.
#   lsw-v2-frag                  as lsw-v2-cert-rsa with fragmentation=yes in pluto and `--fragment-size 300` in ikex:
#                                both IKE_SA_INIT messages carry IKEV2_FRAGMENTATION_SUPPORTED, pluto splits its IKE_AUTH
#                                request into Encrypted Fragment payloads (SKF) which we reassemble, and we split our
#                                IKE_AUTH response into 300-byte datagrams which pluto reassembles.
#   lsw-v2-we-initiate-frag      ditto with ikex initiating (our request fragmented, pluto's response fragmented).
#   lsw-v2-cert-ecdsa            as lsw-v2-cert-rsa with ECDSA P-256 leaf certificates (pki --type ecdsa, same RSA CA) and
#   lsw-v2-we-initiate-cert-ecdsa  pluto's authby=ecdsa: RFC 7427 Digital Signature with ecdsa-with-SHA2 both ways.
#
# As in libreswan.sh, this kernel has no ESP: the child cannot be installed (pluto as initiator then deletes its IKE SA
# without a notification, as responder it answers TS_UNACCEPTABLE and keeps the IKE SA). Each scenario asserts the IKE
# SA ESTABLISHED on both sides with the same SPIs, each side's view of the other's certificate identity and AUTH method.
#
# Last line: "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1). KEEP=1 keeps the temp dir.
# Needs root, iproute2, util-linux, dotnet, openssl, strongswan-pki (make_test_pki), libnss3-tools, libreswan unpacked
# in $LIBRESWAN_ROOT (default /opt/libreswan; .ci/run does it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=libreswan-lib.sh
. "$here/libreswan-lib.sh"   # and lib.sh

lsw_begin "${1:-}" "${2:-}" b/pluto.log ikex.log ikex.out initiate.out showstates.out sa-list.out

# --- arguments and prerequisites ----------------------------------------------------------------------------------
case "$scenario" in
  lsw-v2-cert-rsa) role=lsw frag=no key=rsa ;;
  lsw-v2-we-initiate-cert-rsa) role=we frag=no key=rsa ;;
  lsw-v2-frag) role=lsw frag=yes key=rsa ;;
  lsw-v2-we-initiate-frag) role=we frag=yes key=rsa ;;
  lsw-v2-cert-ecdsa) role=lsw frag=no key=ecdsa ;;
  lsw-v2-we-initiate-cert-ecdsa) role=we frag=no key=ecdsa ;;
  *) echo "usage: $0 lsw-v2-cert-rsa|lsw-v2-we-initiate-cert-rsa|lsw-v2-frag|lsw-v2-we-initiate-frag|lsw-v2-cert-ecdsa|lsw-v2-we-initiate-cert-ecdsa <ikex.dll>" >&2
     verdict_done=1; echo "FAIL ${scenario:-?}: unknown scenario"; exit 1 ;;
esac
frag_size=300
need_tools ip unshare ss dotnet timeout openssl pki pk12util || fail "prerequisites missing (see above)"
need_libreswan || fail "libreswan prerequisites missing (see above)"
[ -f "$dll" ] || fail "ikex.dll not found at '$dll'"
dll=$(realpath "$dll")

work=$(mktemp -d /tmp/lsx-interop.XXXXXX)
mkdir -p "$work/b"
lab_up "lsx$$"                      # unique per run: namespaces lsx<pid>-a / lsx<pid>-b
dn_a="C=XX, O=IkeExtensions, CN=a.ike.test" dn_b="C=XX, O=IkeExtensions, CN=b.ike.test"
dn_ca="C=XX, O=IkeExtensions, CN=IkeExtensions Test CA"

# --- certificates -------------------------------------------------------------------------------------------------
note "generating a throw-away CA and $key certificates for A (us) and B (pluto)"
make_test_pki "$work/pki" 3072 || fail "pki could not generate the test certificates"
if [ "$key" = ecdsa ]; then
  # make_test_pki makes RSA leaves; ECDSA P-256 leaves under the same (RSA) CA, same subjects and SANs.
  (
    export STRONGSWAN_CONF=$work/pki/pki.conf
    for s in a b; do
      pki --gen --type ecdsa --size 256 --outform pem >"$work/pki/$s.key"
      pki --pub --in "$work/pki/$s.key" --type ecdsa | pki --issue --cacert "$work/pki/ca.pem" --cakey "$work/pki/ca.key" \
          --dn "C=XX, O=IkeExtensions, CN=$s.ike.test" --san "$s.ike.test" --lifetime 3650 --outform pem >"$work/pki/$s.pem"
    done
  ) || fail "pki could not generate the ECDSA certificates"
  grep -q 'BEGIN EC PRIVATE KEY' "$work/pki/a.key" || fail "pki did not write an EC key"
  authby=ecdsa
else
  authby=rsasig
fi

# --- pluto in B ---------------------------------------------------------------------------------------------------
b=$work/b
write_pluto_setup "$b" >/dev/null
# NSS: the CA as a trusted issuer (C: valid CA, T: trusted for client auth), B's certificate and key (nickname b).
certutil -A -d "sql:$b/nss" -n ca -t "CT,," -a -i "$work/pki/ca.pem" || fail "certutil could not import the CA"
openssl pkcs12 -export -in "$work/pki/b.pem" -inkey "$work/pki/b.key" -name b -passout pass:lab -out "$work/b.p12" ||
  fail "openssl could not make B's PKCS#12"
pk12util -i "$work/b.p12" -d "sql:$b/nss" -W lab >/dev/null || fail "pk12util could not import B's certificate and key"
cat >>"$b/ipsec.conf" <<EOF
conn c
  ikev2=yes
  authby=$authby
  type=tunnel
  fragmentation=$frag
  left=192.0.2.2
  leftid="$dn_b"
  leftcert=b
  leftsendcert=always
  leftsubnet=198.51.100.2/32
  right=192.0.2.1
  rightid="$dn_a"
  rightca="$dn_ca"
  rightsubnet=198.51.100.1/32
  ike=aes256-sha2_256;modp2048
  esp=aes256-sha2_256
  auto=add
EOF
: >"$b/ipsec.secrets"; chmod 600 "$b/ipsec.secrets"   # the private key is in NSS
start_pluto "$NB" "$b" c --impair revival || fail "pluto did not start"
note "pluto $("$LSW_LIBEXEC/ipsec/pluto" --version 2>&1 | head -n 1 | cut -d' ' -f1-2) in $NB, conn c (IKEv2, authby=$authby, fragmentation=$frag)"
ikex() { ip netns exec "$NA" dotnet "$dll" "$@"; }
dlog=$b/pluto-debug.log
plog() { grep -v ': |' "$dlog"; }   # pluto's non-debug lines
ours=(--cert "$work/pki/a.pem" --key "$work/pki/a.key" --ca "$work/pki/ca.pem")
[ "$frag" = yes ] && ours+=(--fragment-size "$frag_size")

# --- the exchange -------------------------------------------------------------------------------------------------
ctl=$work/ikex.ctl
if [ "$role" = lsw ]; then
  start_ikex_responder "$NA" "$dll" "$ctl" "$work/ikex.out" "$work/ikex.log" --verbose --address 192.0.2.1 --ike-version 2 "${ours[@]}"
  note "pluto (B) initiates IKEv2 with $key certificates to ikex responder (A)"
  # A non-zero rc is expected: pluto cannot install the child in this kernel (the IKE SA is checked below).
  rc=0; timeout 60 ip netns exec "$NB" "$LSW_LIBEXEC/ipsec/whack" --rundir "$b/run" --initiate --name c >"$work/initiate.out" 2>&1 || rc=$?
  note "whack --initiate rc=$rc"; sed 's/^/   /' "$work/initiate.out"
  sleep 1
  whack "$NB" "$b" --showstates >"$work/showstates.out" 2>&1 || true
else
  note "ikex initiate --ike-version 2 with $key certificates (A) to pluto (B)"
  ip netns exec "$NA" dotnet "$dll" initiate --ike-version 2 --address 192.0.2.1 --peer 192.0.2.2 "${ours[@]}" \
    --mode tunnel --local-ts 198.51.100.1/32 --remote-ts 198.51.100.2/32 --timeout 8 --hold 3 --json --verbose \
    >"$work/ikex.out" 2>"$work/ikex.log" &
  ikex_pid=$!; pids+=("$ikex_pid")
  wait_pluto_showstates "$NB" "$b" "$work/showstates.out" '"c":500 STATE_V2_ESTABLISHED_IKE_SA'
  rc=0; wait "$ikex_pid" || rc=$?
  note "ikex initiate rc=$rc ($(grep -m1 'ikex initiate:' "$work/ikex.log" || echo ok))"
  sed 's/^/   /' "$work/ikex.out"
  sleep 1   # our Delete (sent when ikex exits) reaches pluto
fi

# --- pluto's view --------------------------------------------------------------------------------------------------
note "pluto: whack --showstates:$([ -s "$work/showstates.out" ] || echo ' (none left)')"; sed 's/^/   /' "$work/showstates.out"
plog | grep -E '"c" #[0-9]+: .*(established IKE SA|authenticated|certificate|signature|fragment)' | sed 's/^/   pluto: /' | head -n 12 || true
if [ "$role" = lsw ]; then who=initiator; else who=responder; fi
st=$(pluto_state_of "$b" c "$who established IKE SA; authenticated peer .*'$dn_a'")
[ -n "$st" ] || fail "pluto never established the IKEv2 SA authenticating us by our certificate '$dn_a'"
estab=$(plog | grep -oE "\"c\" #$st: $who established IKE SA; .*" | head -n 1)
# pluto names the verified signature: RFC 7427 Digital Signature (RSASSA-PSS or PKCS#1 1.5 with SHA2) or RFC 7296 method 1.
# We sign RFC 7427 Digital Signatures with RSASSA-PKCS1-v1_5 (or ECDSA) and SHA2_256 (the P-256 curve's hash, and the
# first SHA-2 hash pluto announced).
if [ "$key" = rsa ]; then ours_sig='3072-bit PKCS#1 1.5 RSA with SHA2_256'; else ours_sig='P-256 ECDSA with SHA2_256'; fi
grep -qF "authenticated peer '$ours_sig' digital signature using peer certificate '$dn_a' issued by CA '$dn_ca'" <<<"$estab" ||
  fail "pluto did not verify our RFC 7427 '$ours_sig' signature with our certificate chained to the test CA: $estab"
note "pluto: $estab"
if [ "$role" = lsw ]; then
  # As initiator pluto signs first, with its preferred hash among the ones we announced (SHA2_512) and, for RSA,
  # RSASSA-PSS (RFC 7427 Appendix A.4); for ECDSA, ecdsa-with-SHA512 on a P-256 key. The SA is only established on our
  # side if we verified that signature (checked below).
  sel=$(grep -oE 'digsig: +(selected hash algorithm SHA2_[0-9]+|authby [a-z]+ selects signer [A-Za-z0-9#. -]+)' "$dlog" | head -n 2 | sed -E 's/ +/ /g' | tr '\n' ';')
  if [ "$key" = rsa ]; then want_signer=RSASSA-PSS; else want_signer=ECDSA; fi
  grep -q "selects signer $want_signer\$\|selects signer $want_signer;" <<<"$sel" || fail "pluto did not sign its IKE_AUTH with $want_signer ($sel)"
  note "pluto signed with: $sel"
fi
plog | grep -qE "\"c\" #$st: sent IKE_(SA_INIT reply|AUTH request) \{cipher=AES_CBC_256 integ=HMAC_SHA2_256_128 prf=HMAC_SHA2_256 group=MODP2048\}" ||
  fail "pluto's IKEv2 SA #$st does not use AES_CBC_256/HMAC_SHA2_256_128/HMAC_SHA2_256/MODP2048"
if [ "$role" = we ]; then   # as responder pluto keeps the IKE SA after refusing the child: it is listed
  grep -qE "#$st: \"c\":500 STATE_V2_ESTABLISHED_IKE_SA" "$work/showstates.out" ||
    fail "whack --showstates does not list #$st in STATE_V2_ESTABLISHED_IKE_SA"
fi
read -r spi_i spi_r <<<"$(pluto_ike_spis "$b" c "$st")"
[ -n "${spi_r:-}" ] || fail "no IKE SPIs for pluto's state #$st in its debug log"
note "pluto: IKE SA #$st, SPIs $spi_i/$spi_r"
if [ "$frag" = yes ]; then
  # RFC 7383 §2.3: pluto parsed our IKEV2_FRAGMENTATION_SUPPORTED in the IKE_SA_INIT message it received.
  if [ "$role" = lsw ]; then init_msg=response; else init_msg=request; fi
  grep -qE "looking for transition from [A-Z0-9_]+ matching IKE_SA_INIT $init_msg: .*N\(IKEV2_FRAGMENTATION_SUPPORTED\)" "$dlog" ||
    fail "pluto did not see IKEV2_FRAGMENTATION_SUPPORTED in our IKE_SA_INIT $init_msg"
  # §2.5: pluto split its IKE_AUTH message into Encrypted Fragment payloads ("recording fragment N" per fragment sent).
  lsw_sent=$(grep -oE '\| recording fragment [0-9]+$' "$dlog" | sort -u | wc -l)
  [ "$lsw_sent" -ge 2 ] || fail "pluto did not send its IKE_AUTH message in fragments"
  # §2.6: pluto received all of ours (numbered 1..T of T) and reassembled them.
  lsw_total=$(grep -oE "received IKE encrypted fragment number '[0-9]+', total number '[0-9]+'" "$dlog" | head -n 1 | grep -oE "[0-9]+'$" | tr -d "'")
  [ -n "$lsw_total" ] || fail "pluto received no IKE encrypted fragment from us"
  [ "$(grep -oE "received IKE encrypted fragment number '[0-9]+', total number '$lsw_total'" "$dlog" | sort -u | wc -l)" = "$lsw_total" ] &&
    grep -q '| reassembling incoming fragments' "$dlog" || fail "pluto did not receive and reassemble all $lsw_total of our fragments"
  note "pluto: saw our FRAG_SUP in IKE_SA_INIT $init_msg; sent its IKE_AUTH in $lsw_sent fragments; received and reassembled our $lsw_total fragments"
fi

# --- our view ------------------------------------------------------------------------------------------------------
if [ "$role" = lsw ]; then
  ikex sa list --control "$ctl" --json >"$work/sa-list.out" 2>&1 || fail "ikex sa list failed"
  mm=$(tr -d ' \n' <"$work/sa-list.out" | grep -oiE "\{[^{}]*\"initiatorCookie\":\"$spi_i\",\"responderCookie\":\"$spi_r\"[^{}]*\}" | head -n 1 || true)
else
  mm=$(tr -d ' \n' <"$work/ikex.out" | grep -o '"mainModeSa":{[^}]*}' || true)
  grep -qi "\"initiatorCookie\":\"$spi_i\"" <<<"$mm" && grep -qi "\"responderCookie\":\"$spi_r\"" <<<"$mm" || mm=""
fi
[ -n "$mm" ] || fail "ikex lists no SA with pluto's SPIs $spi_i/$spi_r"
if [ "$role" = we ]; then   # pluto refuses the child it cannot install (no ESP here): the IKE SA is what we check
  [ "$rc" = 1 ] && grep -q 'the peer refused the child SA: TS_UNACCEPTABLE' "$work/ikex.log" ||
    fail "ikex initiate exited $rc without pluto's TS_UNACCEPTABLE for the child"
fi
grep -qi '"keyModule":"IKEv2"' <<<"$mm" || fail "our SA is not an IKEv2 SA"
grep -qi '"state":"Established"' <<<"$mm" || fail "our IKEv2 SA with SPIs $spi_i/$spi_r is not Established"
grep -qi '"cipherAlgorithm":"AES-CBC-256"' <<<"$mm" && grep -qi '"groupId":14' <<<"$mm" || fail "our SA does not use AES-CBC-256 / group 14"
method=$(grep -oiE '"authenticationMethod":"[A-Za-z]*"' <<<"$mm" | cut -d'"' -f4)
[ "$method" = DigitalSignature ] || fail "our SA did not authenticate pluto by an RFC 7427 Digital Signature (authenticationMethod ${method:-none})"
grep -qF "\"remoteFirstId\":\"$(tr -d ' ' <<<"$dn_b")\"" <<<"$mm" || fail "our SA's peer identity is not pluto's DN '$dn_b'"
grep -qF "\"remoteCertificateSubject\":\"$(tr -d ' ' <<<"$dn_b")\"" <<<"$mm" || fail "our SA lacks pluto's certificate subject"
grep -E 'IKEv2#[0-9]+ (IKE_SA_INIT|established)|AUTHENTICATION_FAILED|CHILD#[0-9]+ failed' "$work/ikex.log" | sed 's/^/   ikex: /'
if [ "$frag" = yes ]; then
  grep -qE 'IKEv2#[0-9]+ IKEv2 fragmentation negotiated' "$work/ikex.log" || fail "ikex did not record fragmentation as negotiated"
  # Both directions, counted on both sides: what pluto sent we reassembled, what we sent pluto received.
  grep -qE "IKEv2#[0-9]+ IkeAuth (request|response) mid=1 reassembled from $lsw_sent fragments" "$work/ikex.log" ||
    fail "ikex did not reassemble pluto's $lsw_sent IKE_AUTH fragments"
  grep -qE "IKEv2#[0-9]+ IkeAuth (request|response) mid=1 \([0-9]+ bytes\) split into $lsw_total fragments of at most $((frag_size - 28)) bytes" "$work/ikex.log" ||
    fail "ikex did not send its IKE_AUTH message in the $lsw_total fragments ($frag_size-byte datagrams) pluto received"
  grep -oE 'IKEv2#[0-9]+ IkeAuth .*(reassembled from|split into) [0-9]+ fragments[^(]*' "$work/ikex.log" | sed 's/^/   ikex: /' | head -n 4
  grep -qi '"fragmentationActive":true' <<<"$mm" || fail "our IKEv2 SA does not list fragmentationActive"
else
  ! grep -qE 'IKEv2 fragmentation negotiated' "$work/ikex.log" || fail "fragmentation was negotiated although pluto has fragmentation=no"
fi
note "ikex: IKEv2 SA Established, authenticationMethod $method, remote certificate '$dn_b', SPIs match pluto's ($spi_i/$spi_r)"
pass
