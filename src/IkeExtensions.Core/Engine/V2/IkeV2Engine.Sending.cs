using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Crypto;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Engine
    {
        // ================================================================ sending

        private byte[] Seal(IkeV2Session s, ExchangeType exchange, uint messageId, bool response, IReadOnlyList<IkePayload> payloads)
        {
            var flags = (s.IsOriginalInitiator ? HeaderFlags.Initiator : HeaderFlags.None) | (response ? HeaderFlags.Response : HeaderFlags.None);
            var header = new IsakmpHeader(s.Row.InitiatorSpi, s.Row.ResponderSpi, PayloadType.None, 2, 0, exchange, flags, messageId, 0);
            var inner = new byte[IkeMessage.GetPayloadsLength(payloads)];
            IkeMessage.EncodePayloads(payloads, inner);
            var first = payloads.Count > 0 ? payloads[0].Type : PayloadType.None;
            try
            {
                var sealedMessage = s.Sk!.Protect(header, first, inner, _options.Random);
                AttachFragments(s, header, first, inner, sealedMessage); // RFC 7383 §2.5
                return sealedMessage;
            }
            finally { CryptoBytes.Zero(inner); }
        }

        /// <summary>Sends a request on the IKE SA now, or queues it until the one outstanding request is answered (RFC 7296 §2.3).</summary>
        private void SendRequest(IkeV2Session s, RequestKind kind, ExchangeType exchange, IReadOnlyList<IkePayload> payloads, ChildSession? child = null)
        {
            if (s.Pending != null)
            {
                s.Queued.Enqueue(() => SendRequest(s, kind, exchange, payloads, child));
                return;
            }
            uint id = s.NextRequestId++;
            var bytes = Seal(s, exchange, id, false, payloads);
            s.Pending = new OutstandingRequest(kind, exchange, id, bytes) { NextAt = Now + _options.RetransmitInitial, Child = child };
            SendRaw(s, bytes);
        }

        private void Pump(IkeV2Session s)
        {
            while (!s.Gone && s.Pending == null && s.Queued.Count > 0) s.Queued.Dequeue()();
        }

        private void SendResponse(IkeV2Session s, IsakmpHeader request, IReadOnlyList<IkePayload> payloads)
        {
            var bytes = Seal(s, request.ExchangeType, request.MessageId, true, payloads);
            s.LastResponse = bytes;
            SendResponseRaw(s, bytes); // §2.11: to where the request came from (IkeV2Engine.NatTraversal.cs)
        }

        private void SendRaw(IkeV2Session s, byte[] datagram) => SendRawTo(s.Row.LocalEndpoint, s.Row.RemoteEndpoint, datagram);

        // ================================================================ removal

        private void DeleteIke(IkeV2Session s, string reason)
        {
            if (s.Row.State != IkeV2SaState.Established || s.Sk == null)
            {
                if (s.Row.State != IkeV2SaState.Deleting) Fail(s, reason);
                return;
            }
            s.Row.State = IkeV2SaState.Deleting;
            s.Row.FailureReason = reason;
            s.Queued.Clear();
            Log(LogLevel.Info, $"IKEv2#{s.Row.Id} deleting: {reason}");
            SendRequest(s, RequestKind.DeleteIke, ExchangeType.InformationalV2,
                new IkePayload[] { new Wire.V2.DeletePayload(ProtocolIdV2.Ike, 0, Array.Empty<ReadOnlyMemory<byte>>()) });
        }

        private void DeleteChild(ChildSession c, string reason)
        {
            if (c.Row.State != QuickModeSaState.Established)
            {
                RemoveChild(c, reason, QuickModeSaState.Failed);
                return;
            }
            if (c.DeleteRequested) return; // one Delete(ESP) per child: a second would name an SPI the peer already forgot
            c.DeleteRequested = true;
            Log(LogLevel.Info, $"CHILD#{c.Row.Id} deleting: {reason}");
            SendRequest(c.Parent, RequestKind.DeleteChild, ExchangeType.InformationalV2,
                new IkePayload[] { new Wire.V2.DeletePayload(ProtocolIdV2.Esp, 4, new ReadOnlyMemory<byte>[] { IkeV2Codec.SpiBytes(c.Row.InboundSpi) }) }, c);
        }

        private void RemoveChild(ChildSession c, string reason, QuickModeSaState final)
        {
            if (!c.Parent.Children.Remove(c)) return;
            bool wasEstablished = c.Row.State == QuickModeSaState.Established;
            c.Row.State = wasEstablished ? QuickModeSaState.Deleted : final;
            if (!wasEstablished) c.Row.FailureReason = reason;
            ChildSas.Remove(c.Row.Id);
            c.Wipe();
            c.Parent.Row.ChildSaCount = c.Parent.Children.Count(x => x.Row.State == QuickModeSaState.Established);
            if (wasEstablished)
            {
                Log(LogLevel.Info, $"CHILD#{c.Row.Id} deleted: {reason}");
                _output.OnEvent(new EngineEvent(EngineEventKind.QuickModeDeleted, c.Row.Snapshot(), reason));
            }
            else
            {
                Statistics.QuickModeFail();
                Log(LogLevel.Warning, $"CHILD#{c.Row.Id} failed: {reason}");
                _output.OnEvent(new EngineEvent(EngineEventKind.QuickModeFailed, c.Row.Snapshot(), reason));
            }
        }

        /// <summary>An IKE SA that never got established fails (row Failed, MainModeFailed event).</summary>
        private void Fail(IkeV2Session s, string reason)
        {
            if (s.Gone) return;
            s.Row.FailureReason = reason;
            if (s.Row.EstablishedAt != null)
            {
                Remove(s, reason);
                return;
            }
            s.Row.State = IkeV2SaState.Failed;
            Statistics.MainModeFail();
            Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} with {s.Row.RemoteEndpoint} failed: {reason}");
            Detach(s, reason);
            _output.OnEvent(new EngineEvent(EngineEventKind.MainModeFailed, s.Row.Snapshot(), reason));
        }

        /// <summary>Removes an IKE SA with its children (MainModeDeleted when it had been established).</summary>
        private void Remove(IkeV2Session s, string reason)
        {
            if (s.Gone) return;
            if (s.Row.EstablishedAt == null)
            {
                Fail(s, reason);
                return;
            }
            s.Row.State = IkeV2SaState.Deleted;
            Log(LogLevel.Info, $"IKEv2#{s.Row.Id} deleted: {reason}");
            Detach(s, reason);
            _output.OnEvent(new EngineEvent(EngineEventKind.MainModeDeleted, s.Row.Snapshot(), reason));
        }

        private void Detach(IkeV2Session s, string reason)
        {
            HandOverBeforeRemoval(s); // children of a rekeyed IKE SA live on in its successor (IkeV2Engine.Rekey.cs)
            foreach (var c in s.Children.ToList()) RemoveChild(c, reason, QuickModeSaState.Failed);
            DiscardFragmentAssemblies(s);
            s.Gone = true;
            s.Pending = null;
            s.Queued.Clear();
            if (s.HalfOpenCounted) { s.HalfOpenCounted = false; _halfOpen--; }
            _bySpi.Remove(s.OurSpi);
            if (!s.IsOriginalInitiator) _byInitiator.Remove((s.Row.InitiatorSpi, s.Row.RemoteEndpoint));
            IkeSas.Remove(s.Row.Id);
            s.Dispose();
        }
    }
}
