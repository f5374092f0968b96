namespace IkeExtensions.Engine.V2
{
    /// <summary>
    /// What an IKE SA made by rekeying (RFC 7296 §1.3.2) inherits from the one it replaces. The rekey exchange negotiates
    /// only keys and SPIs; everything the extensions settled in IKE_SA_INIT / IKE_AUTH stays a property of the peering:
    /// the authenticated identities and certificates, fragmentation support (RFC 7383 §2.3), NAT traversal state and the
    /// keep-alive schedule (RFC 7296 §2.23, RFC 3948 §2.3), the security realm and its policy (MS-IKEE 3.14), the Xbox
    /// type (3.13) and the configuration the peer handed out (3.11/3.16). Without this the new SA would, for example,
    /// stop sending NAT keep-alives or fragmenting.
    /// </summary>
    public sealed partial class IkeV2Engine
    {
        private static void InheritFromReplacedIkeSa(IkeV2Session old, IkeV2Session n)
        {
            // Session state the handlers consult.
            n.PeerSignatureHashes = old.PeerSignatureHashes;
            n.PeerUsedSharedKey = old.PeerUsedSharedKey;
            n.FragmentationOffered = old.FragmentationOffered;
            n.PeerSupportsFragmentation = old.PeerSupportsFragmentation;
            n.SelectedPolicy = old.SelectedPolicy;
            n.RealmId = old.RealmId;
            n.NatOriginalLocal = old.NatOriginalLocal;
            n.NatFaked = old.NatFaked;
            n.PeerNatDetection = old.PeerNatDetection;
            n.NextNatKeepAlive = old.NextNatKeepAlive;

            // What the row shows.
            var from = old.Row;
            var to = n.Row;
            to.LocalAuthenticationMethod = from.LocalAuthenticationMethod;
            to.RemoteCertificateSubject = from.RemoteCertificateSubject;
            to.LocalCertificateSubject = from.LocalCertificateSubject;
            to.InternalServerAddresses = from.InternalServerAddresses;
            to.PcscfAddresses = from.PcscfAddresses;
            to.FragmentationSupported = from.FragmentationSupported;
            to.SecurityRealmId = from.SecurityRealmId;
            to.SecurityRealm = from.SecurityRealm;
            to.IsXbox = from.IsXbox;
            to.XboxNegotiationType = from.XboxNegotiationType;
            to.LocalUdpEncapsulationPort = from.LocalUdpEncapsulationPort;
            to.RemoteUdpEncapsulationPort = from.RemoteUdpEncapsulationPort;
        }
    }
}
