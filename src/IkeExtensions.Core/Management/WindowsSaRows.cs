using System;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Platform.Windows.Native;

namespace IkeExtensions.Management
{
    /// <summary>
    /// Windows' own IKE/AuthIP main mode SAs and IPsec SA contexts (read by <see cref="IkeextSaReader"/>) as the rows our
    /// engine returns (<see cref="MainModeSaInfo"/>, <see cref="QuickModeSaInfo"/>), names as our engine spells them, so
    /// Get-IkeMainModeSA -Windows and our own responders print alike. Key material is never read: only the transform
    /// identifiers at the head of the key-information structs.
    /// </summary>
    public static class WindowsSaRows
    {
        /// <summary>Maps one IKEEXT_SA_DETAILS1 (as IkeextSaEnum1 returns it) to the engine's main mode row.</summary>
        public static MainModeSaInfo MapMainMode(IntPtr saDetails1)
        {
            if (saDetails1 == IntPtr.Zero) throw new ArgumentNullException(nameof(saDetails1));
            var d = Marshal.PtrToStructure<IKEEXT_SA_DETAILS1>(saDetails1);
            int localPort = 500, remotePort = 500;
            var info = new MainModeSaInfo();
            if (d.v4UdpEncapsulation != IntPtr.Zero && d.ipVersion == FwpValues.FWP_IP_VERSION_V4)
            {
                var encap = Marshal.PtrToStructure<IPSEC_V4_UDP_ENCAPSULATION0>(d.v4UdpEncapsulation);
                localPort = encap.localUdpEncapPort;
                remotePort = encap.remoteUdpEncapPort;
                info.LocalUdpEncapsulationPort = localPort;
                info.RemoteUdpEncapsulationPort = remotePort;
            }
            info.Id = unchecked((long)d.saId);
            info.KeyModule = d.keyModuleType switch { 0 => "IKEv1", 1 => "AuthIP", 2 => "IKEv2", _ => "KeyModule" + d.keyModuleType };
            info.LocalEndpoint = Endpoint(d.ikeTraffic.ipVersion, d.ikeTraffic.local.localV4Address, d.ikeTraffic.local.localV6Address, localPort);
            info.RemoteEndpoint = Endpoint(d.ikeTraffic.ipVersion, d.ikeTraffic.remote.remoteV4Address, d.ikeTraffic.remote.remoteV6Address, remotePort);
            info.CipherAlgorithm = Cipher(d.ikeProposal.cipherAlgorithm.algoIdentifier);
            info.HashAlgorithm = Integrity(d.ikeProposal.integrityAlgorithm.algoIdentifier);
            info.GroupId = DhGroup(d.ikeProposal.dhGroup);
            info.LifetimeSeconds = Clamp(d.ikeProposal.maxLifetimeSeconds);
            info.MaxQMSAs = Clamp(d.ikeProposal.quickModeLimit);
            info.InitiatorCookie = d.cookiePair.initiator.ToString("x16", CultureInfo.InvariantCulture);
            info.ResponderCookie = d.cookiePair.responder.ToString("x16", CultureInfo.InvariantCulture);
            info.State = "Established";
            info.IsWeak = d.ikeProposal.cipherAlgorithm.algoIdentifier == 0 || d.ikeProposal.integrityAlgorithm.algoIdentifier == 0 || d.ikeProposal.dhGroup == 1;
            if (d.ikeCredentials.numCredentials > 0 && d.ikeCredentials.credentials != IntPtr.Zero)
            {
                var pair = Marshal.PtrToStructure<IKEEXT_CREDENTIAL_PAIR1>(d.ikeCredentials.credentials);
                info.AuthenticationMethod = AuthMethod(pair.localCredentials.authenticationMethodType);
                info.LocalFirstId = Identity(pair.localCredentials);
                info.RemoteFirstId = Identity(pair.peerCredentials);
            }
            return info;
        }

        /// <summary>Maps one IPSEC_SA_CONTEXT1 (inbound and outbound IPSEC_SA_DETAILS1) to the engine's quick mode row.</summary>
        public static QuickModeSaInfo MapSaContext(IntPtr saContext1)
        {
            if (saContext1 == IntPtr.Zero) throw new ArgumentNullException(nameof(saContext1));
            var c = Marshal.PtrToStructure<IPSEC_SA_CONTEXT1>(saContext1);
            var info = new QuickModeSaInfo { Id = unchecked((long)c.saContextId), State = "Established" };
            IntPtr any = c.outboundSa != IntPtr.Zero ? c.outboundSa : c.inboundSa;
            if (any == IntPtr.Zero) return info;
            var d = Marshal.PtrToStructure<IPSEC_SA_DETAILS1>(any);
            var t = d.traffic;
            info.MainModeSaId = unchecked((long)d.saBundle.mmSaId);
            info.LocalEndpoint = Endpoint(t.ipVersion, t.local.localV4Address, t.local.localV6Address, t.localPort);
            info.RemoteEndpoint = Endpoint(t.ipVersion, t.remote.remoteV4Address, t.remote.remoteV6Address, t.remotePort);
            info.EncapsulationMode = t.trafficType == 0 ? "Transport" : "Tunnel";
            info.LifetimeSeconds = Clamp(d.saBundle.lifetime.lifetimeSeconds);
            info.LifetimeKilobytes = Clamp(d.saBundle.lifetime.lifetimeKilobytes);
            info.IdleTimeoutSeconds = Clamp(d.saBundle.idleTimeoutSeconds);
            info.PfsGroup = d.saBundle.pfsGroup switch { 3 => 14, 4 => 19, 5 => 20, 6 => 65535, 7 => 24, var g => (int)g };
            info.InboundSpi = FirstSpi(c.inboundSa).ToString("x8", CultureInfo.InvariantCulture);
            info.OutboundSpi = FirstSpi(c.outboundSa).ToString("x8", CultureInfo.InvariantCulture);
            return info;
        }

        private static uint FirstSpi(IntPtr details)
        {
            if (details == IntPtr.Zero) return 0;
            var bundle = Marshal.PtrToStructure<IPSEC_SA_DETAILS1>(details).saBundle;
            return bundle.numSAs == 0 || bundle.saList == IntPtr.Zero ? 0 : Marshal.PtrToStructure<IPSEC_SA0>(bundle.saList).spi;
        }

        private static string Endpoint(uint ipVersion, uint v4, NativeBytes16 v6, int port)
        {
            IPAddress address = ipVersion == FwpValues.FWP_IP_VERSION_V6
                ? new IPAddress(v6.ToArray())
                : new IPAddress(unchecked(new[] { (byte)(v4 >> 24), (byte)(v4 >> 16), (byte)(v4 >> 8), (byte)v4 }));   // WFP keeps IPv4 in host order
            return new IPEndPoint(address, port).ToString();
        }

        private static string? Identity(IKEEXT_CREDENTIAL1 credential)
        {
            if (credential.u.name == IntPtr.Zero) return null;
            switch (credential.authenticationMethodType)
            {
                case 1: case 4: case 7: case 8: case 9: case 10:   // certificate, SSL and their ECDSA forms
                    var cert = Marshal.PtrToStructure<IKEEXT_CERTIFICATE_CREDENTIAL1>(credential.u.certificate);
                    var subject = NativeArena.ReadBlob(cert.subjectName);
                    if (subject.Length == 0) return null;
                    try { return new X500DistinguishedName(subject).Name; }
                    catch (System.Security.Cryptography.CryptographicException) { return "subject:" + BitConverter.ToString(subject).Replace("-", ""); }
                case 0:
                    return null;   // preshared key: no identity, and the key itself is never read
                default:
                    return NativeArena.ReadString(Marshal.PtrToStructure<IKEEXT_NAME_CREDENTIAL0>(credential.u.name).principalName);
            }
        }

        private static string Cipher(uint id) => id switch
        {
            0 => "DES", 1 => "3DES", 2 => "AES-CBC-128", 3 => "AES-CBC-192", 4 => "AES-CBC-256", 5 => "AES-GCM-128", 6 => "AES-GCM-256",
            _ => "IKEEXT_CIPHER_" + id.ToString(CultureInfo.InvariantCulture),
        };

        private static string Integrity(uint id) => id switch
        {
            0 => "Md5", 1 => "Sha1", 2 => "Sha2_256", 3 => "Sha2_384",
            _ => "IKEEXT_INTEGRITY_" + id.ToString(CultureInfo.InvariantCulture),
        };

        private static int DhGroup(uint group) => group switch { 3 => 14, 4 => 19, 5 => 20, 6 => 24, var g => (int)Math.Min(g, int.MaxValue) };

        private static string AuthMethod(uint type) => type switch
        {
            0 => "PreSharedKey", 1 => "RsaSignatures", 2 => "GssApiKerberos", 3 => "Anonymous", 4 => "Ssl", 5 => "NtlmV2", 6 => "AuthCga",
            7 => "EcdsaSha256P256", 8 => "EcdsaSha384P384", 9 => "SslEcdsaP256", 10 => "SslEcdsaP384", 11 => "Eap",
            _ => "IKEEXT_AUTH_" + type.ToString(CultureInfo.InvariantCulture),
        };

        private static int Clamp(uint value) => (int)Math.Min(value, int.MaxValue);
    }
}
