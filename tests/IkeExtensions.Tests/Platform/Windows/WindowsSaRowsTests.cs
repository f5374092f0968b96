using System;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IkeExtensions.Management;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Platform.Windows.Native;
using Xunit;

namespace IkeExtensions.Tests.Platform.Windows
{
    /// <summary>The SA mapping, fed hand-built native buffers laid out by the same declarations IkeextSaEnum1 results are read with.</summary>
    public sealed class WindowsSaRowsTests
    {
        [Fact]
        public void Main_mode_sa_details_map_to_the_engine_row()
        {
            using var a = new NativeArena();
            var subject = new X500DistinguishedName("CN=peer.example.com, O=Contoso").RawData;
            var peerCert = a.Struct(new IKEEXT_CERTIFICATE_CREDENTIAL1 { subjectName = a.Blob(subject), certHash = a.Blob(new byte[20]) });
            var localName = a.Struct(new IKEEXT_NAME_CREDENTIAL0 { principalName = a.String("CONTOSO\\host1$") });
            var pair = a.Struct(new IKEEXT_CREDENTIAL_PAIR1
            {
                localCredentials = new IKEEXT_CREDENTIAL1 { authenticationMethodType = 2, u = new IKEEXT_CREDENTIAL1_UNION { name = localName } },
                peerCredentials = new IKEEXT_CREDENTIAL1 { authenticationMethodType = 1, u = new IKEEXT_CREDENTIAL1_UNION { certificate = peerCert } },
            });
            var details = new IKEEXT_SA_DETAILS1
            {
                saId = 196511,
                keyModuleType = 0,
                ipVersion = FwpValues.FWP_IP_VERSION_V4,
                v4UdpEncapsulation = a.Struct(new IPSEC_V4_UDP_ENCAPSULATION0 { localUdpEncapPort = 4500, remoteUdpEncapPort = 14500 }),
                ikeTraffic = new IKEEXT_TRAFFIC0
                {
                    ipVersion = FwpValues.FWP_IP_VERSION_V4,
                    local = new LOCAL_ADDRESS_UNION { localV4Address = 0xC0A80A01 },     // 192.168.10.1, host order
                    remote = new REMOTE_ADDRESS_UNION { remoteV4Address = 0x0A000002 },  // 10.0.0.2
                },
                ikeProposal = new IKEEXT_PROPOSAL0
                {
                    cipherAlgorithm = new IKEEXT_CIPHER_ALGORITHM0 { algoIdentifier = 4 },
                    integrityAlgorithm = new IKEEXT_INTEGRITY_ALGORITHM0 { algoIdentifier = 2 },
                    maxLifetimeSeconds = 28800, dhGroup = 3, quickModeLimit = 32,
                },
                cookiePair = new IKEEXT_COOKIE_PAIR0 { initiator = 0x0123456789abcdef, responder = 0xfedcba9876543210 },
                ikeCredentials = new IKEEXT_CREDENTIALS1 { numCredentials = 1, credentials = pair },
                ikePolicyKey = Guid.NewGuid(),
            };

            var row = WindowsSaRows.MapMainMode(a.Struct(details));

            Assert.Equal(196511, row.Id);
            Assert.Equal("IKEv1", row.KeyModule);
            Assert.Equal("192.168.10.1:4500", row.LocalEndpoint);
            Assert.Equal("10.0.0.2:14500", row.RemoteEndpoint);
            Assert.Equal(4500, row.LocalUdpEncapsulationPort);
            Assert.Equal(14500, row.RemoteUdpEncapsulationPort);
            Assert.Equal("AES-CBC-256", row.CipherAlgorithm);
            Assert.Equal("Sha2_256", row.HashAlgorithm);
            Assert.Equal(14, row.GroupId);
            Assert.Equal(28800, row.LifetimeSeconds);
            Assert.Equal(32, row.MaxQMSAs);
            Assert.Equal("0123456789abcdef", row.InitiatorCookie);
            Assert.Equal("fedcba9876543210", row.ResponderCookie);
            Assert.Equal("GssApiKerberos", row.AuthenticationMethod);
            Assert.Equal("CONTOSO\\host1$", row.LocalFirstId);
            Assert.Equal("CN=peer.example.com, O=Contoso", row.RemoteFirstId);
            Assert.False(row.IsWeak);
        }

        [Fact]
        public void Ipv6_psk_sa_without_nat_uses_port_500_and_no_identity()
        {
            using var a = new NativeArena();
            var v6 = System.Net.IPAddress.Parse("2001:db8::1").GetAddressBytes();
            var pair = a.Struct(new IKEEXT_CREDENTIAL_PAIR1
            {
                localCredentials = new IKEEXT_CREDENTIAL1 { authenticationMethodType = 0, u = new IKEEXT_CREDENTIAL1_UNION { presharedKey = a.Alloc(32) } },
                peerCredentials = new IKEEXT_CREDENTIAL1 { authenticationMethodType = 0, u = new IKEEXT_CREDENTIAL1_UNION { presharedKey = a.Alloc(32) } },
            });
            var details = new IKEEXT_SA_DETAILS1
            {
                saId = 7,
                keyModuleType = 2,
                ipVersion = FwpValues.FWP_IP_VERSION_V6,
                ikeTraffic = new IKEEXT_TRAFFIC0
                {
                    ipVersion = FwpValues.FWP_IP_VERSION_V6,
                    local = new LOCAL_ADDRESS_UNION { localV6Address = NativeBytes16.From(v6) },
                    remote = new REMOTE_ADDRESS_UNION { remoteV6Address = NativeBytes16.From(System.Net.IPAddress.Parse("2001:db8::2").GetAddressBytes()) },
                },
                ikeProposal = new IKEEXT_PROPOSAL0 { cipherAlgorithm = new IKEEXT_CIPHER_ALGORITHM0 { algoIdentifier = 0 }, dhGroup = 1 },
                ikeCredentials = new IKEEXT_CREDENTIALS1 { numCredentials = 1, credentials = pair },
            };

            var row = WindowsSaRows.MapMainMode(a.Struct(details));

            Assert.Equal("IKEv2", row.KeyModule);
            Assert.Equal("[2001:db8::1]:500", row.LocalEndpoint);
            Assert.Equal("[2001:db8::2]:500", row.RemoteEndpoint);
            Assert.Equal("PreSharedKey", row.AuthenticationMethod);
            Assert.Null(row.LocalFirstId);
            Assert.Null(row.RemoteFirstId);
            Assert.Equal("DES", row.CipherAlgorithm);
            Assert.Equal(1, row.GroupId);
            Assert.True(row.IsWeak);
        }

        [Fact]
        public void Ipsec_sa_context_maps_to_the_quick_mode_row()
        {
            using var a = new NativeArena();
            IntPtr Details(uint direction, uint spi) => a.Struct(new IPSEC_SA_DETAILS1
            {
                ipVersion = FwpValues.FWP_IP_VERSION_V4,
                saDirection = direction,
                traffic = new IPSEC_TRAFFIC1
                {
                    ipVersion = FwpValues.FWP_IP_VERSION_V4,
                    local = new LOCAL_ADDRESS_UNION { localV4Address = 0xC0A80A01 },
                    remote = new REMOTE_ADDRESS_UNION { remoteV4Address = 0x0A000002 },
                    trafficType = 0, localPort = 0, remotePort = 0, ipProtocol = 0,
                },
                saBundle = new IPSEC_SA_BUNDLE1
                {
                    lifetime = new IPSEC_SA_LIFETIME0 { lifetimeSeconds = 3600, lifetimeKilobytes = 100000, lifetimePackets = 0x7FFFFFFF },
                    idleTimeoutSeconds = 300, mmSaId = 196511, pfsGroup = 3, numSAs = 1,
                    saList = a.Struct(new IPSEC_SA0 { spi = spi, saTransformType = 4 }),
                },
                virtualIfTunnelInfo = new IPSEC_VIRTUAL_IF_TUNNEL_INFO0 { virtualIfTunnelId = 0 },
            });
            var context = a.Struct(new IPSEC_SA_CONTEXT1 { saContextId = 42, inboundSa = Details(1, 0xc0ffee01), outboundSa = Details(0, 0xdeadbeef) });

            var row = WindowsSaRows.MapSaContext(context);

            Assert.Equal(42, row.Id);
            Assert.Equal(196511, row.MainModeSaId);
            Assert.Equal("192.168.10.1:0", row.LocalEndpoint);
            Assert.Equal("10.0.0.2:0", row.RemoteEndpoint);
            Assert.Equal("Transport", row.EncapsulationMode);
            Assert.Equal("c0ffee01", row.InboundSpi);
            Assert.Equal("deadbeef", row.OutboundSpi);
            Assert.Equal(3600, row.LifetimeSeconds);
            Assert.Equal(100000, row.LifetimeKilobytes);
            Assert.Equal(300, row.IdleTimeoutSeconds);
            Assert.Equal(14, row.PfsGroup);
        }

        [Fact]
        public void A_native_buffer_reads_back_field_for_field()
        {
            // StructureToPtr then PtrToStructure through unmanaged memory: the path IkeextSaEnum1 results take.
            using var a = new NativeArena();
            var d = new IKEEXT_SA_DETAILS1 { saId = ulong.MaxValue, ikePolicyKey = new Guid("10ad9216-ccde-456c-8b16-e9f04e60a90b"), virtualIfTunnelId = 77,
                correlationKey = a.Blob(Encoding.ASCII.GetBytes("corr")) };
            var back = System.Runtime.InteropServices.Marshal.PtrToStructure<IKEEXT_SA_DETAILS1>(a.Struct(d));
            Assert.Equal(d.saId, back.saId);
            Assert.Equal(d.ikePolicyKey, back.ikePolicyKey);
            Assert.Equal(77UL, back.virtualIfTunnelId);
            Assert.Equal("corr", Encoding.ASCII.GetString(NativeArena.ReadBlob(back.correlationKey)));
            Assert.Equal(-1, WindowsSaRows.MapMainMode(a.Struct(d)).Id);
        }
    }
}
