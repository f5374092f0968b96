using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using IkeExtensions.Capture;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using Xunit;
using V1 = IkeExtensions.Wire.V1;
using V2 = IkeExtensions.Wire.V2;

namespace IkeExtensions.Tests.Wire
{
    /// <summary>
    /// Cross-checks the encoder against an independent implementation: every <see cref="SampleMessages"/> message is
    /// encoded, written with <see cref="PcapWriter"/> and dissected by Wireshark 4.0's ISAKMP dissector (/usr/bin/tshark,
    /// required: the tests fail, never skip, without it). What tshark prints is compared field by field with what the
    /// message model says was sent.
    /// </summary>
    public class TsharkCrossCheckTests
    {
        private static readonly Lazy<Dissection> Run = new Lazy<Dissection>(Dissection.Create);

        // ---- every message ----------------------------------------------------------------------------------------------

        [Theory]
        [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
        public void Tshark_DecodesHeaderFields_AsEncoded(string name)
        {
            var (message, frame) = Run.Value.ByName(name);
            var h = message.Header;
            string where = $"{name} (frame {frame.Number})";
            // A DER certificate makes tshark hand CERT data to its X.509 dissectors (x509sat, pkcs-1); EAP goes to eap.
            string protocols = "raw:ip:udp:isakmp"
                + (message.Payloads.OfType<CertificatePayload>().Any() ? ":x509sat:x509sat:x509sat:x509sat:pkcs-1" : "")
                + (message.Payloads.OfType<V2.ExtensibleAuthenticationPayload>().Any() ? ":eap" : "");
            Assert.True(frame.Protocols == protocols, $"{where}: protocols {frame.Protocols}");
            // A last IKEv1 fragment makes tshark reassemble and dissect the fragment data as a second header; the first
            // value of each header field is always the outer header's.
            Assert.True(frame.First("isakmp.ispi") == h.InitiatorSpi.ToString("x16", CultureInfo.InvariantCulture), $"{where}: ispi");
            Assert.True(frame.First("isakmp.rspi") == h.ResponderSpi.ToString("x16", CultureInfo.InvariantCulture), $"{where}: rspi");
            Assert.True(frame.First("isakmp.version") == $"0x{h.MajorVersion:x}{h.MinorVersion:x}", $"{where}: version {frame.First("isakmp.version")}");
            Assert.True(frame.First("isakmp.exchangetype") == ((byte)h.ExchangeType).ToString(CultureInfo.InvariantCulture), $"{where}: exchange type {frame.First("isakmp.exchangetype")}");
            Assert.True(frame.First("isakmp.flags") == $"0x{(byte)h.Flags:x2}", $"{where}: flags {frame.First("isakmp.flags")}");
            Assert.True(frame.First("isakmp.messageid") == $"0x{h.MessageId:x8}", $"{where}: message id {frame.First("isakmp.messageid")}");
            Assert.True(frame.First("isakmp.length") == message.GetEncodedLength().ToString(CultureInfo.InvariantCulture), $"{where}: length {frame.First("isakmp.length")}");
        }

        /// <summary>
        /// isakmp.typepayload lists every payload tshark dissected, with the IKEv1/IKEv2 proposal (2) and transform (3)
        /// substructures inside an SA in tree order. Equality proves tshark walked our whole chain with our lengths.
        /// </summary>
        [Theory]
        [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
        public void Tshark_WalksTheWholePayloadChain_WithTheEncodedTypes(string name)
        {
            var (message, frame) = Run.Value.ByName(name);
            var expected = new List<int>();
            if (!message.HasEncryptedBody)
            {
                foreach (var p in message.Payloads)
                {
                    expected.Add((byte)p.Type);
                    foreach (int transforms in TransformCounts(p))
                    {
                        expected.Add((int)PayloadType.Proposal);
                        expected.AddRange(Enumerable.Repeat((int)PayloadType.Transform, transforms));
                    }
                }
            }
            Assert.True(expected.SequenceEqual(frame.Ints("isakmp.typepayload")),
                $"{name} (frame {frame.Number}): expected [{string.Join(";", expected)}], tshark [{frame.Raw("isakmp.typepayload")}]");
        }

        /// <summary>
        /// isakmp.nextpayload lists the header's Next Payload, then each payload's own field, with an SA's proposal and
        /// transform "next" fields (2/0 and 3/0) right after the SA's. For SK/SKF the field is the first inner payload.
        /// </summary>
        [Theory]
        [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
        public void Tshark_ReadsEveryNextPayloadField_AsEncoded(string name)
        {
            var (message, frame) = Run.Value.ByName(name);
            var p = message.Payloads;
            var expected = new List<int> { (byte)(message.HasEncryptedBody ? message.Header.NextPayload : p.Count > 0 ? p[0].Type : PayloadType.None) };
            for (int i = 0; i < p.Count; i++)
            {
                expected.Add((byte)(p[i].NextPayloadOverride ?? (i + 1 < p.Count ? p[i + 1].Type : PayloadType.None)));
                var proposals = TransformCounts(p[i]);
                for (int j = 0; j < proposals.Count; j++)
                {
                    expected.Add(j + 1 < proposals.Count ? (int)PayloadType.Proposal : 0);
                    for (int k = 0; k < proposals[j]; k++) expected.Add(k + 1 < proposals[j] ? (int)PayloadType.Transform : 0);
                }
            }
            var actual = frame.Ints("isakmp.nextpayload");
            // After a last IKEv1 fragment tshark appends the fields of the reassembled message (here: the sample's filler bytes).
            if (message.Payloads.OfType<FragmentPayload>().Any(f => f.IsLast)) actual = actual.Take(expected.Count).ToArray();
            Assert.True(expected.SequenceEqual(actual), $"{name} (frame {frame.Number}): expected [{string.Join(";", expected)}], tshark [{frame.Raw("isakmp.nextpayload")}]");
        }

        /// <summary>No expert info at all (malformed, bad length, unknown...) and nothing malformed.</summary>
        [Theory]
        [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
        public void Tshark_ReportsNoMalformedOrExpertInfo(string name)
        {
            var (message, frame) = Run.Value.ByName(name);
            var experts = frame.Values("_ws.expert");
            Assert.True(experts.Length == 0, $"{name} (frame {frame.Number}): tshark expert info: {string.Join(" | ", experts)}");
            Assert.True(frame.Raw("_ws.malformed") == "", $"{name} (frame {frame.Number}): malformed: {frame.Raw("_ws.malformed")}");
        }

        // ---- MS-IKEE specifics ------------------------------------------------------------------------------------------

        [Fact]
        public void Tshark_DecodesMsIkeeVendorIds_InMainMode1()
        {
            var (_, frame) = Run.Value.ByName("MainMode1");
            // Same order as SampleMessages.MainMode1; tshark has no entry for MS-MamieExists and KE modules (MS-IKEE 2.2.2).
            Assert.Equal(new[]
            {
                "MS NT5 ISAKMPOAKLEY", "Unknown Vendor ID", "Unknown Vendor ID", "RFC 3947 Negotiation of NAT-Traversal in the IKE",
                "draft-ietf-ipsec-nat-t-ike-02\\n", "Cisco Fragmentation", "IKE CGA Version 1", "MS-Negotiation Discovery Capable",
                "Microsoft Vid-Initial-Contact",
            }, frame.Values("isakmp.vid_string"));
            Assert.Equal("9", frame.Raw("isakmp.vid.ms_nt5_isakmpoakley"));
        }

        [Fact]
        public void Tshark_DecodesPhase1TransformAttributes_IncludingAuthCga_InMainMode1()
        {
            var (_, frame) = Run.Value.ByName("MainMode1");
            Assert.Equal("1", frame.Raw("isakmp.prop.protoid")); // PROTO_ISAKMP
            Assert.Equal("7;5;7", frame.Raw("isakmp.ike.attr.encryption_algorithm")); // AES-CBC, 3DES-CBC, AES-CBC
            Assert.Equal("256;128", frame.Raw("isakmp.ike.attr.key_length"));
            Assert.Equal("4;2;2", frame.Raw("isakmp.ike.attr.hash_algorithm")); // SHA2-256, SHA1, SHA1
            Assert.Equal("1;1;65005", frame.Raw("isakmp.ike.attr.authentication_method")); // PSK, PSK, MS-IKEE CGA (0xFDED)
            Assert.Equal("14;2;19", frame.Raw("isakmp.ike.attr.group_description"));
            Assert.Equal("28800;28800;28800", frame.Raw("isakmp.ike.attr.life_duration"));
        }

        [Fact]
        public void Tshark_DecodesMsIkeeNotifyTypes_DosCookieStatusAndExchangeInfo()
        {
            Assert.Equal("40004", Run.Value.ByName("MainMode3Draft").Frame.Raw("isakmp.notify.msgtype"));   // NOTIFY_DOS_COOKIE 0x9C44
            Assert.Equal("40003", Run.Value.ByName("MainMode5Plain").Frame.Raw("isakmp.notify.msgtype"));   // NOTIFY_STATUS 0x9C43
            Assert.Equal("40005", Run.Value.ByName("InformationalPlain").Frame.Raw("isakmp.notify.msgtype")); // EXCHANGE_INFO 0x9C45
        }

        [Fact]
        public void Tshark_DecodesIkev2Notifies_FragmentationSupportedNatDetectionAndMsStatus()
        {
            Assert.Equal("16430;16388", Run.Value.ByName("IkeSaInit").Frame.Raw("isakmp.notify.msgtype"));
            // MS-IKEE 2.2.7 status notify (12345) in IKE_AUTH and INFORMATIONAL.
            Assert.Equal(((ushort)V2.NotifyTypeV2.MsNotifyStatus).ToString(CultureInfo.InvariantCulture), Run.Value.ByName("IkeAuthInnerInTheClear").Frame.Raw("isakmp.notify.msgtype"));
        }

        [Fact]
        public void Tshark_DecodesMsNt5AndUnknownXboxVendorIds_InIkeSaInit()
        {
            var (_, frame) = Run.Value.ByName("IkeSaInit");
            // Xbox One 2013, Xbox IKEv2 negotiation and SecurityRealmId are not in Wireshark's table.
            Assert.Equal(new[] { "MS NT5 ISAKMPOAKLEY", "Unknown Vendor ID", "Unknown Vendor ID", "Unknown Vendor ID" }, frame.Values("isakmp.vid_string"));
            Assert.Equal("9", frame.Raw("isakmp.vid.ms_nt5_isakmpoakley"));
            Assert.Equal("12", frame.Raw("isakmp.tf.id.encr")); // ENCR_AES_CBC with key length attribute
            Assert.Equal("256", frame.Raw("isakmp.ike2.attr.key_length"));
            Assert.Equal("19", frame.Raw("isakmp.tf.id.dh"));
        }

        [Fact]
        public void Tshark_DecodesIkev1FragmentFields_PacketIdSeqAndLast()
        {
            var first = Run.Value.ByName("Fragment1").Frame;
            var last = Run.Value.ByName("Fragment2Last").Frame;
            Assert.Equal(("0x0007", "1", "0"), (first.Raw("isakmp.frag.packetid"), first.Raw("isakmp.frag.seq"), first.Raw("isakmp.frag.last")));
            Assert.Equal(("0x0007", "2", "1"), (last.Raw("isakmp.frag.packetid"), last.Raw("isakmp.frag.seq"), last.Raw("isakmp.frag.last")));
        }

        [Fact]
        public void Tshark_DecodesIkev2SkfNumberAndTotal_InIkeAuthFragment()
        {
            var (_, frame) = Run.Value.ByName("IkeAuthFragment");
            Assert.Equal(("1", "3"), (frame.Raw("isakmp.frag.number"), frame.Raw("isakmp.frag.total")));
        }

        [Fact]
        public void Tshark_DecodesDraftNatDAs130_InMainMode3Draft_AndDraftNatOaAs131()
        {
            Assert.Equal(2, Run.Value.ByName("MainMode3Draft").Frame.Ints("isakmp.typepayload").Count(t => t == 130));
            Assert.Equal(2, Run.Value.ByName("QuickMode2PlainDraft").Frame.Ints("isakmp.typepayload").Count(t => t == 131));
            Assert.Equal(2, Run.Value.ByName("QuickMode1Plain").Frame.Ints("isakmp.typepayload").Count(t => t == 21)); // RFC 3947 NAT-OA
        }

        [Fact]
        public void Tshark_DecodesQuickModeEspTransform_WithUnknownAttributeCarried()
        {
            var (_, frame) = Run.Value.ByName("QuickMode1Plain");
            Assert.Equal("3", frame.Raw("isakmp.prop.protoid")); // PROTO_IPSEC_ESP
            Assert.Equal("1;2;4;5;6;3;28963", frame.Raw("isakmp.ipsec.attr.type")); // ..., 0x7123 unknown
            Assert.Equal("4", frame.Raw("isakmp.ipsec.attr.encap_mode")); // UDP-Encapsulated-Transport (RFC 3947)
            Assert.Equal("5", frame.Raw("isakmp.ipsec.attr.auth_algorithm")); // HMAC-SHA2-256
        }

        [Fact]
        public void Tshark_DecodesMsIkeeConfigurationAttributes_InIkeAuth()
        {
            var (_, frame) = Run.Value.ByName("IkeAuthInnerInTheClear");
            // INTERNAL_IP4_SERVER 23456, INTERNAL_IP6_SERVER 23457 (MS-IKEE 2.2.8), P_CSCF_IP4/IP6_ADDRESS 20/21.
            Assert.Equal("23456;23457;20;21", frame.Raw("isakmp.cfg.attr.type"));
            Assert.Equal("2001:db8::", frame.Raw("isakmp.ts.start_ipv6"));
        }

        // ---- framing variants ---------------------------------------------------------------------------------------------

        [Fact]
        public void Tshark_DecodesNonEspMarkerPath_OnPort4500()
        {
            var run = Run.Value;
            Assert.Equal("raw:ip:udp:udpencap:isakmp", run.Port4500.Protocols);
            Assert.Equal(run.ByName("QuickMode1Plain").Frame.WithoutProtocols(), run.Port4500.WithoutProtocols());
            Assert.Equal("", run.Port4500.Raw("_ws.expert"));
        }

        [Fact]
        public void Tshark_DecodesIpv6Datagram_LikeItsIpv4Twin()
        {
            var run = Run.Value;
            Assert.Equal("raw:ipv6:udp:isakmp", run.Ipv6.Protocols);
            Assert.Equal(run.ByName("IkeSaInit").Frame.WithoutProtocols(), run.Ipv6.WithoutProtocols());
            Assert.Equal("", run.Ipv6.Raw("_ws.expert"));
        }

        // ---- plumbing -------------------------------------------------------------------------------------------------------

        /// <summary>Transform count per proposal when <paramref name="p"/> is an IKEv1 or IKEv2 SA; empty otherwise.</summary>
        private static IReadOnlyList<int> TransformCounts(IkePayload p) => p switch
        {
            V1.SecurityAssociationPayload sa => sa.Proposals.Select(x => x.Transforms.Count).ToList(),
            V2.SecurityAssociationPayload sa => sa.Proposals.Select(x => x.Transforms.Count).ToList(),
            _ => Array.Empty<int>(),
        };

        internal sealed class Frame
        {
            private readonly Dictionary<string, string> _fields;

            public Frame(int number, Dictionary<string, string> fields)
            {
                Number = number;
                _fields = fields;
            }

            public int Number { get; }
            public string Protocols => Raw("frame.protocols");
            public string Raw(string field) => _fields[field];
            public string[] Values(string field) => Raw(field).Length == 0 ? Array.Empty<string>() : Raw(field).Split(';');
            public string First(string field) => Values(field).FirstOrDefault() ?? "";
            public int[] Ints(string field) => Values(field).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            public string WithoutProtocols() =>
                string.Join("|", _fields.Where(f => f.Key != "frame.protocols" && f.Key != "frame.number").Select(f => f.Key + "=" + f.Value));
        }

        /// <summary>
        /// One pcap, one tshark run: frames 1..n are <see cref="SampleMessages.All"/> from 192.0.2.1:500 to 192.0.2.2:500,
        /// then QuickMode1Plain on 4500/4500 (non-ESP marker) and IkeSaInit from 2001:db8::1 to 2001:db8::2 on 500.
        /// EAP is dissected as plain data: the sample's EAP payload is filler, not an EAP packet, and tshark's EAP
        /// dissector would abort the frame on its length field (hiding the payloads after it).
        /// </summary>
        internal sealed class Dissection
        {
            private static readonly string[] Fields =
            {
                "frame.number", "frame.protocols", "isakmp.ispi", "isakmp.rspi", "isakmp.version", "isakmp.exchangetype", "isakmp.flags",
                "isakmp.messageid", "isakmp.length", "isakmp.typepayload", "isakmp.nextpayload", "isakmp.vid_string",
                "isakmp.vid.ms_nt5_isakmpoakley", "isakmp.notify.msgtype", "isakmp.frag.packetid", "isakmp.frag.seq", "isakmp.frag.last",
                "isakmp.frag.number", "isakmp.frag.total", "isakmp.prop.protoid", "isakmp.ike.attr.encryption_algorithm",
                "isakmp.ike.attr.key_length", "isakmp.ike.attr.hash_algorithm", "isakmp.ike.attr.authentication_method",
                "isakmp.ike.attr.group_description", "isakmp.ike.attr.life_duration", "isakmp.ipsec.attr.type",
                "isakmp.ipsec.attr.encap_mode", "isakmp.ipsec.attr.auth_algorithm", "isakmp.tf.id.encr", "isakmp.tf.id.dh",
                "isakmp.ike2.attr.key_length", "isakmp.cfg.attr.type", "isakmp.ts.start_ipv6", "_ws.malformed", "_ws.expert",
            };

            private readonly List<(string Name, IkeMessage Message)> _messages;
            private readonly List<Frame> _frames;

            private Dissection(List<(string, IkeMessage)> messages, List<Frame> frames)
            {
                _messages = messages;
                _frames = frames;
            }

            public Frame Port4500 => _frames[_messages.Count];
            public Frame Ipv6 => _frames[_messages.Count + 1];

            public (IkeMessage Message, Frame Frame) ByName(string name)
            {
                int i = _messages.FindIndex(m => m.Name == name);
                Assert.True(i >= 0, $"no sample message {name}");
                return (_messages[i].Message, _frames[i]);
            }

            public static Dissection Create()
            {
                var messages = SampleMessages.All().ToList();
                var a4 = IPAddress.Parse("192.0.2.1");
                var b4 = IPAddress.Parse("192.0.2.2");
                var t = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
                string path = Path.Combine(Path.GetTempPath(), $"ikex-tshark-crosscheck-{Guid.NewGuid():N}.pcap");
                try
                {
                    using (var writer = new PcapWriter(File.Create(path)))
                    {
                        int n = 0;
                        foreach (var (_, m) in messages)
                            writer.WriteIke(new IPEndPoint(a4, 500), new IPEndPoint(b4, 500), m.Encode(), t.AddMilliseconds(n++));
                        writer.WriteIke(new IPEndPoint(a4, 4500), new IPEndPoint(b4, 4500), SampleMessages.QuickMode1Plain().Encode(), t.AddMilliseconds(n++));
                        writer.WriteIke(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 500), new IPEndPoint(IPAddress.Parse("2001:db8::2"), 500),
                            SampleMessages.IkeSaInit().Encode(), t.AddMilliseconds(n++));
                    }

                    var args = new List<string> { "-r", path, "-n", "-d", "udp.port==500,isakmp", "-d", "udp.port==4500,udpencap",
                        "-T", "fields", "-E", "separator=|", "-E", "aggregator=;", "-E", "occurrence=a" };
                    foreach (var f in Fields) { args.Add("-e"); args.Add(f); }
                    var lines = Tshark.Run(args.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                    Assert.True(lines.Length == messages.Count + 2, $"tshark printed {lines.Length} frames, {messages.Count + 2} were written");

                    var frames = new List<Frame>();
                    foreach (var line in lines)
                    {
                        var values = line.Split('|');
                        Assert.True(values.Length == Fields.Length, $"tshark line has {values.Length} fields, expected {Fields.Length}: {line}");
                        var map = new Dictionary<string, string>();
                        for (int i = 0; i < Fields.Length; i++) map[Fields[i]] = values[i];
                        frames.Add(new Frame(int.Parse(values[0], CultureInfo.InvariantCulture), map));
                    }
                    return new Dissection(messages, frames);
                }
                finally
                {
                    File.Delete(path);
                }
            }
        }
    }
}
