using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Platform.Windows;

namespace IkeExtensions.Management
{
    /// <summary>Which SAs Get-IkeMainModeSA / Get-IkeQuickModeSA return: ids, peer address patterns, Main Mode SA ids. Empty = all.</summary>
    public sealed class SaFilter
    {
        public IReadOnlyCollection<long>? Ids { get; set; }
        /// <summary>Patterns over the remote address (with or without the port), wildcards allowed.</summary>
        public IReadOnlyCollection<string>? RemoteAddress { get; set; }
        /// <summary>Quick Mode SAs only: the Main Mode SA they run on.</summary>
        public IReadOnlyCollection<long>? MainModeSaIds { get; set; }

        public bool Matches(MainModeSaInfo sa) => IdMatches(sa.Id) && AddressMatches(sa.RemoteEndpoint);

        public bool Matches(QuickModeSaInfo sa) =>
            IdMatches(sa.Id) && AddressMatches(sa.RemoteEndpoint) && (MainModeSaIds == null || MainModeSaIds.Count == 0 || MainModeSaIds.Contains(sa.MainModeSaId));

        private bool IdMatches(long id) => Ids == null || Ids.Count == 0 || Ids.Contains(id);

        private bool AddressMatches(string endpoint)
        {
            if (RemoteAddress == null || RemoteAddress.Count == 0) return true;
            return NamePattern.MatchesAny(RemoteAddress, endpoint) || NamePattern.MatchesAny(RemoteAddress, HostOf(endpoint));
        }

        /// <summary>"192.0.2.1:500" → "192.0.2.1"; "[2001:db8::1]:500" → "2001:db8::1".</summary>
        public static string HostOf(string endpoint)
        {
            if (string.IsNullOrEmpty(endpoint)) return "";
            if (endpoint[0] == '[')
            {
                int close = endpoint.IndexOf(']');
                return close > 0 ? endpoint.Substring(1, close - 1) : endpoint;
            }
            int colon = endpoint.LastIndexOf(':');
            return colon > 0 && endpoint.IndexOf(':') == colon ? endpoint.Substring(0, colon) : endpoint;
        }
    }

    /// <summary>One SA row and where it came from: a responder of this session (its id) or Windows' IKEEXT (null).</summary>
    public sealed class SaRow<T>
    {
        public SaRow(int? responderId, T sa)
        {
            ResponderId = responderId;
            Sa = sa;
        }

        public int? ResponderId { get; }
        public T Sa { get; }
    }

    /// <summary>The SA tables the Get-Ike*SA cmdlets read: our responders' engines, or Windows' IKEEXT service.</summary>
    public static class IkeSaQuery
    {
        public static IReadOnlyList<SaRow<MainModeSaInfo>> MainModeSas(IEnumerable<IkeResponder> responders, SaFilter? filter = null) =>
            responders.Where(r => r.State == IkeResponderState.Running)
                .SelectMany(r => r.GetMainModeSas().Where(sa => (filter ?? new SaFilter()).Matches(sa)).Select(sa => new SaRow<MainModeSaInfo>(r.Id, sa)))
                .ToList();

        public static IReadOnlyList<SaRow<QuickModeSaInfo>> QuickModeSas(IEnumerable<IkeResponder> responders, SaFilter? filter = null) =>
            responders.Where(r => r.State == IkeResponderState.Running)
                .SelectMany(r => r.GetQuickModeSas().Where(sa => (filter ?? new SaFilter()).Matches(sa)).Select(sa => new SaRow<QuickModeSaInfo>(r.Id, sa)))
                .ToList();

        /// <summary>Windows' own Main Mode SAs (IkeextSaEnum1). Off Windows: <see cref="IkeManagementError.NotSupported"/>.</summary>
        public static IReadOnlyList<SaRow<MainModeSaInfo>> WindowsMainModeSas(SaFilter? filter = null) =>
            ReadWindows(reader => reader.ReadMainModeSas(WindowsSaRows.MapMainMode)).Where(sa => (filter ?? new SaFilter()).Matches(sa)).Select(sa => new SaRow<MainModeSaInfo>(null, sa)).ToList();

        /// <summary>Windows' IPsec SA contexts (IPsecSaContextEnum1). Off Windows: <see cref="IkeManagementError.NotSupported"/>.</summary>
        public static IReadOnlyList<SaRow<QuickModeSaInfo>> WindowsQuickModeSas(SaFilter? filter = null) =>
            ReadWindows(reader => reader.ReadQuickModeSas(WindowsSaRows.MapSaContext)).Where(sa => (filter ?? new SaFilter()).Matches(sa)).Select(sa => new SaRow<QuickModeSaInfo>(null, sa)).ToList();

        private static IReadOnlyList<T> ReadWindows<T>(Func<IkeextSaReader, IReadOnlyList<T>> read)
        {
            try
            {
                using var reader = new IkeextSaReader();
                return read(reader);
            }
            catch (PlatformNotSupportedException e)
            {
                throw new IkeManagementException(IkeManagementError.NotSupported, e.Message, "IKEEXT", e);
            }
        }
    }
}
