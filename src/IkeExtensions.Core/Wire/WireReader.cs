using System;
using System.Buffers.Binary;

namespace IkeExtensions.Wire
{
    /// <summary>
    /// Bounds-checked big-endian reader over untrusted bytes. Every read is a Try: a short buffer yields false, never an
    /// exception. <see cref="BaseOffset"/> lets errors report positions relative to the whole message.
    /// </summary>
    internal ref struct WireReader
    {
        private readonly ReadOnlySpan<byte> _data;

        public WireReader(ReadOnlySpan<byte> data, int baseOffset = 0)
        {
            _data = data;
            Position = 0;
            BaseOffset = baseOffset;
        }

        public int Position { get; private set; }
        public int BaseOffset { get; }
        public int Remaining => _data.Length - Position;
        public int AbsolutePosition => BaseOffset + Position;

        public bool TryReadByte(out byte value)
        {
            if (Remaining < 1) { value = 0; return false; }
            value = _data[Position++];
            return true;
        }

        public bool TryReadUInt16(out ushort value)
        {
            if (Remaining < 2) { value = 0; return false; }
            value = BinaryPrimitives.ReadUInt16BigEndian(_data.Slice(Position));
            Position += 2;
            return true;
        }

        public bool TryReadUInt32(out uint value)
        {
            if (Remaining < 4) { value = 0; return false; }
            value = BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(Position));
            Position += 4;
            return true;
        }

        public bool TryReadUInt64(out ulong value)
        {
            if (Remaining < 8) { value = 0; return false; }
            value = BinaryPrimitives.ReadUInt64BigEndian(_data.Slice(Position));
            Position += 8;
            return true;
        }

        /// <summary>Returns the offset (relative to this reader's span) of the next <paramref name="count"/> bytes and skips them.</summary>
        public bool TrySkip(int count, out int start)
        {
            start = Position;
            if (count < 0 || Remaining < count) return false;
            Position += count;
            return true;
        }
    }

    /// <summary>Big-endian writer into a span sized beforehand from the payloads' encoded lengths.</summary>
    internal ref struct WireWriter
    {
        private readonly Span<byte> _buffer;

        public WireWriter(Span<byte> buffer)
        {
            _buffer = buffer;
            Position = 0;
        }

        public int Position { get; private set; }

        public void WriteByte(byte value) => _buffer[Position++] = value;

        public void WriteUInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(Position), value);
            Position += 2;
        }

        public void WriteUInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(Position), value);
            Position += 4;
        }

        public void WriteUInt64(ulong value)
        {
            BinaryPrimitives.WriteUInt64BigEndian(_buffer.Slice(Position), value);
            Position += 8;
        }

        public void WriteBytes(ReadOnlySpan<byte> value)
        {
            value.CopyTo(_buffer.Slice(Position));
            Position += value.Length;
        }

        public void WriteZeros(int count)
        {
            _buffer.Slice(Position, count).Clear();
            Position += count;
        }

        /// <summary>The span not yet written, for nested structures that write themselves.</summary>
        public Span<byte> Rest => _buffer.Slice(Position);

        public void Advance(int count) => Position += count;
    }
}
