using System.Collections.Concurrent;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting;
using Marketplace.Contracts.Rights;
using Microsoft.Extensions.Options;

namespace Marketplace.Rights.Delivery.Usage;

/// <summary>
/// Counts what is delivered in memory — each download, and API use per licence per minute — and writes it every
/// <see cref="DeliverySettings.FlushInterval"/> in one unit of work that also publishes one <see cref="UsageRecorded"/>
/// per licence and minute: delivery never waits on a write (SQLite has one writer), and usage reaches billing through
/// the outbox. A flush that fails keeps its counts for the next. What was counted but not flushed when a process dies
/// is lost (at most one interval's).
/// </summary>
public sealed class DeliveryRecorder(GroupCommitter<RightsDb> committer, RightsDb db, TimeProvider time, IOptions<DeliverySettings> options) : IPeriodicWork
{
    private const string InsertDownloadSql = """
        INSERT INTO rights.delivery_downloads (id, licence_id, name, sha256, bytes, range_start, range_end, status, via, at)
        VALUES (@Id, @LicenceId, @Name, @Sha256, @Bytes, @RangeStart, @RangeEnd, @Status, @Via, @At)
        """;

    private const string AddUsageSqlite = """
        INSERT INTO rights.delivery_usage (licence_id, minute, calls, records, bytes, status_2xx, status_4xx, status_5xx, downloads, downloaded_bytes)
        VALUES (@LicenceId, @Minute, @Calls, @Records, @Bytes, @Status2xx, @Status4xx, @Status5xx, @Downloads, @DownloadedBytes)
        ON CONFLICT (licence_id, minute) DO UPDATE SET
            calls = calls + excluded.calls, records = records + excluded.records, bytes = bytes + excluded.bytes,
            status_2xx = status_2xx + excluded.status_2xx, status_4xx = status_4xx + excluded.status_4xx,
            status_5xx = status_5xx + excluded.status_5xx, downloads = downloads + excluded.downloads,
            downloaded_bytes = downloaded_bytes + excluded.downloaded_bytes
        """;

    private const string AddUsageSqlServer = """
        UPDATE rights.delivery_usage WITH (UPDLOCK, SERIALIZABLE)
        SET calls = calls + @Calls, records = records + @Records, bytes = bytes + @Bytes, status_2xx = status_2xx + @Status2xx,
            status_4xx = status_4xx + @Status4xx, status_5xx = status_5xx + @Status5xx, downloads = downloads + @Downloads,
            downloaded_bytes = downloaded_bytes + @DownloadedBytes
        WHERE licence_id = @LicenceId AND minute = @Minute;
        IF @@ROWCOUNT = 0
            INSERT INTO rights.delivery_usage (licence_id, minute, calls, records, bytes, status_2xx, status_4xx, status_5xx, downloads, downloaded_bytes)
            VALUES (@LicenceId, @Minute, @Calls, @Records, @Bytes, @Status2xx, @Status4xx, @Status5xx, @Downloads, @DownloadedBytes);
        """;

    private readonly ConcurrentQueue<Download> downloads = new();
    private readonly ConcurrentDictionary<(Guid Licence, DateTimeOffset Minute), MinuteUse> minutes = new();
    private readonly string addUsage = db.Sql(AddUsageSqlServer, AddUsageSqlite);
    private readonly SemaphoreSlim flushing = new(1, 1);

    public TimeSpan Interval => options.Value.FlushInterval;

    public void Downloaded(Download download)
    {
        downloads.Enqueue(download);
        Use(download.LicenceId, download.LicenseeId, download.ProductId, download.At).AddDownload(download.Bytes);
    }

    /// <summary>A call the upstream answered (whatever its status): what billing and the quota count.</summary>
    public void Called(Guid licenceId, Guid licenseeId, Guid productId, DateTimeOffset at, int status, long records, long bytes) =>
        Use(licenceId, licenseeId, productId, at).AddCall(status, records, bytes);

    /// <summary>A call the data plane answered itself (rate, quota, an upstream that failed): counted by status only, never billed.</summary>
    public void Refused(Guid licenceId, Guid licenseeId, Guid productId, DateTimeOffset at, int status = 429) =>
        Use(licenceId, licenseeId, productId, at).AddStatus(status);

    /// <summary>The API calls counted for the licence and not yet written (what a quota adds to the recorded use).</summary>
    public long PendingCalls(Guid licenceId) => minutes.Where(m => m.Key.Licence == licenceId).Sum(m => m.Value.Snapshot().Calls);

    Task IPeriodicWork.RunAsync(CancellationToken ct) => FlushAsync(ct);

    /// <summary>Writes and publishes what was counted since the last flush; returns how many minute reports it published.</summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        await flushing.WaitAsync(ct);
        try
        {
            var taken = new List<Download>();
            while (downloads.TryDequeue(out var d))
            {
                taken.Add(d);
            }

            var used = new List<(Guid Licence, DateTimeOffset Minute, MinuteUse.Counts Counts, Guid Licensee, Guid Product)>();
            foreach (var key in minutes.Keys)
            {
                if (minutes.TryRemove(key, out var use))
                {
                    used.Add((key.Licence, key.Minute, use.Snapshot(), use.LicenseeId, use.ProductId));
                }
            }

            if (taken.Count == 0 && used.Count == 0)
            {
                return 0;
            }

            try
            {
                await committer.RunAsync(
                    async uow =>
                    {
                        var now = time.GetUtcNow();
                        foreach (var d in taken)
                        {
                            await uow.ExecuteAsync(InsertDownloadSql, d);
                        }

                        foreach (var (licence, minute, c, licensee, product) in used)
                        {
                            await uow.ExecuteAsync(addUsage, new
                            {
                                LicenceId = licence, Minute = minute, c.Calls, c.Records, c.Bytes, c.Status2xx, c.Status4xx, c.Status5xx, c.Downloads, c.DownloadedBytes,
                            });
                            await uow.PublishAsync(
                                new UsageRecorded(Guid.CreateVersion7(now), licence, licensee, product, minute, c.Calls, c.Records, c.Bytes, c.Downloads, c.DownloadedBytes, now),
                                now);
                        }

                        return 0;
                    },
                    ct);
            }
            catch
            {
                // Kept for the next flush: nothing counted is dropped because a write failed.
                foreach (var d in taken)
                {
                    downloads.Enqueue(d);
                }

                foreach (var (licence, minute, c, licensee, product) in used)
                {
                    minutes.GetOrAdd((licence, minute), _ => new MinuteUse(licensee, product)).Add(c);
                }

                throw;
            }

            return used.Count;
        }
        finally
        {
            flushing.Release();
        }
    }

    private MinuteUse Use(Guid licenceId, Guid licenseeId, Guid productId, DateTimeOffset at)
    {
        var minute = new DateTimeOffset(at.UtcDateTime.Ticks - (at.UtcDateTime.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        return minutes.GetOrAdd((licenceId, minute), _ => new MinuteUse(licenseeId, productId));
    }

    /// <summary>One licence's use in one minute, added to from many requests at once.</summary>
    private sealed class MinuteUse(Guid licenseeId, Guid productId)
    {
        private long calls, records, bytes, status2xx, status4xx, status5xx, downloadCount, downloadedBytes;

        public Guid LicenseeId => licenseeId;

        public Guid ProductId => productId;

        public void AddCall(int status, long recordCount, long byteCount)
        {
            Interlocked.Increment(ref calls);
            Interlocked.Add(ref records, recordCount);
            Interlocked.Add(ref bytes, byteCount);
            AddStatus(status);
        }

        public void AddStatus(int status)
        {
            if (status < 400)
            {
                Interlocked.Increment(ref status2xx);
            }
            else if (status < 500)
            {
                Interlocked.Increment(ref status4xx);
            }
            else
            {
                Interlocked.Increment(ref status5xx);
            }
        }

        public void AddDownload(long byteCount)
        {
            Interlocked.Increment(ref downloadCount);
            Interlocked.Add(ref downloadedBytes, byteCount);
        }

        public void Add(Counts c)
        {
            Interlocked.Add(ref calls, c.Calls);
            Interlocked.Add(ref records, c.Records);
            Interlocked.Add(ref bytes, c.Bytes);
            Interlocked.Add(ref status2xx, c.Status2xx);
            Interlocked.Add(ref status4xx, c.Status4xx);
            Interlocked.Add(ref status5xx, c.Status5xx);
            Interlocked.Add(ref downloadCount, c.Downloads);
            Interlocked.Add(ref downloadedBytes, c.DownloadedBytes);
        }

        public Counts Snapshot() => new(
            Interlocked.Read(ref calls), Interlocked.Read(ref records), Interlocked.Read(ref bytes), Interlocked.Read(ref status2xx),
            Interlocked.Read(ref status4xx), Interlocked.Read(ref status5xx), Interlocked.Read(ref downloadCount), Interlocked.Read(ref downloadedBytes));

        public sealed record Counts(long Calls, long Records, long Bytes, long Status2xx, long Status4xx, long Status5xx, long Downloads, long DownloadedBytes);
    }
}

/// <summary>One download as recorded: which file of which licence, how much was sent (and of which range), and how.</summary>
public sealed record Download(
    Guid Id, Guid LicenceId, Guid LicenseeId, Guid ProductId, string Name, string Sha256, long Bytes, long? RangeStart, long? RangeEnd, int Status, string Via,
    DateTimeOffset At);
