namespace IkeExtensions.Wire.V1
{
    /// <summary>
    /// The NAT-T revision negotiated through vendor IDs (MS-IKEE 3.2): it decides which payload type numbers mean NAT-D
    /// and NAT-OA (MS-IKEE 2.2.1) and which encapsulation-mode values mean UDP encapsulation (MS-IKEE 2.2.2).
    /// </summary>
    public enum NatTraversalRevision
    {
        /// <summary>No NAT-T vendor ID exchanged yet (or the peer sent none).</summary>
        None = 0,
        /// <summary>draft-ietf-ipsec-nat-t-ike-02 ("\n" form): NAT-D 0x82, NAT-OA 0x83, modes 0xF003/0xF004.</summary>
        Draft02 = 1,
        /// <summary>RFC 3947: NAT-D 0x14, NAT-OA 0x15, modes 3/4.</summary>
        Rfc3947 = 2,
    }

    public static class NatTraversalRevisions
    {
        public static PayloadType NatDiscoveryType(this NatTraversalRevision revision) =>
            revision == NatTraversalRevision.Draft02 ? PayloadType.NatDiscoveryDraft : PayloadType.NatDiscovery;

        public static PayloadType NatOriginalAddressType(this NatTraversalRevision revision) =>
            revision == NatTraversalRevision.Draft02 ? PayloadType.NatOriginalAddressDraft : PayloadType.NatOriginalAddress;

        public static EncapsulationMode UdpTunnelMode(this NatTraversalRevision revision) =>
            revision == NatTraversalRevision.Draft02 ? EncapsulationMode.UdpEncapsulatedTunnelDraft : EncapsulationMode.UdpEncapsulatedTunnel;

        public static EncapsulationMode UdpTransportMode(this NatTraversalRevision revision) =>
            revision == NatTraversalRevision.Draft02 ? EncapsulationMode.UdpEncapsulatedTransportDraft : EncapsulationMode.UdpEncapsulatedTransport;

        /// <summary>
        /// Whether a payload of <paramref name="type"/> is NAT-D or NAT-OA under this revision. Before a revision is selected
        /// (<see cref="NatTraversalRevision.None"/>, e.g. in a dissector) both numberings are read as NAT-T payloads.
        /// </summary>
        public static bool Accepts(this NatTraversalRevision revision, PayloadType type) => revision switch
        {
            NatTraversalRevision.Rfc3947 => type == PayloadType.NatDiscovery || type == PayloadType.NatOriginalAddress,
            NatTraversalRevision.Draft02 => type == PayloadType.NatDiscoveryDraft || type == PayloadType.NatOriginalAddressDraft,
            _ => type == PayloadType.NatDiscovery || type == PayloadType.NatOriginalAddress ||
                 type == PayloadType.NatDiscoveryDraft || type == PayloadType.NatOriginalAddressDraft,
        };

        /// <summary>Reads an encapsulation mode value under this revision: UDP-encapsulated values of the other revision are not recognised.</summary>
        public static bool TryInterpretMode(this NatTraversalRevision revision, ushort value, out EncapsulationMode mode, out bool udpEncapsulated)
        {
            mode = (EncapsulationMode)value;
            udpEncapsulated = false;
            switch (mode)
            {
                case EncapsulationMode.Tunnel:
                case EncapsulationMode.Transport:
                    return true;
                case EncapsulationMode.UdpEncapsulatedTunnel:
                case EncapsulationMode.UdpEncapsulatedTransport:
                    udpEncapsulated = true;
                    return revision == NatTraversalRevision.Rfc3947;
                case EncapsulationMode.UdpEncapsulatedTunnelDraft:
                case EncapsulationMode.UdpEncapsulatedTransportDraft:
                    udpEncapsulated = true;
                    return revision == NatTraversalRevision.Draft02;
                default:
                    return false;
            }
        }
    }
}
