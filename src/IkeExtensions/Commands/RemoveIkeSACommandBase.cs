using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using IkeExtensions.Management;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// The parameters and delete loop shared by Remove-IkeMainModeSA and Remove-IkeQuickModeSA: resolve the responder, then
    /// delete each SA with the reliable delete of MS-IKEE 3.8 (the peer is told), optionally passing the SA through.
    /// </summary>
    /// <typeparam name="TInfo">The SA row type (MainModeSaInfo or QuickModeSaInfo).</typeparam>
    public abstract class RemoveIkeSACommandBase<TInfo> : PSCmdlet where TInfo : class
    {
        private readonly string _saKind;
        private readonly string _saLabel;
        private readonly Func<IEnumerable<IkeResponder>, SaFilter, IReadOnlyList<SaRow<TInfo>>> _query;
        private readonly Func<IkeResponder, long, Task> _remove;

        /// <summary>Binds the delete loop to one kind of SA.</summary>
        /// <param name="saKind">The SA kind error records carry ("MainMode" or "QuickMode").</param>
        /// <param name="saLabel">How ShouldProcess names one SA ("Main Mode SA").</param>
        /// <param name="query">Reads SA rows of responders (to pass the SA through).</param>
        /// <param name="remove">Deletes one SA of a responder.</param>
        private protected RemoveIkeSACommandBase(
            string saKind,
            string saLabel,
            Func<IEnumerable<IkeResponder>, SaFilter, IReadOnlyList<SaRow<TInfo>>> query,
            Func<IkeResponder, long, Task> remove)
        {
            _saKind = saKind;
            _saLabel = saLabel;
            _query = query;
            _remove = remove;
        }

        /// <summary>Ids of the SAs to delete.</summary>
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
                WriteError(ErrorRecordFactory.FromManagement(e, _saKind));
                return;
            }
            foreach (long id in Id)
            {
                if (!ShouldProcess($"{_saLabel} {id} on responder {responder.Id} ({responder.LocalEndpoint})", "Delete (peer is told)")) continue;
                try
                {
                    SaRow<TInfo>? before = _query(new[] { responder }, new SaFilter { Ids = new[] { id } }).FirstOrDefault();
                    _remove(responder, id).GetAwaiter().GetResult();
                    if (PassThru && before != null) WriteObject(SaOutput.Wrap(before));
                }
                catch (Exception e) when (ErrorRecordFactory.IsManagementError(e))
                {
                    WriteError(ErrorRecordFactory.FromManagement(e, _saKind, id));
                }
            }
        }
    }
}
