using System;
using System.Collections.Generic;

namespace IkeExtensions.NegotiationDiscovery
{
    /// <summary>
    /// An open-addressing hash table (linear probing, power-of-two size, Fibonacci hashing, backward-shift deletion) from
    /// a value-type flow key to a 32-bit state word. The key and state sit side by side in one array slot: a lookup is one
    /// hash, usually one cache line, and never allocates. Grows (allocates) only when an insert passes 3/4 load. Not
    /// thread-safe: one packet path per table.
    /// </summary>
    public sealed class FlowTable<TKey> where TKey : struct, IFlowKey<TKey>
    {
        /// <summary>Bit of the state word that marks a slot in use; the other 31 bits are the caller's.</summary>
        public const uint Occupied = 0x8000_0000u;

        private struct Slot
        {
            public TKey Key;
            public uint State;
        }

        private Slot[] _slots;
        private int _mask;
        private int _shift;

        public FlowTable(int capacity = 16)
        {
            if (capacity < 0) throw new ArgumentOutOfRangeException(nameof(capacity));
            _slots = Allocate(SizeFor(capacity), out _mask, out _shift);
        }

        public int Count { get; private set; }

        /// <summary>Slots allocated (a power of two; at most 3/4 of them are in use).</summary>
        public int Capacity => _slots.Length;

        private static int SizeFor(int capacity)
        {
            long wanted = Math.Max(16L, (long)capacity * 4 / 3 + 1);
            int size = 16;
            while (size < wanted) size = checked(size * 2);
            return size;
        }

        private static Slot[] Allocate(int size, out int mask, out int shift)
        {
            mask = size - 1;
            int bits = 0;
            while ((1 << bits) < size) bits++;
            shift = 64 - bits;
            return new Slot[size];
        }

        private int Home(in TKey key) => (int)(key.Hash64() >> _shift);

        /// <summary>The slot of <paramref name="key"/>, or -1.</summary>
        public int IndexOf(in TKey key)
        {
            var slots = _slots;
            int i = Home(key);
            while (true)
            {
                ref Slot s = ref slots[i];
                if ((s.State & Occupied) == 0) return -1;
                if (s.Key.Equals(key)) return i;
                i = (i + 1) & _mask;
            }
        }

        /// <summary>Reads the key's home slot (a software prefetch: the caller overlaps several of these before the lookups).</summary>
        public uint Touch(in TKey key) => _slots[Home(key)].State;

        /// <summary>The state word of slot <paramref name="index"/> (from <see cref="IndexOf"/> or <see cref="Insert"/>), by reference.</summary>
        public ref uint StateAt(int index) => ref _slots[index].State;

        public TKey KeyAt(int index) => _slots[index].Key;

        /// <summary>Adds a key that is not present (the caller looked first) with <paramref name="state"/>; returns its slot.</summary>
        public int Insert(in TKey key, uint state)
        {
            if ((Count + 1) * 4L > _slots.Length * 3L) Grow();
            int i = Home(key);
            while ((_slots[i].State & Occupied) != 0) i = (i + 1) & _mask;
            _slots[i].Key = key;
            _slots[i].State = state | Occupied;
            Count++;
            return i;
        }

        public bool Remove(in TKey key)
        {
            int i = IndexOf(key);
            if (i < 0) return false;
            // Backward-shift deletion: pull later members of the probe run into the hole so lookups never need tombstones.
            int hole = i;
            int j = i;
            while (true)
            {
                j = (j + 1) & _mask;
                if ((_slots[j].State & Occupied) == 0) break;
                int home = Home(_slots[j].Key);
                // Move slot j into the hole unless its home lies cyclically in (hole, j].
                bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
                if (stays) continue;
                _slots[hole] = _slots[j];
                hole = j;
            }
            _slots[hole] = default;
            Count--;
            return true;
        }

        public void Clear()
        {
            Array.Clear(_slots, 0, _slots.Length);
            Count = 0;
        }

        /// <summary>Every (key, state) in use, for management views (allocates; not for the packet path).</summary>
        public IEnumerable<(TKey Key, uint State)> Entries()
        {
            var slots = _slots;
            for (int i = 0; i < slots.Length; i++)
                if ((slots[i].State & Occupied) != 0) yield return (slots[i].Key, slots[i].State & ~Occupied);
        }

        private void Grow()
        {
            var old = _slots;
            _slots = Allocate(checked(old.Length * 2), out _mask, out _shift);
            Count = 0;
            foreach (var s in old)
                if ((s.State & Occupied) != 0) Insert(s.Key, s.State);
        }
    }
}
