using System;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IkeExtensions.Management;
using IkeExtensions.Policy;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// Start-IkeNegotiation: initiates Main Mode (unless one is up with the peer) and a Quick Mode from a responder of this
    /// session, and waits for the Quick Mode SA, with progress; with -IkeVersion IKEv2, IKE_SA_INIT + IKE_AUTH and the child
    /// SA (RFC 7296). A failed negotiation is a non-terminating error.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "IkeNegotiation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(IkeNegotiationOutcome))]
    public sealed class StartIkeNegotiationCommand : PSCmdlet
    {
        private const int ProgressActivityId = 0x1CE;
        private CancellationTokenSource? cancellation;

        /// <summary>The peer's IPv4 or IPv6 address.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("PeerAddress")]
        [ValidateNotNullOrEmpty]
        public string RemoteAddress { get; set; } = "";

        /// <summary>The peer's IKE port.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int RemotePort { get; set; } = 500;

        /// <summary>The responder that initiates; default: the only running responder of the session.</summary>
        [Parameter(ValueFromPipeline = true)]
        public IkeResponder? Responder { get; set; }

        /// <summary>Transport (default) or Tunnel encapsulation for the Quick Mode SA.</summary>
        [Parameter]
        public EncapsulationModeChoice Mode { get; set; } = EncapsulationModeChoice.Transport;

        /// <summary>Negotiate a new Main Mode SA even if one with the peer is established.</summary>
        [Parameter]
        public SwitchParameter ForceNewMainMode { get; set; }

        /// <summary>IKEv1 (Main Mode + Quick Mode, the default) or IKEv2 (IKE_SA_INIT + IKE_AUTH with a child SA).</summary>
        [Parameter]
        [ValidateSet(nameof(IkeVersionSelection.IKEv1), nameof(IkeVersionSelection.IKEv2))]
        public IkeVersionSelection IkeVersion { get; set; } = IkeVersionSelection.IKEv1;

        /// <summary>How long to wait for the Quick Mode SA, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSeconds { get; set; } = 30;

        /// <inheritdoc />
        protected override void BeginProcessing() => cancellation = new CancellationTokenSource();

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (!IPAddress.TryParse(RemoteAddress, out IPAddress? address))
            {
                WriteError(new ErrorRecord(new ArgumentException($"'{RemoteAddress}' is not an IPv4 or IPv6 address."),
                    ErrorIds.IkeNegotiationAddressInvalid, ErrorCategory.InvalidArgument, RemoteAddress));
                return;
            }
            var peer = new IPEndPoint(address, RemotePort);
            try
            {
                IkeResponder responder = Responder ?? SessionResponders.Current.Resolve(null);
                if (!ShouldProcess($"{peer} from {responder.LocalEndpoint}", $"Negotiate {Mode} IPsec SA ({IkeVersion})")) return;
                var timeout = TimeSpan.FromSeconds(TimeoutSeconds);
                Task<IkeNegotiationOutcome> task = IkeVersion == IkeVersionSelection.IKEv2
                    ? responder.NegotiateV2Async(peer, Mode, ForceNewMainMode, timeout, cancellation!.Token)
                    : responder.NegotiateAsync(peer, Mode, ForceNewMainMode, timeout, cancellation!.Token);
                IkeNegotiationOutcome outcome = Wait(task, peer);
                if (outcome.Succeeded) WriteObject(outcome);
                else WriteError(ErrorRecordFactory.FromManagement(new IkeManagementException(IkeManagementError.NegotiationFailed,
                    $"Negotiation with {peer} failed: {outcome.FailureReason}", outcome)));
            }
            catch (Exception e) when (ErrorRecordFactory.IsManagementError(e))
            {
                WriteError(ErrorRecordFactory.FromManagement(e, target: peer.ToString()));
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing() => cancellation?.Cancel();

        /// <inheritdoc />
        protected override void EndProcessing() => cancellation?.Dispose();

        private IkeNegotiationOutcome Wait(Task<IkeNegotiationOutcome> task, IPEndPoint peer)
        {
            var progress = new ProgressRecord(ProgressActivityId, $"Negotiating with {peer}",
                IkeVersion == IkeVersionSelection.IKEv2 ? "IKE_SA_INIT, IKE_AUTH and the child SA" : "Main Mode and Quick Mode");
            var started = DateTime.UtcNow;
            while (!task.Wait(200))
            {
                double elapsed = (DateTime.UtcNow - started).TotalSeconds;
                progress.PercentComplete = (int)Math.Min(99, elapsed * 100 / TimeoutSeconds);
                progress.SecondsRemaining = (int)Math.Max(0, TimeoutSeconds - elapsed);
                WriteProgress(progress);
            }
            progress.RecordType = ProgressRecordType.Completed;
            progress.PercentComplete = 100;
            WriteProgress(progress);
            return task.GetAwaiter().GetResult();
        }
    }
}
