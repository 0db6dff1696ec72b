using Dapper;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting;
using Marketplace.Contracts.Rights;
using Marketplace.Rights.Access;
using Marketplace.Rights.Certificates;
using Marketplace.Rights.Licences;
using Marketplace.Rights.Registrations;
using Microsoft.Extensions.Options;

namespace Marketplace.Rights;

/// <summary>
/// Everything in rights that happens because time passed, driven by the <see cref="TimeProvider"/> every
/// <c>Rights:Clock:Interval</c> (default 10 seconds): a public notice that ended with no objection pending issues
/// its certificate; certificates and licences past their term expire (and say so); provider approvals past their
/// deadline reject the request. Each item is its own transaction, so one failure holds up nothing else.
/// </summary>
public sealed class RightsClock(RightsDb db, GroupCommitter<RightsDb> committer, CertificateIssuer issuer, TimeProvider time, IOptions<RightsOptions> options) : IPeriodicWork
{
    private const int Batch = 200;

    private const string NoticesSqlServer = "SELECT TOP (@Take) id FROM rights.registrations WHERE status = 'InNotice' AND notice_ends_at <= @Now ORDER BY notice_ends_at";
    private const string NoticesSqlite = "SELECT id FROM rights.registrations WHERE status = 'InNotice' AND notice_ends_at <= @Now ORDER BY notice_ends_at LIMIT @Take";
    private const string CertificatesSqlServer = "SELECT TOP (@Take) number FROM rights.certificates WHERE status = 'Active' AND valid_until <= @Now ORDER BY valid_until";
    private const string CertificatesSqlite = "SELECT number FROM rights.certificates WHERE status = 'Active' AND valid_until <= @Now ORDER BY valid_until LIMIT @Take";
    private const string LicencesSqlServer = "SELECT TOP (@Take) id FROM rights.licences WHERE status IN ('Active', 'Suspended') AND ends_at <= @Now ORDER BY ends_at";
    private const string LicencesSqlite = "SELECT id FROM rights.licences WHERE status IN ('Active', 'Suspended') AND ends_at <= @Now ORDER BY ends_at LIMIT @Take";
    private const string DeadlinesSqlServer = "SELECT TOP (@Take) order_id FROM rights.access_requests WHERE status = 'AwaitingProvider' AND deadline <= @Now ORDER BY deadline";
    private const string DeadlinesSqlite = "SELECT order_id FROM rights.access_requests WHERE status = 'AwaitingProvider' AND deadline <= @Now ORDER BY deadline LIMIT @Take";

    public TimeSpan Interval { get; } = options.Value.Clock.Interval;

    Task IPeriodicWork.RunAsync(CancellationToken ct) => TickAsync(ct);

    /// <summary>One tick: what changed.</summary>
    public async Task<ClockTick> TickAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return new ClockTick(
            await EachAsync<Guid>(db.Sql(NoticesSqlServer, NoticesSqlite), now, (uow, id) => CertifyAsync(uow, id, now), ct),
            await EachAsync<string>(db.Sql(CertificatesSqlServer, CertificatesSqlite), now, (uow, number) => ExpireCertificateAsync(uow, number, now), ct),
            await EachAsync<Guid>(db.Sql(LicencesSqlServer, LicencesSqlite), now, (uow, id) => ExpireLicenceAsync(uow, id, now), ct),
            await EachAsync<Guid>(db.Sql(DeadlinesSqlServer, DeadlinesSqlite), now, (uow, orderId) => LapseAsync(uow, orderId, now), ct));
    }

    private async Task<int> EachAsync<TKey>(string sql, DateTimeOffset now, Func<UnitOfWork, TKey, Task<bool>> step, CancellationToken ct)
    {
        List<TKey> due;
        await using (var connection = await db.OpenAsync(ct))
        {
            due = (await connection.QueryAsync<TKey>(sql, new { Now = now, Take = Batch })).AsList();
        }

        var done = 0;
        foreach (var key in due)
        {
            if (await committer.RunAsync(uow => step(uow, key), ct))
            {
                done++;
            }
        }

        return done;
    }

    private async Task<bool> CertifyAsync(UnitOfWork uow, Guid id, DateTimeOffset now)
    {
        var registration = await RegistrationStore.FindAsync(uow, id);
        if (registration is not { Status: RegistrationStatus.InNotice } || registration.NoticeEndsAt > now
            || await Objections.AnyPendingAsync(uow.Connection, uow.Transaction, id))
        {
            return false;
        }

        var certified = registration with { Status = RegistrationStatus.Certified, Version = registration.Version + 1, UpdatedAt = now };
        if (!await RegistrationStore.UpdateAsync(uow, certified, registration.Version))
        {
            return false;
        }

        var certificate = await issuer.IssueAsync(uow, certified, certified.HolderList, now, now.AddYears(issuer.TermYears), now);
        await RegistrationStore.RecordAsync(uow, certified, "certified", certificate.Number, null, now);
        return true;
    }

    private static async Task<bool> ExpireCertificateAsync(UnitOfWork uow, string number, DateTimeOffset now)
    {
        var certificate = await CertificateStore.FindAsync(uow, number);
        if (certificate is null || !await CertificateStore.SetStatusAsync(uow, number, CertificateStatus.Expired, "The term ended.", now))
        {
            return false;
        }

        var registration = (await RegistrationStore.FindAsync(uow, certificate.RegistrationId))!;
        var expired = registration with { Status = RegistrationStatus.Expired, Version = registration.Version + 1, UpdatedAt = now };
        if (await RegistrationStore.UpdateAsync(uow, expired, registration.Version))
        {
            await RegistrationStore.RecordAsync(uow, expired, "expired", number, null, now);
        }

        await uow.PublishAsync(new RightsExpired(number, certificate.RegistrationId, certificate.ProductId, now), now);
        return true;
    }

    private static async Task<bool> ExpireLicenceAsync(UnitOfWork uow, Guid id, DateTimeOffset now)
    {
        var licence = await LicenceStore.FindAsync(uow, id);
        if (licence is not { Status: LicenceStatus.Active or LicenceStatus.Suspended } || licence.EndsAt > now)
        {
            return false;
        }

        var expired = licence with { Status = LicenceStatus.Expired, StatusReason = "The term ended.", Version = licence.Version + 1, UpdatedAt = now };
        if (!await LicenceStore.UpdateAsync(uow, expired, licence.Version))
        {
            return false;
        }

        await uow.PublishAsync(new LicenceExpired(licence.Id, licence.OrderId, licence.LicenseeId, licence.ProductId, now), now);
        return true;
    }

    private static async Task<bool> LapseAsync(UnitOfWork uow, Guid orderId, DateTimeOffset now)
    {
        var request = await AccessDecisions.FindAsync(uow, orderId);
        if (request is null || !await AccessDecisions.CloseAsync(uow, orderId, AccessRequestStatus.Lapsed, "provider-approval-lapsed", null, now))
        {
            return false;
        }

        await AccessDecisions.RejectAsync(uow, orderId, request.BuyerId, request.ProductId, "provider-approval-lapsed",
            "The provider did not approve the request before its deadline.", now);
        return true;
    }
}

/// <summary>What one tick of the clock did.</summary>
public sealed record ClockTick(int Certified, int CertificatesExpired, int LicencesExpired, int ApprovalsLapsed);
