using System;

namespace IkeExtensions.Capture
{
    /// <summary>Timestamp arithmetic for captures, done in decimal so that no untrusted value can overflow.</summary>
    internal static class Timestamps
    {
        // DateTimeOffset.UnixEpoch is not in netstandard2.0.
        public static readonly DateTimeOffset UnixEpoch = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

        private static readonly decimal MinUnixSeconds = (decimal)(DateTimeOffset.MinValue - UnixEpoch).Ticks / TimeSpan.TicksPerSecond;
        private static readonly decimal MaxUnixSeconds = (decimal)(DateTimeOffset.MaxValue - UnixEpoch).Ticks / TimeSpan.TicksPerSecond - 1;

        /// <summary>
        /// Units per second for a pcapng if_tsresol option value (draft-ietf-opsawg-pcapng §4.2): the most significant bit
        /// selects a negative power of 2 (set) or of 10 (clear) given by the other seven bits. Returns 0 when the resolution
        /// cannot be represented in 64 bits (10^20 and up, 2^64 and up).
        /// </summary>
        public static ulong UnitsPerSecond(byte tsresol)
        {
            int exponent = tsresol & 0x7F;
            if ((tsresol & 0x80) != 0) return exponent < 64 ? 1UL << exponent : 0;
            if (exponent > 19) return 0;
            ulong units = 1;
            for (int i = 0; i < exponent; i++) units *= 10;
            return units;
        }

        /// <summary>Converts a pcapng 64-bit timestamp; null if the resolution is unusable or the time is out of range.</summary>
        public static DateTimeOffset? FromUnits(ulong units, ulong unitsPerSecond, long offsetSeconds)
        {
            if (unitsPerSecond == 0) return null;
            decimal seconds = (decimal)(units / unitsPerSecond) + offsetSeconds;
            if (seconds < MinUnixSeconds || seconds > MaxUnixSeconds) return null;
            decimal fractionTicks = (decimal)(units % unitsPerSecond) * TimeSpan.TicksPerSecond / unitsPerSecond;
            long ticks = (long)(seconds * TimeSpan.TicksPerSecond + decimal.Truncate(fractionTicks));
            var min = -(UnixEpoch - DateTimeOffset.MinValue).Ticks;
            var max = (DateTimeOffset.MaxValue - UnixEpoch).Ticks;
            if (ticks < min || ticks > max) return null;
            return UnixEpoch.AddTicks(ticks);
        }
    }
}
