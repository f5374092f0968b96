using System;
using System.Linq;
using System.Management.Automation;
using IkeExtensions.Management;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// Remove-IkeMainModeSA: deletes Main Mode SAs of a responder with the reliable delete of MS-IKEE 3.8 (the peer is
    /// told, and the Quick Mode SAs the Main Mode SA keyed go with it). Pipe Get-IkeMainModeSA output to it.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "IkeMainModeSA", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(MainModeSaInfo))]
    public sealed class RemoveIkeMainModeSACommand : PSCmdlet
    {
        /// <summary>Ids of the Main Mode SAs to delete.</summary>
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
                WriteError(ErrorRecordFactory.FromManagement(e, "MainMode"));
                return;
            }
            foreach (long id in Id)
            {
                if (!ShouldProcess($"Main Mode SA {id} on responder {responder.Id} ({responder.LocalEndpoint})", "Delete (peer is told)")) continue;
                try
                {
                    SaRow<MainModeSaInfo>? before = IkeSaQuery.MainModeSas(new[] { responder }, new SaFilter { Ids = new[] { id } }).FirstOrDefault();
                    responder.RemoveMainModeSaAsync(id).GetAwaiter().GetResult();
                    if (PassThru && before != null) WriteObject(SaOutput.Wrap(before));
                }
                catch (Exception e) when (ErrorRecordFactory.IsManagementError(e))
                {
                    WriteError(ErrorRecordFactory.FromManagement(e, "MainMode", id));
                }
            }
        }
    }
}
