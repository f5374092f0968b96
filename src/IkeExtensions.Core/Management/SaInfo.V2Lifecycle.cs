using IkeExtensions.Engine.V2;

namespace IkeExtensions.Management
{
    /// <summary>
    /// IKEv2 columns for rekeying (RFC 7296 §1.3.2, §1.3.3: which SA replaced which) and the Microsoft extensions that
    /// shape an IKE SA's life: security realm (MS-IKEE 3.14.1), Xbox type (3.13.1), dead peer detection (3.12.1) and the
    /// peer's NOTIFY_STATUS error (2.2.7).
    /// </summary>
    public sealed partial class MainModeSaInfo
    {
        public long? ReplacesIkeSaId { get; set; }
        public long? ReplacedByIkeSaId { get; set; }
        public string? SecurityRealm { get; set; }
        public string? SecurityRealmId { get; set; }
        public bool IsXbox { get; set; }
        public uint? XboxNegotiationType { get; set; }
        public bool DeadPeerDetection { get; set; }
        public string? PeerNotifyStatus { get; set; }

        private void FillLifecycle(IkeV2Sa sa)
        {
            ReplacesIkeSaId = sa.ReplacesIkeSaId;
            ReplacedByIkeSaId = sa.ReplacedByIkeSaId;
            SecurityRealm = sa.SecurityRealm;
            SecurityRealmId = sa.SecurityRealmId;
            IsXbox = sa.IsXbox;
            XboxNegotiationType = sa.XboxNegotiationType;
            DeadPeerDetection = sa.DeadPeerDetection;
            PeerNotifyStatus = sa.PeerNotifyStatusName;
        }
    }

    public sealed partial class QuickModeSaInfo
    {
        public long? ReplacesChildSaId { get; set; }
        public long? ReplacedByChildSaId { get; set; }

        private void FillLifecycle(ChildSaV2 sa)
        {
            ReplacesChildSaId = sa.ReplacesChildSaId;
            ReplacedByChildSaId = sa.ReplacedByChildSaId;
        }
    }
}
