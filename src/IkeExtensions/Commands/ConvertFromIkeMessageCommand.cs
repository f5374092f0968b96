using System;
using System.Collections.Generic;
using System.Management.Automation;
using IkeExtensions.Management;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// ConvertFrom-IkeMessage: decodes IKEv1/IKEv2 (MS-IKEE) messages from hex text, from pcap/pcapng captures or hex
    /// text files, or from the bytes of one UDP payload. Parameter binding and output only; the work is done by
    /// <see cref="IkeMessageInspector"/>.
    /// </summary>
    [Cmdlet(VerbsData.ConvertFrom, "IkeMessage", DefaultParameterSetName = HexParameterSet)]
    [OutputType(typeof(DecodedIkeMessage))]
    public sealed class ConvertFromIkeMessageCommand : PSCmdlet
    {
        /// <summary>Parameter set for -Hex.</summary>
        public const string HexParameterSet = "Hex";

        /// <summary>Parameter set for -Path.</summary>
        public const string PathParameterSet = "Path";

        /// <summary>Parameter set for -Bytes.</summary>
        public const string BytesParameterSet = "Bytes";

        /// <summary>Hex text of one IKE datagram each (whitespace, colons, dashes and a 0x prefix are ignored).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = HexParameterSet)]
        [ValidateNotNullOrEmpty]
        public string[] Hex { get; set; } = Array.Empty<string>();

        /// <summary>pcap/pcapng captures or hex text files; wildcards allowed.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathParameterSet)]
        [Alias("FullName")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>The bytes of one IKE message: the UDP payload, without the 4-byte non-ESP marker of port 4500.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BytesParameterSet)]
        [ValidateNotNull]
        public byte[] Bytes { get; set; } = Array.Empty<byte>();

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case HexParameterSet:
                    foreach (string hex in Hex) DecodeInput(hex, hex);
                    break;
                case PathParameterSet:
                    foreach (string path in Path) DecodePath(path);
                    break;
                case BytesParameterSet:
                    WriteDecoded(IkeMessageInspector.Decode(Bytes));
                    break;
            }
        }

        private void DecodePath(string path)
        {
            IReadOnlyList<string> files;
            ProviderInfo provider;
            try
            {
                files = GetResolvedProviderPathFromPSPath(path, out provider);
            }
            catch (Exception e) when (ErrorRecordFactory.IsInputError(e))
            {
                WriteError(ErrorRecordFactory.FromException(e, path));
                return;
            }

            if (provider.Name != "FileSystem")
            {
                WriteError(ErrorRecordFactory.PathNotFileSystem(path, provider.Name));
                return;
            }
            if (files.Count == 0)
            {
                WriteError(ErrorRecordFactory.PathNotFound(path));
                return;
            }
            foreach (string file in files)
            {
                WriteVerbose($"Decoding '{file}'.");
                DecodeInput(file, file);
            }
        }

        private void DecodeInput(string hexOrPath, object target)
        {
            IReadOnlyList<DecodedIkeMessage> messages;
            try
            {
                messages = IkeMessageInspector.DecodeInput(hexOrPath);
            }
            catch (Exception e) when (ErrorRecordFactory.IsInputError(e))
            {
                WriteError(ErrorRecordFactory.FromException(e, target));
                return;
            }
            foreach (DecodedIkeMessage message in messages) WriteDecoded(message);
        }

        private void WriteDecoded(DecodedIkeMessage message)
        {
            if (message.Error != null)
                WriteVerbose(message.FrameNumber is int frame
                    ? $"Frame {frame}: not decoded: {message.Error}"
                    : $"Datagram of {message.Length} bytes not decoded: {message.Error}");
            WriteObject(message);
        }
    }
}
