using Dapper;
using Erp.Db.Seeding.Generation;
using Npgsql;

namespace Erp.Db.Seeding.Loading;

/// <summary>Reads the shared reference rows (platforms, regions, channels, user levels, currencies) the generator points at.</summary>
internal static class ReferenceDataReader
{
    public static async Task<SeedReferenceData> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        async Task<Dictionary<string, short>> Codes(string sql) =>
            (await connection.QueryAsync<(string Code, short Id)>(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken)))
                .ToDictionary(r => r.Code, r => r.Id, StringComparer.Ordinal);

        var platforms = await Codes(SeedSql.Platforms);
        var channels = await Codes(SeedSql.Channels);
        var levels = await Codes(SeedSql.UserLevels);
        var regions = (await connection.QueryAsync<int>(new CommandDefinition(SeedSql.AreaRegions, transaction: transaction, cancellationToken: cancellationToken))).ToList();
        var currencies = (await connection.QueryAsync<string>(new CommandDefinition(SeedSql.Currencies, transaction: transaction, cancellationToken: cancellationToken)))
            .Select(c => c.Trim()).ToList();
        var defaults = SeedReferenceData.Default;
        var missing = defaults.ChannelIds.Keys.Where(k => !channels.ContainsKey(k))
            .Concat(defaults.UserLevelIds.Keys.Where(k => !levels.ContainsKey(k)))
            .ToList();
        if (missing.Count > 0 || !currencies.Contains("CNY"))
        {
            throw new InvalidOperationException($"The reference rows of migration 0004 are missing ({string.Join(", ", missing.DefaultIfEmpty("CNY"))}); migrate the database first.");
        }
        return new SeedReferenceData(platforms, regions, channels, levels, currencies);
    }
}
