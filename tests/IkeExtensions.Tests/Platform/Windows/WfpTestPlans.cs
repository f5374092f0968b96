using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IkeExtensions.Platform.Windows;

namespace IkeExtensions.Tests.Platform.Windows
{
    /// <summary>Plans shaped like the transport-mode recipe (shared/seeds/wfp-transport-mode.md): provider, sublayer,
    /// an MM and a QM context, their policy filters at IKEEXT/IPSEC v4+v6 and the transport callout filters.</summary>
    internal static class WfpTestPlans
    {
        public static readonly Guid Provider = new Guid("6f1c2a58-0000-4000-8000-000000000001");
        public static readonly Guid Sublayer = new Guid("6f1c2a58-0000-4000-8000-000000000002");
        public static readonly Guid MmContext = new Guid("6f1c2a58-0000-4000-8000-000000000010");
        public static readonly Guid QmContext = new Guid("6f1c2a58-0000-4000-8000-000000000011");
        public static readonly Guid IkeextV4 = new Guid("b14b7bdb-dbbd-473e-bed4-8b4708d4f270");
        public static readonly Guid IkeextV6 = new Guid("b64786b3-f687-4eb9-89d2-8ef32acdabe2");
        public static readonly Guid IpsecV4 = new Guid("eda65c74-610d-4bc5-948f-3c4f89556867");
        public static readonly Guid IpsecV6 = new Guid("13c48442-8d87-4261-9a29-59d2abc348b4");
        public static readonly Guid InboundTransportV4 = new Guid("5926dfc8-e3cf-4426-a283-dc393f5d0f9d");
        public static readonly Guid OutboundTransportV4 = new Guid("09e61aea-d214-46e2-9b21-b26b0b2f28c8");

        public static Guid FilterKey(int n) => new Guid($"6f1c2a58-0000-4000-8000-0000000001{n:00}");

        public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

        public static List<WfpObjectDescription> TransportMode(string mmPolicy = "mm:aes128-sha1-dh2", string qmPolicy = "qm:esp-sha1-aes128")
        {
            return new List<WfpObjectDescription>
            {
                WfpObjectDescription.Provider(Provider, "IkeExtensions", "IkeExtensions IPsec policy"),
                WfpObjectDescription.Sublayer(Sublayer, "IkeExtensions sublayer", 0x100),
                WfpObjectDescription.ProviderContext(MmContext, "MM policy", Bytes(mmPolicy)),
                WfpObjectDescription.ProviderContext(QmContext, "QM policy", Bytes(qmPolicy)),
                WfpObjectDescription.Filter(FilterKey(1), "MM v4", IkeextV4, Sublayer, MmContext, Bytes("permit")),
                WfpObjectDescription.Filter(FilterKey(2), "MM v6", IkeextV6, Sublayer, MmContext, Bytes("permit")),
                WfpObjectDescription.Filter(FilterKey(3), "QM v4", IpsecV4, Sublayer, QmContext, Bytes("permit")),
                WfpObjectDescription.Filter(FilterKey(4), "QM v6", IpsecV6, Sublayer, QmContext, Bytes("permit")),
                WfpObjectDescription.Filter(FilterKey(5), "Inbound transport v4", InboundTransportV4, Sublayer, null, Bytes("unicast;callout-in")),
                WfpObjectDescription.Filter(FilterKey(6), "Outbound transport v4", OutboundTransportV4, Sublayer, null, Bytes("unicast;callout-out")),
            };
        }

        public static List<WfpObjectDescription> Without(this List<WfpObjectDescription> plan, Guid key) => plan.Where(d => d.Key != key).ToList();
    }
}
