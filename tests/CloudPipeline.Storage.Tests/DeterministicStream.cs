using System.Security.Cryptography;

namespace CloudPipeline.Storage.Tests;

/// <summary>A read-only stream of pseudo-random bytes that hashes what it hands out, so large uploads need no file.</summary>
internal sealed class DeterministicStream : Stream
{
    private readonly Random _random;
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly long _length;
    private long _position;

    public DeterministicStream(long length, int seed)
    {
        _length = length;
        _random = new Random(seed);
    }

    public byte[] Sha256() => _sha.GetHashAndReset();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = (int)Math.Min(buffer.Length, _length - _position);
        _random.NextBytes(buffer[..n]);
        _sha.AppendData(buffer[..n]);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha.Dispose();
        }
        base.Dispose(disposing);
    }
}
