using System;
using System.Collections.Generic;

namespace IkeExtensions.Capture
{
    /// <summary>Collects datagrams and errors for one read, and enforces the record and error bounds.</summary>
    internal sealed class CaptureSink
    {
        private readonly List<CapturedUdpDatagram> _datagrams = new List<CapturedUdpDatagram>();
        private readonly List<CaptureError> _errors = new List<CaptureError>();
        private int _suppressed;

        public CaptureSink(CaptureReadOptions options)
        {
            Options = options;
        }

        public CaptureReadOptions Options { get; }
        public long FrameCount { get; private set; }

        /// <summary>Claims the next frame number, or returns 0 (after recording a fatal error) when the record limit is reached.</summary>
        public long NextFrame(long offset)
        {
            if (FrameCount >= Math.Max(0, Options.MaxRecords))
            {
                Fatal(CaptureErrorKind.RecordLimitReached, offset, $"stopped after {FrameCount} records (MaxRecords)");
                return 0;
            }
            FrameCount++;
            return FrameCount;
        }

        public void Add(CapturedUdpDatagram datagram) => _datagrams.Add(datagram);

        public void Error(CaptureErrorKind kind, long frame, long offset, string message)
        {
            if (_errors.Count >= Math.Max(0, Options.MaxErrors)) { _suppressed++; return; }
            _errors.Add(new CaptureError(kind, frame, offset, false, message));
        }

        /// <summary>Fatal errors are always kept (even past MaxErrors) so that IsComplete stays truthful.</summary>
        public void Fatal(CaptureErrorKind kind, long offset, string message) =>
            _errors.Add(new CaptureError(kind, 0, offset, true, message));

        public CaptureReadResult ToResult(CaptureFormat format) =>
            new CaptureReadResult(format, FrameCount, _datagrams.ToArray(), _errors.ToArray(), _suppressed);
    }
}
