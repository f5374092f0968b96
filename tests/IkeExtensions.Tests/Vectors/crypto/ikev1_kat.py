#!/usr/bin/env python3
"""Independent known answers for tests/IkeExtensions.Tests/Crypto (IkeV1KeyMaterialTests, ModpGroupTests).

Uses only the Python standard library plus mpmath (for the pi-based RFC 2409/3526 primes), so nothing here shares
code with the C# implementation (System.Security.Cryptography / BouncyCastle). Run: python3 ikev1_kat.py
Every value is printed as NAME=hex; the tests paste them with the comment "computed by Vectors/crypto/ikev1_kat.py".
"""
import hashlib
import hmac
import struct

from mpmath import mp, floor, pi


def oakley_prime(bits, k):
    """RFC 2409 §6.1/6.2 and RFC 3526 §3: p = 2^n - 2^(n-64) - 1 + 2^64 * ( [2^(n-130) pi] + k )."""
    mp.dps = bits // 3 + 50
    return 2 ** bits - 2 ** (bits - 64) - 1 + 2 ** 64 * (int(floor(mp.mpf(2) ** (bits - 130) * pi)) + k)


P1 = oakley_prime(768, 149686)     # RFC 2409 §6.1, group 1
P2 = oakley_prime(1024, 129093)    # RFC 2409 §6.2, group 2
P14 = oakley_prime(2048, 124476)   # RFC 3526 §3,   group 14
# RFC 5114 §2.3 (group 24), as printed by `openssl genpkey -genparam -algorithm DH -pkeyopt dh_rfc5114:3`.
P24 = int(
    "87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF4561B2AA30"
    "16C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B"
    "6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0E"
    "F13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026"
    "C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F"
    "693877FAD7EF09CADB094AE91E1A1597", 16)
G24 = int(
    "3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4AAC0BB555"
    "BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B"
    "777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55"
    "A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915"
    "B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D4795451"
    "5E2327CFEF98C582664B4C0F6CC41659", 16)
Q24 = int("8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3", 16)


def out(name, value):
    print(f"{name}={value.hex().upper()}")


def be(n, length):
    return n.to_bytes(length, "big")


def prf(key, data):
    return hmac.new(key, data, hashlib.sha1).digest()


def h(data):
    return hashlib.sha1(data).digest()


# --- Parameters (pi-based primes printed so the C# tests can compare with BouncyCastle's copies) ---------------------
out("P1", be(P1, 96))
out("P2", be(P2, 128))
out("P14", be(P14, 256))

# --- MODP 14 known answer: two fixed 256-bit exponents (the size the engine uses for group 14) ------------------------
X14_I = int("1F2E3D4C5B6A79880102030405060708090A0B0C0D0E0F101112131415161718", 16)
X14_R = int("2A2B2C2D2E2F30313233343536373839A0A1A2A3A4A5A6A7A8A9AAABACADAEAF", 16)
GXI = be(pow(2, X14_I, P14), 256)
GXR = be(pow(2, X14_R, P14), 256)
GXY = be(pow(pow(2, X14_I, P14), X14_R, P14), 256)
out("X14_I", be(X14_I, 32)); out("X14_R", be(X14_R, 32))
out("GXI", GXI); out("GXR", GXR); out("GXY", GXY)

# --- MODP 24 known answer: x in [1, q-1] ------------------------------------------------------------------------------
X24_I = Q24 - 12345
X24_R = int("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", 16)
out("X24_I", be(X24_I, 32)); out("X24_R", be(X24_R, 32))
out("G24_XI", be(pow(G24, X24_I, P24), 256))
out("G24_XR", be(pow(G24, X24_R, P24), 256))
out("G24_XY", be(pow(pow(G24, X24_I, P24), X24_R, P24), 256))

# --- IKEv1 Main Mode, pre-shared key, HMAC-SHA1 PRF, SHA1 hash, AES-256-CBC (RFC 2409 §5, Appendix B) -----------------
PSK = b"ikev1-kat-psk"
NI_B = bytes(range(0x00, 0x20))                  # 32-byte nonce bodies
NR_B = bytes(range(0x80, 0xA0))
CKY_I = 0x0102030405060708
CKY_R = 0x1112131415161718
CKYS = struct.pack(">QQ", CKY_I, CKY_R)
SAI_B = bytes.fromhex("00000001000000010000002c01010001000000240101000080010007800e0100800200028004000e800300018003000180020002")
IDII_B = bytes.fromhex("01000000c0000201")  # ID_IPV4_ADDR 192.0.2.1, protocol 0, port 0
IDIR_B = bytes.fromhex("01000000c0000202")

SKEYID = prf(PSK, NI_B + NR_B)
SKEYID_D = prf(SKEYID, GXY + CKYS + b"\x00")
SKEYID_A = prf(SKEYID, SKEYID_D + GXY + CKYS + b"\x01")
SKEYID_E = prf(SKEYID, SKEYID_A + GXY + CKYS + b"\x02")
out("SKEYID", SKEYID); out("SKEYID_D", SKEYID_D); out("SKEYID_A", SKEYID_A); out("SKEYID_E", SKEYID_E)

# Appendix B: 20-byte SKEYID_e < 32-byte AES-256 key -> K1 = prf(SKEYID_e, 0), K2 = prf(SKEYID_e, K1); take 32 bytes.
K1 = prf(SKEYID_E, b"\x00")
K2 = prf(SKEYID_E, K1)
out("ENC_KEY_AES256", (K1 + K2)[:32])

# Signature authentication: SKEYID = prf(Ni_b | Nr_b, g^xy)
out("SKEYID_SIG", prf(NI_B + NR_B, GXY))

out("HASH_I", prf(SKEYID, GXI + GXR + CKYS + SAI_B + IDII_B))
out("HASH_R", prf(SKEYID, GXR + GXI + struct.pack(">QQ", CKY_R, CKY_I) + SAI_B + IDIR_B))

IV0 = h(GXI + GXR)[:16]
out("IV_PHASE1", IV0)
LAST_BLOCK = bytes.fromhex("00112233445566778899AABBCCDDEEFF")
MID = 0xA1B2C3D4
out("IV_PHASE2", h(LAST_BLOCK + struct.pack(">I", MID))[:16])

# --- Quick Mode (RFC 2409 §5.5) and informational (§5.7) ----------------------------------------------------------
QM_REST = bytes.fromhex("0a000034000000010000000102") + b"quick-mode-rest"   # stand-in for SA | Ni | IDci | IDcr
QM_NI = bytes(range(0x40, 0x50))
QM_NR = bytes(range(0x50, 0x60))
out("QM_HASH1", prf(SKEYID_A, struct.pack(">I", MID) + QM_REST))
out("QM_HASH2", prf(SKEYID_A, struct.pack(">I", MID) + QM_NI + QM_REST))
out("QM_HASH3", prf(SKEYID_A, b"\x00" + struct.pack(">I", MID) + QM_NI + QM_NR))
INFO = bytes.fromhex("0000001000000001030400010000abcd")  # stand-in for a Delete payload
out("INFO_HASH", prf(SKEYID_A, struct.pack(">I", MID) + INFO))


def keymat(gqm, protocol, spi, length):
    seed = gqm + bytes([protocol]) + struct.pack(">I", spi) + QM_NI + QM_NR
    k = prf(SKEYID_D, seed)
    result = k
    while len(result) < length:
        k = prf(SKEYID_D, k + seed)
        result += k
    return result[:length]


SPI = 0x12345678
out("KEYMAT_ESP_52", keymat(b"", 3, SPI, 52))           # AES-256 (32) + HMAC-SHA1 (20): 3 PRF rounds
GQM = be(pow(pow(2, X14_R, P14), X14_I ^ 0xFF, P14), 256)  # any 256-byte PFS secret: (g^xr)^(xi xor 0xff)
out("GQM", GQM)
out("KEYMAT_ESP_52_PFS", keymat(GQM, 3, SPI, 52))
