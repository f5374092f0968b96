using System;
using System.Linq;
using System.Management.Automation;
using IkeExtensions.Management;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// Remove-IkeQuickModeSA: deletes Quick Mode SA pairs of a responder; the peer is told with a protected DELETE in an
    /// Informational exchange under the Main Mode SA (MS-IKEE 3.8 reliable delete). Pipe Get-IkeQuickModeSA output to it.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "IkeQuickModeSA", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(QuickModeSaInfo))]
    public sealed class RemoveIkeQuickModeSACommand : PSCmdlet
    {
        /// <summary>Ids of the Quick Mode SAs to delete.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>The responder holding the SAs (its id); default: the only running responder.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, int.MaxValue)]
        public int ResponderId { get; set; }

        /// <summary>The responder holding the SAs.</summary>
        [Parameter]
        public IkeResponder? Responder { get; set; }

        /// <summary>Write each deleted SA (as it was before the delete) to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IkeResponder responder;
            try
            {
                responder = Responder ?? SessionResponders.Current.Resolve(ResponderId > 0 ? ResponderId : (int?)null);
            }
            catch (IkeManagementException e)
            {
                WriteError(ErrorRecordFactory.FromManagement(e, "QuickMode"));
                return;
            }
            foreach (long id in Id)
            {
                if (!ShouldProcess($"Quick Mode SA {id} on responder {responder.Id} ({responder.LocalEndpoint})", "Delete (peer is told)")) continue;
                try
                {
                    SaRow<QuickModeSaInfo>? before = IkeSaQuery.QuickModeSas(new[] { responder }, new SaFilter { Ids = new[] { id } }).FirstOrDefault();
                    responder.RemoveQuickModeSaAsync(id).GetAwaiter().GetResult();
                    if (PassThru && before != null) WriteObject(SaOutput.Wrap(before));
                }
                catch (Exception e) when (ErrorRecordFactory.IsManagementError(e))
                {
                    WriteError(ErrorRecordFactory.FromManagement(e, "QuickMode", id));
                }
            }
        }
    }
}
