#!/usr/bin/env bash
# Regenerate the strongSwan IKE captures used as golden vectors by IkeExtensions.Tests.
#
#   sudo tests/interop/capture-strongswan.sh [OUTDIR]   (default: tests/IkeExtensions.Tests/Vectors/captures)
#
# Two network namespaces joined by a veth pair (192.0.2.1 / 2001:db8::1 <-> 192.0.2.2 / 2001:db8::2, documentation
# ranges only; nothing leaves the pair), one charon per namespace, tcpdump on side A's veth. Every scenario gets
# fresh charons, so each pcap holds exactly one negotiation (initiate from A, then terminate from A).
# Key material (PSK, CA, certificates) lives in a temp dir and is thrown away; no secret reaches OUTDIR.
# Needs root and Debian packages: strongswan-charon strongswan-swanctl strongswan-pki libcharon-extra-plugins
# tcpdump iproute2.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "${1:-$repo/tests/IkeExtensions.Tests/Vectors/captures}")
# shellcheck source=lib.sh
. "$repo/tests/interop/lib.sh"    # lab_up/lab_down, write_strongswan_conf, start_charon, sw, stop_pid
need_tools ip unshare tcpdump swanctl pki /usr/lib/ipsec/charon || exit 1

P=ikcap                               # prefix of namespaces and veth names (<= 15 chars per interface)
work=$(mktemp -d /tmp/ikcap.XXXXXX)
pids=()                               # every background process we start (charons, tcpdump)

cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  lab_down
  if [ -n "${KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "== $*" >&2; }

# --- network -------------------------------------------------------------------------------------------------
# Namespaces $P-a/$P-b (192.0.2.1|2001:db8::1 <-> 192.0.2.2|2001:db8::2, inner 198.51.100.1/.2 on lo).
# Jumbo MTU: large unfragmented IKE messages (certificates) stay one IP datagram, so the pcaps never need IP
# reassembly; IKE-level fragmentation is still driven by charon's fragment_size.
lab_up "$P" 9000

# --- certificates (only for the pubkey scenarios; RSA-3072 so IKE_AUTH / MM5 are large) ------------------------
pkidir=$work/pki; mkdir -p "$pkidir"
make_pki() {
  log "generating RSA-3072 test CA and peer certificates"
  # Own plugin list: the default one names plugins Debian does not ship (noisy "failed to load" lines).
  printf 'pki {\n  load = random openssl pem pkcs1 x509 pubkey\n}\n' >"$pkidir/pki.conf"
  export STRONGSWAN_CONF=$pkidir/pki.conf
  pki --gen --type rsa --size 3072 --outform pem >"$pkidir/ca.key"
  pki --self --ca --lifetime 3650 --in "$pkidir/ca.key" --dn "C=XX, O=IkeExtensions, CN=IkeExtensions Test CA" \
      --outform pem >"$pkidir/ca.pem"
  local s
  for s in a b; do
    pki --gen --type rsa --size 3072 --outform pem >"$pkidir/$s.key"
    pki --pub --in "$pkidir/$s.key" | pki --issue --cacert "$pkidir/ca.pem" --cakey "$pkidir/ca.key" \
        --dn "C=XX, O=IkeExtensions, CN=$s.ike.test" --san "$s.ike.test" --lifetime 3650 --outform pem \
        >"$pkidir/$s.pem"
  done
  unset STRONGSWAN_CONF
}

# --- config writers (write_strongswan_conf: lib.sh) -----------------------------------------------------------
# swanctl.conf DIR SIDE(a|b) VERSION AUTH(psk|pubkey) FRAGMENTATION FAMILY(4|6)
write_swanctl_conf() {
  local dir=$1 me=$2 ver=$3 auth=$4 frag=$5 fam=$6 peer ip pip id pid ts rts
  peer=$([ "$me" = a ] && echo b || echo a)
  local -A n=([a]=1 [b]=2)
  if [ "$fam" = 6 ]; then ip=2001:db8::${n[$me]}; pip=2001:db8::${n[$peer]}
  else ip=192.0.2.${n[$me]}; pip=192.0.2.${n[$peer]}; fi
  ts=198.51.100.${n[$me]}/32; rts=198.51.100.${n[$peer]}/32
  if [ "$auth" = psk ]; then id=$ip; pid=$pip
  else
    id="C=XX, O=IkeExtensions, CN=$me.ike.test"; pid="C=XX, O=IkeExtensions, CN=$peer.ike.test"
    mkdir -p "$dir/x509" "$dir/x509ca" "$dir/rsa"   # swanctl loads these dirs next to swanctl.conf
    cp "$pkidir/$me.pem" "$dir/x509/"; cp "$pkidir/ca.pem" "$dir/x509ca/"; cp "$pkidir/$me.key" "$dir/rsa/"
  fi
  cat >"$dir/swanctl.conf" <<EOF
connections {
  c {
    version = $ver
    aggressive = no
    mobike = no
    fragmentation = $frag
    local_addrs = $ip
    remote_addrs = $pip
    proposals = aes256-sha256-modp2048
    local {
      auth = $auth
      id = "$id"
$([ "$auth" = pubkey ] && echo "      certs = $me.pem")
    }
    remote {
      auth = $auth
      id = "$pid"
    }
    children {
      t {
        mode = tunnel
        local_ts = $ts
        remote_ts = $rts
        esp_proposals = aes256-sha256
      }
    }
  }
}
secrets {
  ike-ab {
    id-a = $ip
    id-b = $pip
    secret = "capture-lab-psk-not-a-secret"
  }
}
EOF
}

# --- one scenario ----------------------------------------------------------------------------------------------
# scenario NAME [ver=1|2] [auth=psk|pubkey] [frag=yes|no|force] [fsize=N] [libipsec=yes] [fam=4|6] [probe=yes]
scenario() {
  local name=$1; shift
  local ver=1 auth=psk frag=yes fsize=1280 libipsec=no fam=4 probe=no
  local "$@"
  [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]] && return 0   # ONLY="name ..." runs a subset
  log "$name ($*)"
  local d=$work/$name s
  for s in a b; do
    mkdir -p "$d/$s"
    write_strongswan_conf "$d/$s" "$libipsec" "$fsize"
    write_swanctl_conf "$d/$s" "$s" "$ver" "$auth" "$frag" "$fam"
  done

  # -U: write each packet at once; -Z root: tcpdump otherwise drops to user tcpdump and cannot write to $work.
  ip netns exec "$NA" tcpdump -i "$VA" -n -U -Z root -w "$d/$name.pcap" udp >"$d/tcpdump.out" 2>&1 &
  local tcpd=$!; pids+=($tcpd)
  for s in $(seq 1 50); do grep -q 'listening on' "$d/tcpdump.out" && break; sleep 0.1; done

  start_charon "$NB" "$d/b"
  start_charon "$NA" "$d/a"
  # rc 1 also when only the CHILD_SA failed (kernel-netlink, no ESP) while the IKE SA is up: check below.
  sw "$d/a" --initiate --child t --timeout 30 >"$d/initiate.out" 2>&1 || true
  sleep 1
  if ! sw "$d/a" --list-sas --ike c | grep -q ESTABLISHED; then
    echo "$name: IKE SA not established; logs in $d (rerun with KEEP=1)" >&2; cat "$d/initiate.out" >&2; exit 1
  fi
  if [ "$probe" = yes ]; then   # ESP-in-UDP through kernel-libipsec's TUN device (B answers ICMP unreachable)
    ip netns exec "$NA" bash -c 'echo probe >/dev/udp/198.51.100.2/9' || log "probe failed"
    sleep 1
  fi
  sw "$d/a" --terminate --ike c --timeout 10 >"$d/terminate.out" 2>&1 || true
  sleep 1

  stop_pid "$(cat "$d/a/charon.pid")"; stop_pid "$(cat "$d/b/charon.pid")"
  stop_pid "$tcpd"
  cp "$d/$name.pcap" "$out/$name.pcap"
  # Side A's view of every message, including the payloads inside encrypted ones (no keys, just payload lists).
  grep -hE '\[ENC\] (generating|parsed)|\[NET\] sending packet' "$d/a/charon.log" \
    | sed -E 's/^[0-9]+\[/[/' >"$out/$name.payloads.txt"
  log "$name: $(grep -o '[0-9]* packets captured' "$d/tcpdump.out" || echo '? packets')"
}

mkdir -p "$out"
make_pki

# IKEv1 Main Mode + Quick Mode, PSK, no NAT (IKE stays on 500; the child fails to install after QM2).
scenario ikev1-mm-qm-psk ver=1 frag=yes
# IKEv1 fragmentation (payload 132): force = split any message above fragment_size without waiting for the peer's
# FRAG VID; 300 => 280-byte UDP datagrams, so MM3/MM4 (KE+nonce+NAT-D, ~400 B) are split, the rest fits.
scenario ikev1-fragmentation-force ver=1 frag=force fsize=300
# IKEv1 NAT-T: kernel-libipsec fakes NAT-D, so MM5+ and QM run on 4500 with the non-ESP marker; the child installs
# (QM3 present) and a UDP probe adds ESP-in-UDP packets (no marker) to tell the two apart.
scenario ikev1-nat-t ver=1 libipsec=yes probe=yes
# IKEv1 with RSA certificates: CERTREQ in MM4 (clear), CERT in MM5/MM6 (encrypted). No IKE fragmentation.
scenario ikev1-cert ver=1 auth=pubkey frag=no
# IKEv2 IKE_SA_INIT + IKE_AUTH, PSK (child install fails => responder answers with N(NO_PROPOSAL_CHOSEN)).
scenario ikev2-psk ver=2
# Same over IPv6.
scenario ikev2-psk-ipv6 ver=2 fam=6
# IKEv2 fragmentation (RFC 7383, SKF payload 53): RSA-3072 certificate auth makes IKE_AUTH exceed 1280 bytes.
scenario ikev2-fragmentation ver=2 auth=pubkey frag=yes fsize=1280

log "captures written to $out"
