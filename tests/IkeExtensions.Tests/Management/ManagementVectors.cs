using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IkeExtensions.Management;

namespace IkeExtensions.Tests.Management
{
    /// <summary>The strongSwan captures (tests/IkeExtensions.Tests/Vectors/captures, see its README) and helpers over them.</summary>
    internal static class ManagementVectors
    {
        public const string MainModePsk = "ikev1-mm-qm-psk.pcap";
        public const string V1FragmentationForce = "ikev1-fragmentation-force.pcap";
        public const string V1NatT = "ikev1-nat-t.pcap";
        public const string V1Cert = "ikev1-cert.pcap";
        public const string V2Psk = "ikev2-psk.pcap";
        public const string V2PskIpv6 = "ikev2-psk-ipv6.pcap";
        public const string V2Fragmentation = "ikev2-fragmentation.pcap";

        public static readonly string[] All = { MainModePsk, V1FragmentationForce, V1NatT, V1Cert, V2Psk, V2PskIpv6, V2Fragmentation };

        public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Vectors", "captures", name);

        public static IReadOnlyList<DecodedIkeMessage> Decode(string name) => IkeMessageInspector.DecodeCapture(File.ReadAllBytes(Path(name)));

        public static DecodedIkeMessage Frame(IReadOnlyList<DecodedIkeMessage> messages, int frame) => messages.Single(m => m.FrameNumber == frame);

        public static string Text(DecodedIkeMessage m) => string.Join("\n", m.Render());

        /// <summary>The IKE bytes of one frame, re-encoded from the decoded message (byte-exact for well-formed input).</summary>
        public static byte[] Bytes(string capture, int frame) => Frame(Decode(capture), frame).Message!.Encode();
    }
}
