using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using IkeExtensions.NegotiationDiscovery;

namespace IkeExtensions.Management
{
    /// <summary>A negotiation discovery policy or trace file that cannot be used; the message names the file, the place and the problem.</summary>
    public sealed class NdFormatException : FormatException
    {
        public NdFormatException(string message) : base(message) { }
    }

    /// <summary>
    /// Reads the JSON files of <c>ikex nd simulate</c> (format: tests/IkeExtensions.Tests/Vectors/nd/README.md). Names are
    /// case-sensitive; unknown fields are errors.
    /// </summary>
    public static class NdSimulationJson
    {
        private static readonly string[] PolicyFields = { "rules" };
        private static readonly string[] RuleFields =
            { "name", "action", "negotiationDiscovery", "boundary", "guaranteeEncryption", "localAddress", "remoteAddress", "protocol", "localPort", "remotePort" };
        private static readonly string[] TraceFields =
            { "name", "description", "host", "peer", "ikeLatencyMs", "quickModeLifetimeSeconds", "rekey", "runUntil", "events" };
        private static readonly string[] PeerFields = { "address", "kind", "policy" };
        private static readonly string[] EventFields =
            { "time", "action", "from", "side", "protocol", "hostPort", "peerPort", "icmpType", "icmpCode", "encapsulation", "note", "expect" };
        private static readonly string[] ExpectFields = { "host", "hostReason", "peer", "peerReason", "later" };

        public static NdSecurityPolicy ReadPolicyFile(string path) => Parse(path, doc => ReadPolicy(doc.RootElement, "policy"));

        public static NdScenario ReadTraceFile(string path, NdSecurityPolicy hostPolicy) => Parse(path, doc => ReadTrace(doc.RootElement, hostPolicy));

        public static NdSecurityPolicy ParsePolicy(string json) => Parse("policy", json, doc => ReadPolicy(doc.RootElement, "policy"));

        public static NdScenario ParseTrace(string json, NdSecurityPolicy hostPolicy) => Parse("trace", json, doc => ReadTrace(doc.RootElement, hostPolicy));

        private static T Parse<T>(string path, Func<JsonDocument, T> read)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new NdFormatException($"{path}: cannot be read: {e.Message}");
            }
            return Parse(path, text, read);
        }

        private static T Parse<T>(string name, string json, Func<JsonDocument, T> read)
        {
            try
            {
                using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                return read(doc);
            }
            catch (JsonException e)
            {
                throw new NdFormatException($"{name}: not JSON: {e.Message}");
            }
            catch (NdFormatException e)
            {
                throw new NdFormatException($"{name}: {e.Message}");
            }
            catch (ArgumentException e)
            {
                throw new NdFormatException($"{name}: {e.Message}");
            }
        }

        private static void Known(JsonElement e, string where, string[] fields)
        {
            if (e.ValueKind != JsonValueKind.Object) throw new NdFormatException($"{where} must be an object");
            foreach (var p in e.EnumerateObject())
                if (!fields.Contains(p.Name, StringComparer.Ordinal))
                    throw new NdFormatException($"{where}: unknown field \"{p.Name}\" (known: {string.Join(", ", fields)})");
        }

        private static string? Str(JsonElement e, string name, string where)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.String) throw new NdFormatException($"{where}.{name} must be a string");
            return v.GetString();
        }

        private static bool? Bool(JsonElement e, string name, string where)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.True && v.ValueKind != JsonValueKind.False) throw new NdFormatException($"{where}.{name} must be true or false");
            return v.GetBoolean();
        }

        private static double? Num(JsonElement e, string name, string where, double min, double max)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || d < min || d > max)
                throw new NdFormatException($"{where}.{name} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
            return d;
        }

        private static ushort Port(JsonElement e, string name, string where)
        {
            double? d = Num(e, name, where, 0, 65535);
            if (d.HasValue && d.Value != Math.Floor(d.Value)) throw new NdFormatException($"{where}.{name} must be a whole number");
            return (ushort)(d ?? 0);
        }

        private static TEnum Enum<TEnum>(string? text, TEnum fallback, string where) where TEnum : struct, Enum
        {
            if (text == null) return fallback;
            if (System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _)) return value;
            throw new NdFormatException($"{where}: '{text}' is not one of {string.Join(", ", System.Enum.GetNames(typeof(TEnum)).Select(n => char.ToLowerInvariant(n[0]) + n.Substring(1)))}");
        }

        private static byte Protocol(JsonElement e, string where, byte fallback)
        {
            if (!e.TryGetProperty("protocol", out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
            if (v.ValueKind == JsonValueKind.Number)
            {
                if (!v.TryGetByte(out byte b)) throw new NdFormatException($"{where}.protocol must be 0-255");
                return b;
            }
            return (v.ValueKind == JsonValueKind.String ? v.GetString()!.ToLowerInvariant() : null) switch
            {
                "any" => 0,
                "tcp" => IpProtocols.Tcp,
                "udp" => IpProtocols.Udp,
                "icmp" => IpProtocols.Icmp,
                "icmpv6" => IpProtocols.IcmpV6,
                _ => throw new NdFormatException($"{where}.protocol must be any, tcp, udp, icmp, icmpv6 or a number"),
            };
        }

        private static NdSecurityPolicy ReadPolicy(JsonElement root, string where)
        {
            Known(root, where, PolicyFields);
            if (!root.TryGetProperty("rules", out var rules) || rules.ValueKind != JsonValueKind.Array) throw new NdFormatException($"{where}.rules must be an array");
            var list = new List<NdRule>();
            int i = 0;
            foreach (var r in rules.EnumerateArray())
            {
                string w = $"{where}.rules[{i++}]";
                Known(r, w, RuleFields);
                try
                {
                    list.Add(new NdRule
                    {
                        Name = Str(r, "name", w) ?? $"rule{i}",
                        Action = Enum(Str(r, "action", w), NdRuleAction.Secure, w + ".action"),
                        NegotiationDiscovery = Enum(Str(r, "negotiationDiscovery", w), NdDirections.None, w + ".negotiationDiscovery"),
                        Boundary = Bool(r, "boundary", w) ?? false,
                        GuaranteeEncryption = Bool(r, "guaranteeEncryption", w) ?? false,
                        LocalAddress = NdAddressRange.Parse(Str(r, "localAddress", w)),
                        RemoteAddress = NdAddressRange.Parse(Str(r, "remoteAddress", w)),
                        Protocol = Protocol(r, w, 0),
                        LocalPort = Port(r, "localPort", w),
                        RemotePort = Port(r, "remotePort", w),
                    });
                }
                catch (FormatException e) when (!(e is NdFormatException))
                {
                    throw new NdFormatException($"{w}: {e.Message}");
                }
            }
            return new NdSecurityPolicy(list);
        }

        private static IPAddress Address(string? text, string where)
        {
            if (text == null) throw new NdFormatException($"{where} is required");
            if (!IPAddress.TryParse(text, out var a)) throw new NdFormatException($"{where}: '{text}' is not an IP address");
            return a;
        }

        private static NdScenario ReadTrace(JsonElement root, NdSecurityPolicy hostPolicy)
        {
            Known(root, "trace", TraceFields);
            var s = new NdScenario
            {
                Name = Str(root, "name", "trace") ?? "trace",
                Description = Str(root, "description", "trace"),
                HostAddress = Address(Str(root, "host", "trace"), "trace.host"),
                HostPolicy = hostPolicy,
                IkeLatency = TimeSpan.FromMilliseconds(Num(root, "ikeLatencyMs", "trace", 0, 60000) ?? 10),
                QuickModeLifetimeSeconds = (int)(Num(root, "quickModeLifetimeSeconds", "trace", 1, 172800) ?? 3600),
                Rekey = Bool(root, "rekey", "trace") ?? true,
                RunUntil = Num(root, "runUntil", "trace", 0, 86400),
            };
            if (!root.TryGetProperty("peer", out var peer)) throw new NdFormatException("trace.peer is required");
            Known(peer, "trace.peer", PeerFields);
            s.PeerAddress = Address(Str(peer, "address", "trace.peer"), "trace.peer.address");
            s.PeerKind = Enum(Str(peer, "kind", "trace.peer"), NdPeerKind.Capable, "trace.peer.kind");
            if (peer.TryGetProperty("policy", out var pp) && pp.ValueKind != JsonValueKind.Null) s.PeerPolicy = ReadPolicy(pp, "trace.peer.policy");

            if (!root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array) throw new NdFormatException("trace.events must be an array");
            int i = 0;
            foreach (var e in events.EnumerateArray())
            {
                string w = $"trace.events[{i++}]";
                Known(e, w, EventFields);
                var action = Enum(Str(e, "action", w), NdTraceAction.Packet, w + ".action");
                var ev = new NdTraceEvent
                {
                    Time = Num(e, "time", w, 0, 86400) ?? throw new NdFormatException($"{w}.time is required"),
                    Action = action,
                    From = Enum(Str(e, action == NdTraceAction.Packet ? "from" : "side", w), NdTraceSide.Host, w + (action == NdTraceAction.Packet ? ".from" : ".side")),
                    Protocol = Protocol(e, w, IpProtocols.Tcp),
                    Note = Str(e, "note", w),
                };
                bool icmp = ev.Protocol == IpProtocols.Icmp || ev.Protocol == IpProtocols.IcmpV6;
                ev.HostPort = icmp ? Port(e, "icmpType", w) : Port(e, "hostPort", w);
                ev.PeerPort = icmp ? Port(e, "icmpCode", w) : Port(e, "peerPort", w);
                if (Str(e, "encapsulation", w) is string enc) ev.Encapsulation = Enum(enc, NdEncapsulation.Clear, w + ".encapsulation");
                if (e.TryGetProperty("expect", out var x) && x.ValueKind != JsonValueKind.Null)
                {
                    Known(x, w + ".expect", ExpectFields);
                    ev.Expect = new NdExpectation
                    {
                        Host = Str(x, "host", w + ".expect"), HostReason = Str(x, "hostReason", w + ".expect"),
                        Peer = Str(x, "peer", w + ".expect"), PeerReason = Str(x, "peerReason", w + ".expect"), Later = Str(x, "later", w + ".expect"),
                    };
                }
                s.Events.Add(ev);
            }
            return s;
        }
    }
}
