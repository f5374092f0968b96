using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Tables;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Engine
    {
        // ================================================================ lifetimes (RFC 7296 §2.8): soft → rekey, hard → delete

        /// <summary>
        /// Lifetime work of one IKE SA and its children: a replaced or redundant SA the peer failed to delete goes; at the
        /// hard lifetime an SA is deleted; at the soft lifetime (<see cref="IkeV2EngineOptions.RekeyFraction"/> of it, less
        /// jitter) it is rekeyed (§2.8: "a new SA is negotiated before the old one expires").
        /// </summary>
        private void PollLifetimes(IkeV2Session s, DateTime now)
        {
            if (s.Gone) return;
            if (s.AwaitDeleteUntil <= now)
            {
                s.AwaitDeleteUntil = null;
                if (s.Row.State == IkeV2SaState.Established) DeleteIke(s, "redundant IKE SA of a simultaneous rekey: the peer did not delete it (RFC 7296 §2.8.2)");
                else Remove(s, "replaced by a rekeyed IKE SA; the peer did not delete it");
                return;
            }
            if (s.Row.State != IkeV2SaState.Established) return;
            if (s.ExpiresAt <= now)
            {
                s.ExpiresAt = null;
                DeleteIke(s, "lifetime expired");
                return;
            }
            if (IkeRekeyDue(s) <= now)
            {
                s.RekeyAt = now + _options.RekeyRetryInterval;
                StartIkeRekey(s, "soft lifetime reached");
            }
            foreach (var c in s.Children.ToList())
            {
                if (c.Row.State != QuickModeSaState.Established || !s.Children.Contains(c)) continue;
                if (c.ExpiresAt <= now)
                {
                    c.ExpiresAt = null;
                    DeleteChild(c, "lifetime expired");
                }
                else if (c.AwaitDeleteUntil <= now)
                {
                    c.AwaitDeleteUntil = null;
                    RequestChildDelete(c, c.ReplacedBy != null ? $"replaced by CHILD#{c.ReplacedBy.Row.Id}; the peer did not delete it" : "redundant child of a simultaneous rekey; the peer did not delete it");
                }
                else if (ChildRekeyDue(c) <= now)
                {
                    c.RekeyAt = now + _options.RekeyRetryInterval;
                    StartChildRekey(c, "soft lifetime reached");
                }
            }
        }

        /// <summary>The times <see cref="PollLifetimes"/> acts at, for <see cref="NextDeadline"/>.</summary>
        private IEnumerable<DateTime?> LifetimeDeadlines(IkeV2Session s)
        {
            yield return s.AwaitDeleteUntil;
            if (s.Row.State != IkeV2SaState.Established) yield break;
            yield return s.ExpiresAt;
            yield return IkeRekeyDue(s);
            foreach (var c in s.Children)
            {
                if (c.Row.State != QuickModeSaState.Established) continue;
                yield return c.ExpiresAt;
                yield return c.AwaitDeleteUntil;
                yield return ChildRekeyDue(c);
            }
        }

        /// <summary>When this IKE SA should be rekeyed, or null: no rekeying, one in flight, or it is already replaced / redundant.</summary>
        private DateTime? IkeRekeyDue(IkeV2Session s)
        {
            if (!_options.RekeyEnabled || s.IkeRekey != null || s.Successor != null || s.AwaitDeleteUntil != null || s.Row.EstablishedAt == null) return null;
            return s.RekeyAt ??= SoftLifetime(s.Row.EstablishedAt.Value, s.Row.LifetimeSeconds);
        }

        private DateTime? ChildRekeyDue(ChildSession c)
        {
            if (!_options.RekeyEnabled || c.RekeyingBy != null || c.ReplacedBy != null || c.DeleteRequested || c.AwaitDeleteUntil != null ||
                c.Row.EstablishedAt == null || c.ExpiresAt == null) return null;
            return c.RekeyAt ??= SoftLifetime(c.Row.EstablishedAt.Value, c.Row.LifetimeSeconds);
        }

        /// <summary>established + lifetime × (fraction − random jitter), drawn from the injected random source.</summary>
        private DateTime SoftLifetime(DateTime established, int lifetimeSeconds)
        {
            Span<byte> b = stackalloc byte[4];
            _options.Random.Fill(b);
            double u = BinaryPrimitives.ReadUInt32BigEndian(b) / 4294967296.0;
            double fraction = Math.Max(0.1, Math.Min(1.0, _options.RekeyFraction - u * Math.Max(0, _options.RekeyJitterFraction)));
            return established + TimeSpan.FromMilliseconds(Math.Max(1000, lifetimeSeconds * 1000.0 * fraction));
        }

        /// <summary>Deletes a child we no longer want (replaced, redundant), remembering that we asked (§2.25: a rekey of it is then refused).</summary>
        private void RequestChildDelete(ChildSession c, string reason)
        {
            if (c.DeleteRequested || !c.Parent.Children.Contains(c)) return;
            DeleteChild(c, reason); // sets DeleteRequested
        }

        /// <summary>
        /// "Lowest" nonce of RFC 7296 §2.8.1: octet by octet, and a nonce that is a prefix of the other is the lower. True when
        /// the SA made with nonces <paramref name="xi"/>/<paramref name="xr"/> holds the lowest of the four.
        /// </summary>
        internal static bool HoldsLowestNonce(byte[] xi, byte[] xr, byte[] yi, byte[] yr) =>
            CompareNonces(Lower(xi, xr), Lower(yi, yr)) < 0;

        private static byte[] Lower(byte[] a, byte[] b) => CompareNonces(a, b) <= 0 ? a : b;

        internal static int CompareNonces(byte[] a, byte[] b)
        {
            int n = Math.Min(a.Length, b.Length);
            for (int i = 0; i < n; i++)
                if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
            return a.Length.CompareTo(b.Length);
        }
    }
}
