using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using IkeExtensions.Management;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// Start-IkeResponder: starts an IKE service (our engines on UDP sockets) that answers IKEv1 Main Mode and Quick Mode
    /// and IKEv2 (RFC 7296) from peers that know the pre-shared key, and registers it in this session for
    /// Get-/Stop-IkeResponder and the SA cmdlets.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "IkeResponder", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IkeResponder))]
    public sealed class StartIkeResponderCommand : PSCmdlet
    {
        /// <summary>The local IPv4 or IPv6 address both sockets bind to (also the Main Mode identity).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string LocalAddress { get; set; } = "";

        /// <summary>The IKE port (UDP 500 by default; 0 picks a free port).</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; } = 500;

        /// <summary>The NAT traversal port (UDP 4500 by default; 0 picks a free port).</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int NatTraversalPort { get; set; } = 4500;

        /// <summary>Open no NAT traversal socket.</summary>
        [Parameter]
        public SwitchParameter NoNatTraversal { get; set; }

        /// <summary>The pre-shared key every peer must know; default: the key in the policy's pre-shared key proposal.</summary>
        [Parameter]
        public SecureString? PreSharedKey { get; set; }

        /// <summary>The policy whose main and quick mode proposals the engine offers and accepts.</summary>
        [Parameter(ValueFromPipeline = true)]
        public IpsecPolicy? Policy { get; set; }

        /// <summary>A name for Get-IkeResponder -Name and Stop-IkeResponder -Name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>The IKE versions to answer: Both (default), IKEv1 or IKEv2; told apart per datagram by the header's version.</summary>
        [Parameter]
        public IkeVersionSelection IkeVersion { get; set; } = IkeVersionSelection.Both;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (!IPAddress.TryParse(LocalAddress, out IPAddress? address))
            {
                WriteError(new ErrorRecord(new ArgumentException($"'{LocalAddress}' is not an IPv4 or IPv6 address."),
                    ErrorIds.IkeResponderStartFailed, ErrorCategory.InvalidArgument, LocalAddress));
                return;
            }
            string target = $"{address}:{Port}" + (NoNatTraversal ? "" : $" (NAT-T {NatTraversalPort})");
            if (!ShouldProcess(target, "Start IKE responder")) return;
            try
            {
                var request = new ResponderStartRequest
                {
                    Name = Name,
                    LocalAddress = address,
                    Port = Port,
                    NatTraversalPort = NoNatTraversal ? (int?)null : NatTraversalPort,
                    PresharedKey = PreSharedKey == null ? null : SecureStringSecrets.ToPreSharedKey(PreSharedKey),
                    Policy = Policy,
                    IkeVersion = IkeVersion,
                };
                IkeResponder responder = SessionResponders.Current.Start(request);
                WriteVerbose($"Responder {responder.Id} listens on {responder.LocalEndpoint}" + (responder.NatTraversalEndpoint == null ? "." : $" and {responder.NatTraversalEndpoint}."));
                WriteObject(responder);
            }
            catch (ArgumentException e)
            {
                WriteError(new ErrorRecord(e, ErrorIds.IkeResponderStartFailed, ErrorCategory.InvalidArgument, target));
            }
            catch (Exception e) when (ErrorRecordFactory.IsManagementError(e))
            {
                WriteError(ErrorRecordFactory.FromManagement(e));
            }
        }
    }
}
